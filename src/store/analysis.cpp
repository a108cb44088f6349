// SPDX-License-Identifier: MIT
// The analysis history: requests for a bucket, an agent's attempts at them, and what each attempt
// left (the response, the patch, the verdicts of build and verify). The queue and fix stages write
// these; the store only keeps them consistent (foreign keys) and answers queries.
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <store/rows.hpp>
#include <store/store.hpp>

namespace crashpilot::store {

namespace {

AnalysisRequest read_request(const Statement& s) {
  return {s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3),
          s.column_int(4), s.column_int(5),  s.column_int(6)};
}

constexpr std::string_view k_request_columns =
    "id, bucket, status, priority, created, updated, attempts";

} // namespace

util::Expected<int64_t> Store::add_request(const std::string& bucket, int64_t priority, Time now) {
  auto r = write_one(
      *m_db,
      "INSERT INTO analysis_requests(bucket, status, priority, created, updated) VALUES (?, "
      "'queued', ?, ?, ?)",
      [&](Statement& s) { s.bind(1, bucket).bind(2, priority).bind(3, now).bind(4, now); },
      "request not added");
  if (!r) {
    return util::error(r.error());
  }
  return m_db->last_insert_rowid();
}

util::Expected<void> Store::update_request(int64_t id, const std::string& status,
                                           std::optional<int64_t> priority, Time now) {
  return write_one(
      *m_db,
      "UPDATE analysis_requests SET status = ?, priority = coalesce(?, priority), updated = ? "
      "WHERE id = ?",
      [&](Statement& s) { s.bind(1, status).bind(2, priority).bind(3, now).bind(4, id); },
      fmt::format("no request {}", id));
}

util::Expected<std::optional<AnalysisRequest>> Store::get_request(int64_t id) const {
  auto stmt = m_db->prepare(
      fmt::format("SELECT {} FROM analysis_requests WHERE id = ?", k_request_columns));
  if (!stmt) {
    return util::error(stmt.error());
  }
  auto all = read_all<AnalysisRequest>(stmt->bind(1, id), read_request);
  if (!all) {
    return util::error(all.error());
  }
  return all->empty() ? std::nullopt : std::optional<AnalysisRequest>(all->front());
}

util::Expected<std::vector<AnalysisRequest>> Store::list_requests(const std::string& bucket,
                                                                  const std::string& status) const {
  auto stmt = m_db->prepare(
      fmt::format("SELECT {} FROM analysis_requests WHERE (?1 IS NULL OR bucket = ?1) AND "
                  "(?2 IS NULL OR status = ?2) ORDER BY id",
                  k_request_columns));
  if (!stmt) {
    return util::error(stmt.error());
  }
  stmt->bind(1, bucket.empty() ? std::nullopt : std::optional<std::string>(bucket))
      .bind(2, status.empty() ? std::nullopt : std::optional<std::string>(status));
  return read_all<AnalysisRequest>(*stmt, read_request);
}

util::Expected<int64_t> Store::start_attempt(int64_t request, const std::string& agent, Time now) {
  auto tx = Transaction::begin(*m_db);
  if (!tx) {
    return util::error(tx.error());
  }
  auto counted = write_one(
      *m_db, "UPDATE analysis_requests SET attempts = attempts + 1, updated = ? WHERE id = ?",
      [&](Statement& s) { s.bind(1, now).bind(2, request); },
      fmt::format("no request {}", request));
  if (!counted) {
    return util::error(counted.error());
  }
  auto r = write_one(
      *m_db, "INSERT INTO attempts(request, agent, started) VALUES (?, ?, ?)",
      [&](Statement& s) { s.bind(1, request).bind(2, agent).bind(3, now); }, "attempt not added");
  if (!r) {
    return util::error(r.error());
  }
  int64_t id = m_db->last_insert_rowid();
  if (auto c = tx->commit(); !c) {
    return util::error(c.error());
  }
  return id;
}

util::Expected<void> Store::finish_attempt(int64_t id, const std::string& outcome,
                                           const std::string& detail, std::optional<double> cost,
                                           Time now) {
  return write_one(
      *m_db, "UPDATE attempts SET finished = ?, outcome = ?, detail = ?, cost = ? WHERE id = ?",
      [&](Statement& s) {
        s.bind(1, now).bind(2, outcome).bind(3, detail).bind(4, cost).bind(5, id);
      },
      fmt::format("no attempt {}", id));
}

