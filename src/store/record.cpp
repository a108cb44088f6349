// SPDX-License-Identifier: MIT
// Store::record: one crash into the history, as one transaction of named steps.
#include <model/json.hpp>

#include <fmt/format.h>
#include <store/raw_report.hpp>
#include <store/store.hpp>

#include <algorithm>

namespace crashpilot::store {

namespace {

using Json = nlohmann::json;

util::Expected<model::Signature> read_signature(const Statement& stmt, int id_col, int text_col,
                                                int frames_col) {
  model::Signature s;
  s.id = stmt.column_text(id_col);
  s.text = stmt.column_text(text_col);
  Json frames = Json::parse(stmt.column_text(frames_col), nullptr, false);
  if (frames.is_array()) {
    for (const auto& f : frames) {
      if (f.is_string()) {
        s.frames.push_back(f.get<std::string>());
      }
    }
  }
  return s;
}

// Creates the bucket, or counts the crash in it. Triage fields follow the newest crash, so improved
// rules show up in the history; the status changes only for a regression.
util::Expected<void> upsert_bucket(const Db& db, const model::Crash& crash, Time time,
                                   RecordResult& result) {
  auto find =
      db.prepare("SELECT status, fixed_by_attempt, count FROM buckets WHERE signature_id = ?");
  if (!find) {
    return util::error(find.error());
  }
  auto row = find->bind(1, crash.signature.id).step();
  if (!row) {
    return util::error(row.error());
  }
  if (!*row) {
    auto insert =
        db.prepare("INSERT INTO buckets(signature_id, signature_text, signature_frames, kind, "
                   "category, severity, crash_function, "
                   "crash_location, is_bot_related, status, first_seen, last_seen, count) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, 1)");
    if (!insert) {
      return util::error(insert.error());
    }
    result.new_bucket = true;
    result.count = 1;
    result.status = BucketStatus::open;
    return insert->bind(1, crash.signature.id)
        .bind(2, crash.signature.text)
        .bind(3, Json(crash.signature.frames).dump())
        .bind(4, model::to_string(crash.kind))
        .bind(5, crash.crash_category)
        .bind(6, crash.severity)
        .bind(7, crash.crash_function)
        .bind(8, crash.crash_location)
        .bind(9, crash.is_bot_related)
        .bind(10, time)
        .bind(11, time)
        .run();
  }
  BucketStatus status =
      bucket_status_from_string(find->column_text(0)).value_or(BucketStatus::open);
  std::optional<int64_t> fixed_by = find->column_opt_int(1);
  result.count = find->column_int(2) + 1;
  if (status == BucketStatus::fixed) {
    status = BucketStatus::regressed;
    result.regressed = true;
    result.regressed_fix_attempt = fixed_by;
  }
  result.status = status;
  auto update = db.prepare("UPDATE buckets SET count = count + 1, first_seen = min(first_seen, "
                           "?1), last_seen = max(last_seen, ?1), "
                           "status = ?2, signature_text = ?3, kind = ?4, category = ?5, severity = "
                           "?6, crash_function = ?7, "
                           "crash_location = ?8, is_bot_related = ?9 WHERE signature_id = ?10");
  if (!update) {
    return util::error(update.error());
  }
  return update->bind(1, time)
      .bind(2, to_string(status))
      .bind(3, crash.signature.text)
      .bind(4, model::to_string(crash.kind))
      .bind(5, crash.crash_category)
      .bind(6, crash.severity)
      .bind(7, crash.crash_function)
      .bind(8, crash.crash_location)
      .bind(9, crash.is_bot_related)
      .bind(10, crash.signature.id)
      .run();
}

// A new bucket is compared with every other bucket of the same kind; new buckets are rare next to
// crashes, so the scan costs little. Links are stored once, smaller id first.
util::Expected<void> link_near(const Db& db, const model::Crash& crash, const Options& options,
                               RecordResult& result) {
  if (!options.is_near) {
    return {};
  }
  auto others = db.prepare("SELECT signature_id, signature_text, signature_frames FROM buckets "
                           "WHERE signature_id != ? AND kind = ?");
  if (!others) {
    return util::error(others.error());
  }
  others->bind(1, crash.signature.id).bind(2, model::to_string(crash.kind));
  auto link = db.prepare("INSERT OR IGNORE INTO bucket_links(a, b) VALUES (?, ?)");
  if (!link) {
    return util::error(link.error());
  }
  while (true) {
    auto row = others->step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      return {};
    }
    auto other = read_signature(*others, 0, 1, 2);
    if (!other || !options.is_near(crash.signature, *other)) {
      continue;
    }
    const std::string& a = std::min(crash.signature.id, other->id);
    const std::string& b = std::max(crash.signature.id, other->id);
    link->reset();
    if (auto r = link->bind(1, a).bind(2, b).run(); !r) {
      return r;
    }
    result.linked.push_back(other->id);
  }
}

util::Expected<void> insert_occurrence(const Db& db, const model::Crash& crash,
                                       const OccurrenceInfo& info, Time time,
                                       RecordResult& result) {
  model::JsonOptions jo;
  jo.include_raw = false; // the text lives in raw_reports, once
  auto insert = db.prepare(
      "INSERT INTO occurrences(bucket, time, build_id, revision, host, report_path, raw_sha1, "
      "crash_json, log_context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) {
    return util::error(insert.error());
  }
  auto r = insert->bind(1, crash.signature.id)
               .bind(2, time)
               .bind(3, info.build_id)
               .bind(4, info.revision)
               .bind(5, info.host)
               .bind(6, info.report_path)
               .bind(7, result.raw_sha1)
               .bind(8, model::to_json(crash, jo).dump())
               .bind(9, info.log_context.dump())
               .run();
  if (!r) {
    return r;
  }
  result.occurrence_id = db.last_insert_rowid();
  return {};
}

util::Expected<void> count_day(const Db& db, Time time) {
  auto stmt = db.prepare("INSERT INTO daily_counts(day, count) VALUES (?, 1) "
                         "ON CONFLICT(day) DO UPDATE SET count = count + 1");
  if (!stmt) {
    return util::error(stmt.error());
  }
  return stmt->bind(1, day_number(time)).run();
}

} // namespace

