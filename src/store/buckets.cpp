// SPDX-License-Identifier: MIT
// Bucket queries: the list the `crashes` command shows, one bucket with its history, status
// changes.
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <store/store.hpp>

namespace crashpilot::store {

namespace {

constexpr std::string_view k_bucket_columns =
    "signature_id, signature_text, signature_frames, kind, category, severity, crash_function, "
    "crash_location, "
    "is_bot_related, status, first_seen, last_seen, count, fixed_by_attempt";

Bucket read_bucket(const Statement& s) {
  Bucket b;
  b.signature_id = s.column_text(0);
  b.signature_text = s.column_text(1);
  auto frames = nlohmann::json::parse(s.column_text(2), nullptr, false);
  if (frames.is_array()) {
    for (const auto& f : frames) {
      if (f.is_string()) {
        b.signature_frames.push_back(f.get<std::string>());
      }
    }
  }
  b.kind = s.column_text(3);
  b.category = s.column_text(4);
  b.severity = s.column_text(5);
  b.crash_function = s.column_text(6);
  b.crash_location = s.column_text(7);
  b.is_bot_related = s.column_int(8) != 0;
  b.status = bucket_status_from_string(s.column_text(9)).value_or(BucketStatus::open);
  b.first_seen = s.column_int(10);
  b.last_seen = s.column_int(11);
  b.count = s.column_int(12);
  b.fixed_by_attempt = s.column_opt_int(13);
  return b;
}

// LIKE with the user's text taken literally.
std::string like_pattern(std::string_view text) {
  std::string p = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      p += '\\';
    }
    p += c;
  }
  return p + "%";
}

} // namespace

util::Expected<std::vector<Bucket>> Store::list_buckets(const BucketFilter& filter) const {
  // Fixed placeholders, each filter off when its parameter is NULL: one statement text for all
  // filters.
  std::string sql = fmt::format(
      "SELECT {} FROM buckets WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR category = ?2) "
      "AND (?3 IS NULL OR is_bot_related = ?3) AND (?4 IS NULL OR signature_id LIKE ?4 ESCAPE '\\' "
      "OR signature_text LIKE ?4 ESCAPE '\\' OR crash_function LIKE ?4 ESCAPE '\\' "
      "OR crash_location LIKE ?4 ESCAPE '\\') ORDER BY {} DESC, signature_id LIMIT ?5",
      k_bucket_columns, filter.sort == BucketSort::count ? "count" : "last_seen");
  auto stmt = m_db->prepare(sql);
  if (!stmt) {
    return util::error(stmt.error());
  }
  stmt->bind(1, filter.status ? std::optional<std::string>(std::string(to_string(*filter.status)))
                              : std::nullopt)
      .bind(2, filter.category.empty() ? std::nullopt : std::optional<std::string>(filter.category))
      .bind(3, filter.bot ? std::optional<int64_t>(*filter.bot ? 1 : 0) : std::nullopt)
      .bind(4, filter.text.empty() ? std::nullopt
                                   : std::optional<std::string>(like_pattern(filter.text)))
      .bind(5, filter.limit == 0 ? int64_t{-1} : static_cast<int64_t>(filter.limit));
  std::vector<Bucket> out;
  while (true) {
    auto row = stmt->step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      return out;
    }
    out.push_back(read_bucket(*stmt));
  }
}

util::Expected<std::optional<BucketDetail>> Store::get_bucket(const std::string& id,
                                                              size_t max_occurrences) const {
  // One read transaction, so the bucket and its occurrences are one consistent snapshot.
  auto tx = Transaction::begin(*m_db, Transaction::Mode::deferred);
  if (!tx) {
    return util::error(tx.error());
  }
  auto stmt =
      m_db->prepare(fmt::format("SELECT {} FROM buckets WHERE signature_id = ?", k_bucket_columns));
  if (!stmt) {
    return util::error(stmt.error());
  }
  auto row = stmt->bind(1, id).step();
  if (!row) {
    return util::error(row.error());
  }
  if (!*row) {
    return std::optional<BucketDetail>();
  }
  BucketDetail detail;
  detail.bucket = read_bucket(*stmt);

  auto occ = m_db->prepare(
      "SELECT id, bucket, time, build_id, revision, host, report_path, raw_sha1, crash_json, "
      "log_context FROM occurrences WHERE bucket = ? ORDER BY time DESC, id DESC LIMIT ?");
  if (!occ) {
    return util::error(occ.error());
  }
  occ->bind(1, id).bind(2,
                        max_occurrences == 0 ? int64_t{-1} : static_cast<int64_t>(max_occurrences));
  while (true) {
    auto r = occ->step();
    if (!r) {
      return util::error(r.error());
    }
    if (!*r) {
      break;
    }
    Occurrence o;
    o.id = occ->column_int(0);
    o.bucket = occ->column_text(1);
    o.time = occ->column_int(2);
    o.build_id = occ->column_text(3);
    o.revision = occ->column_text(4);
    o.host = occ->column_text(5);
    o.report_path = occ->column_text(6);
    o.raw_sha1 = occ->column_opt_text(7);
    o.crash_json = occ->column_text(8);
    o.log_context_json = occ->column_text(9);
    detail.occurrences.push_back(std::move(o));
  }

  auto near = m_db->prepare(
      "SELECT b FROM bucket_links WHERE a = ?1 UNION SELECT a FROM bucket_links WHERE b = ?1 "
      "ORDER BY 1");
  if (!near) {
    return util::error(near.error());
  }
  near->bind(1, id);
  while (true) {
    auto r = near->step();
    if (!r) {
      return util::error(r.error());
    }
    if (!*r) {
      break;
    }
    detail.near.push_back(near->column_text(0));
  }

  auto requests = list_requests(id);
  if (!requests) {
    return util::error(requests.error());
  }
  detail.requests = std::move(*requests);
  return std::optional<BucketDetail>(std::move(detail));
}

util::Expected<void> Store::set_status(const std::string& id, BucketStatus status,
                                       std::optional<int64_t> fixed_by) {
  if (status == BucketStatus::fixed && !fixed_by) {
    return util::error(
        fmt::format("store {}: marking {} fixed needs the attempt that fixed it", path(), id));
  }
  auto tx = Transaction::begin(*m_db);
  if (!tx) {
    return util::error(tx.error());
  }
  if (fixed_by) {
    auto exists = m_db->prepare("SELECT 1 FROM attempts WHERE id = ?");
    if (!exists) {
      return util::error(exists.error());
    }
    auto row = exists->bind(1, *fixed_by).step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      return util::error(fmt::format("store {}: no attempt {}", path(), *fixed_by));
    }
  }
  // The fixing attempt is kept through later states, so a regression can still name it.
  auto stmt = m_db->prepare("UPDATE buckets SET status = ?, fixed_by_attempt = coalesce(?, "
                            "fixed_by_attempt) WHERE signature_id = ?");
  if (!stmt) {
    return util::error(stmt.error());
  }
  if (auto r = stmt->bind(1, to_string(status)).bind(2, fixed_by).bind(3, id).run(); !r) {
    return r;
  }
  if (m_db->changes() == 0) {
    return util::error(fmt::format("store {}: no bucket {}", path(), id));
  }
  return tx->commit();
}

} // namespace crashpilot::store
