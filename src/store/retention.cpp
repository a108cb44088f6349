// SPDX-License-Identifier: MIT
// Retention: the store never grows without bound. Each record() ends here, inside its transaction:
// the bucket keeps its newest occurrences, texts no occurrence refers to are deleted, and when all
// texts together exceed the byte cap the oldest go (their occurrences keep everything but the
// text).
#include <store/store.hpp>

#include <algorithm>
#include <vector>

namespace crashpilot::store {

namespace {

util::Expected<std::vector<std::string>> column_strings(Statement& stmt) {
  std::vector<std::string> out;
  while (true) {
    auto row = stmt.step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      return out;
    }
    if (!stmt.column_is_null(0)) {
      out.push_back(stmt.column_text(0));
    }
  }
}

// Occurrences past the cap, oldest first by crash time (then by record order).
constexpr std::string_view k_excess =
    "FROM occurrences WHERE bucket = ?1 AND id NOT IN "
    "(SELECT id FROM occurrences WHERE bucket = ?1 ORDER BY time DESC, id DESC LIMIT ?2)";

util::Expected<void> trim_bucket(const Db& db, const std::string& bucket, size_t cap) {
  const int64_t keep = static_cast<int64_t>(std::max<size_t>(cap, 1));
  auto texts = db.prepare(std::string("SELECT DISTINCT raw_sha1 ") + std::string(k_excess));
  if (!texts) {
    return util::error(texts.error());
  }
  texts->bind(1, bucket).bind(2, keep);
  auto maybe_orphans = column_strings(*texts);
  if (!maybe_orphans) {
    return util::error(maybe_orphans.error());
  }
  auto del = db.prepare(std::string("DELETE ") + std::string(k_excess));
  if (!del) {
    return util::error(del.error());
  }
  if (auto r = del->bind(1, bucket).bind(2, keep).run(); !r) {
    return r;
  }
  // Only the texts of the deleted occurrences can have become orphans; checking just those keeps
  // record() from scanning every stored text.
  auto drop = db.prepare("DELETE FROM raw_reports WHERE sha1 = ? AND NOT EXISTS "
                         "(SELECT 1 FROM occurrences WHERE raw_sha1 = raw_reports.sha1)");
  if (!drop) {
    return util::error(drop.error());
  }
  for (const auto& sha1 : *maybe_orphans) {
    drop->reset();
    if (auto r = drop->bind(1, sha1).run(); !r) {
      return r;
    }
  }
  return {};
}

// Oldest texts first (by the newest crash that refers to them), skipping the text of each bucket's
// newest occurrence: the latest report of every bug stays readable whatever the cap.
util::Expected<void> cap_total_raw(const Db& db, size_t cap) {
  auto total = db.query_int("SELECT coalesce(sum(compressed_size), 0) FROM raw_reports");
  if (!total) {
    return util::error(total.error());
  }
  int64_t bytes = *total;
  const int64_t limit = static_cast<int64_t>(cap);
  if (bytes <= limit) {
    return {};
  }
  auto candidates = db.prepare(R"sql(
    SELECT r.sha1, r.compressed_size FROM raw_reports r
    WHERE r.sha1 NOT IN (
      SELECT o.raw_sha1 FROM occurrences o
      WHERE o.raw_sha1 IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM occurrences p
        WHERE p.bucket = o.bucket AND (p.time > o.time OR (p.time = o.time AND p.id > o.id))))
    ORDER BY (SELECT max(time) FROM occurrences WHERE raw_sha1 = r.sha1), r.created, r.sha1)sql");
  if (!candidates) {
    return util::error(candidates.error());
  }
  std::vector<std::string> victims;
  while (bytes > limit) {
    auto row = candidates->step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      break; // only protected texts are left
    }
    victims.push_back(candidates->column_text(0));
    bytes -= candidates->column_int(1);
  }
  candidates->reset(); // finish the read before deleting from the same table
  // ON DELETE SET NULL clears the occurrences' raw_sha1.
  auto del = db.prepare("DELETE FROM raw_reports WHERE sha1 = ?");
  if (!del) {
    return util::error(del.error());
  }
  for (const auto& sha1 : victims) {
    del->reset();
    if (auto r = del->bind(1, sha1).run(); !r) {
      return r;
    }
  }
  return {};
}

} // namespace

util::Expected<void> Store::apply_retention(const std::string& bucket) {
  if (auto r = trim_bucket(*m_db, bucket, m_options.retention.max_occurrences_per_bucket); !r) {
    return r;
  }
  return cap_total_raw(*m_db, m_options.retention.max_total_raw_bytes);
}

} // namespace crashpilot::store