util::Expected<RecordResult> Store::record(const model::Crash& crash, const OccurrenceInfo& info) {
  if (crash.signature.id.empty()) {
    return util::error(
        fmt::format("store {}: cannot record a crash without a signature (not triaged)", path()));
  }
  const Time time = info.time != 0 ? info.time : now_seconds();
  RecordResult result;
  result.bucket = crash.signature.id;

  auto tx = Transaction::begin(*m_db);
  if (!tx) {
    return util::error(tx.error());
  }
  if (auto r = upsert_bucket(*m_db, crash, time, result); !r) {
    return util::error(r.error());
  }
  if (result.new_bucket) {
    if (auto r = link_near(*m_db, crash, m_options, result); !r) {
      return util::error(r.error());
    }
  }
  const std::string& text = info.raw.empty() ? crash.raw : info.raw;
  if (!text.empty()) {
    auto put =
        put_raw_report(*m_db, text, m_options.retention.max_raw_bytes_per_report, now_seconds());
    if (!put) {
      return util::error(put.error());
    }
    result.raw_sha1 = put->sha1;
    result.raw_inserted = put->inserted;
  }
  if (auto r = insert_occurrence(*m_db, crash, info, time, result); !r) {
    return util::error(r.error());
  }
  if (auto r = count_day(*m_db, time); !r) {
    return util::error(r.error());
  }
  if (auto r = apply_retention(result.bucket); !r) {
    return util::error(r.error());
  }
  if (auto r = tx->commit(); !r) {
    return util::error(r.error());
  }
  return result;
}

} // namespace crashpilot::store