util::Expected<std::vector<Attempt>> Store::list_attempts(int64_t request) const {
  auto stmt = m_db->prepare("SELECT id, request, agent, started, finished, outcome, detail, cost "
                            "FROM attempts WHERE request = ? ORDER BY id");
  if (!stmt) {
    return util::error(stmt.error());
  }
  return read_all<Attempt>(stmt->bind(1, request), [](const Statement& s) {
    return Attempt{s.column_int(0),  s.column_int(1),       s.column_text(2),
                   s.column_int(3),  s.column_opt_int(4),   s.column_opt_text(5),
                   s.column_text(6), s.column_opt_double(7)};
  });
}

util::Expected<void> Store::put_response(int64_t attempt, int schema_version,
                                         const std::string& json) {
  // An unknown attempt fails the foreign key.
  return write_one(
      *m_db, "INSERT OR REPLACE INTO responses(attempt, schema_version, json) VALUES (?, ?, ?)",
      [&](Statement& s) { s.bind(1, attempt).bind(2, schema_version).bind(3, json); },
      "response not stored");
}

util::Expected<std::optional<Response>> Store::get_response(int64_t attempt) const {
  auto stmt =
      m_db->prepare("SELECT attempt, schema_version, json FROM responses WHERE attempt = ?");
  if (!stmt) {
    return util::error(stmt.error());
  }
  auto all = read_all<Response>(stmt->bind(1, attempt), [](const Statement& s) {
    return Response{s.column_int(0), static_cast<int>(s.column_int(1)), s.column_text(2)};
  });
  if (!all) {
    return util::error(all.error());
  }
  return all->empty() ? std::nullopt : std::optional<Response>(all->front());
}

util::Expected<void> Store::put_patch(const Patch& patch) {
  return write_one(
      *m_db, "INSERT OR REPLACE INTO patches(attempt, diff, files, lines) VALUES (?, ?, ?, ?)",
      [&](Statement& s) {
        s.bind(1, patch.attempt)
            .bind(2, patch.diff)
            .bind(3, nlohmann::json(patch.files).dump())
            .bind(4, patch.lines);
      },
      "patch not stored");
}

util::Expected<std::optional<Patch>> Store::get_patch(int64_t attempt) const {
  auto stmt = m_db->prepare("SELECT attempt, diff, files, lines FROM patches WHERE attempt = ?");
  if (!stmt) {
    return util::error(stmt.error());
  }
  auto all = read_all<Patch>(stmt->bind(1, attempt), [](const Statement& s) {
    Patch p;
    p.attempt = s.column_int(0);
    p.diff = s.column_text(1);
    auto files = nlohmann::json::parse(s.column_text(2), nullptr, false);
    if (files.is_array()) {
      for (const auto& f : files) {
        if (f.is_string()) {
          p.files.push_back(f.get<std::string>());
        }
      }
    }
    p.lines = s.column_int(3);
    return p;
  });
  if (!all) {
    return util::error(all.error());
  }
  return all->empty() ? std::nullopt : std::optional<Patch>(all->front());
}

util::Expected<int64_t> Store::add_verdict(int64_t attempt, const std::string& verdict,
                                           const std::string& detail, Time now) {
  auto r = write_one(
      *m_db, "INSERT INTO verdicts(attempt, verdict, detail, time) VALUES (?, ?, ?, ?)",
      [&](Statement& s) { s.bind(1, attempt).bind(2, verdict).bind(3, detail).bind(4, now); },
      "verdict not added");
  if (!r) {
    return util::error(r.error());
  }
  return m_db->last_insert_rowid();
}

util::Expected<std::vector<Verdict>> Store::list_verdicts(int64_t attempt) const {
  auto stmt = m_db->prepare(
      "SELECT id, attempt, verdict, detail, time FROM verdicts WHERE attempt = ? ORDER BY id");
  if (!stmt) {
    return util::error(stmt.error());
  }
  return read_all<Verdict>(stmt->bind(1, attempt), [](const Statement& s) {
    return Verdict{s.column_int(0), s.column_int(1), s.column_text(2), s.column_text(3),
                   s.column_int(4)};
  });
}

} // namespace crashpilot::store
