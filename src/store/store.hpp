// SPDX-License-Identifier: MIT
#pragma once

// The store stage: crash history in one SQLite file. A bucket per signature (counts, first/last
// seen, status, near-signature links), an occurrence per crash, report texts stored once and
// compressed, and the analysis requests, attempts, responses, patches and verdicts later stages
// write.
//
// One Store per thread (or process). Several may write to the same file: SQLite's locks admit one
// writer at a time and the busy timeout makes the others wait instead of failing.

#include <model/crash.hpp>
#include <util/expected.hpp>

#include <nlohmann/json.hpp>
#include <store/records.hpp>
#include <store/sqlite.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crashpilot::store {

struct Retention {
  // Occurrences kept per bucket; older ones are deleted (the bucket's count still counts them).
  size_t max_occurrences_per_bucket = 200;
  // Compressed bytes of report texts kept in all; the oldest texts go first, but never the text of
  // a bucket's newest occurrence, so the total can exceed this by at most one capped report per
  // bucket.
  size_t max_total_raw_bytes = size_t{256} << 20;
  // One report text is cut to this many bytes (with a marker) before it is compressed.
  size_t max_raw_bytes_per_report = size_t{1} << 20;
};

struct Options {
  int busy_timeout_ms = 5000;
  Retention retention;
  // Decides whether two signatures are the same bug seen through different stacks (triage::is_near
  // with its threshold, bound by the caller). Why a function and not a list of ids from the caller:
  // the store may not depend on triage (the dependency order runs the other way), and a caller-made
  // list would be computed outside the write transaction, against buckets another writer may be
  // adding at that moment. Called only when a new bucket is created, against every other bucket.
  // Empty: no links are made.
  std::function<bool(const model::Signature&, const model::Signature&)> is_near;
};

struct OccurrenceInfo {
  Time time = 0; // 0: now
  std::string build_id;
  std::string revision;
  std::string host;
  std::string report_path;
  // The full report text when the caller has it (the parser caps Crash::raw); empty: crash.raw.
  std::string raw;
  nlohmann::json log_context; // server log lines around the crash, as the logs stage gives them
};

struct RecordResult {
  std::string bucket;
  int64_t occurrence_id = 0;
  bool new_bucket = false;
  int64_t count = 0;                        // the bucket's count after this crash
  BucketStatus status = BucketStatus::open; // after this crash
  // A crash in a bucket marked fixed: the bucket is now `regressed`, and this names the attempt
  // whose fix did not hold.
  bool regressed = false;
  std::optional<int64_t> regressed_fix_attempt;
  std::optional<std::string> raw_sha1; // nullopt when the crash had no text
  bool raw_inserted = false;           // false: the same text was stored before
  std::vector<std::string> linked;     // near buckets linked when this bucket was created
};

enum class BucketSort { last_seen, count };

struct BucketFilter {
  std::optional<BucketStatus> status;
  std::string category;    // exact; empty: any
  std::optional<bool> bot; // is_bot_related
  std::string text; // substring of the signature id or text, function or location; empty: any
  BucketSort sort = BucketSort::last_seen; // descending
  size_t limit = 0;                        // 0: no limit
};

class Store {
public:
  // Opens (creating when missing) and migrates the store at `path`. Errors name the path: a file
  // that is not a SQLite database, a schema newer than this build, a lock held past the busy
  // timeout.
  static util::Expected<Store> open(const std::string& path, Options options = {});

  // Records one triaged crash in one transaction: the bucket is created or counted, a fixed bucket
  // becomes regressed, the text is stored once, then retention trims the bucket and the texts.
  util::Expected<RecordResult> record(const model::Crash& crash, const OccurrenceInfo& info);

  // --- buckets (buckets.cpp) ---
  util::Expected<std::vector<Bucket>> list_buckets(const BucketFilter& filter = {}) const;
  // nullopt when no bucket has that id. `max_occurrences` newest occurrences (0: all kept).
  util::Expected<std::optional<BucketDetail>> get_bucket(const std::string& id,
                                                         size_t max_occurrences = 0) const;
  // `fixed_by` names the attempt whose fix closed the bucket (required for `fixed`; kept otherwise
  // only when given).
  util::Expected<void> set_status(const std::string& id, BucketStatus status,
                                  std::optional<int64_t> fixed_by = {});
  util::Expected<std::string> raw_report(const std::string& sha1) const;

  // --- analysis history (analysis.cpp) ---
  util::Expected<int64_t> add_request(const std::string& bucket, int64_t priority, Time now);
  util::Expected<void> update_request(int64_t id, const std::string& status,
                                      std::optional<int64_t> priority, Time now);
  util::Expected<std::optional<AnalysisRequest>> get_request(int64_t id) const;
  util::Expected<std::vector<AnalysisRequest>> list_requests(const std::string& bucket = {},
                                                             const std::string& status = {}) const;
  // Starting an attempt counts it on its request.
  util::Expected<int64_t> start_attempt(int64_t request, const std::string& agent, Time now);
  util::Expected<void> finish_attempt(int64_t id, const std::string& outcome,
                                      const std::string& detail, std::optional<double> cost,
                                      Time now);
  util::Expected<std::vector<Attempt>> list_attempts(int64_t request) const;
  util::Expected<void> put_response(int64_t attempt, int schema_version, const std::string& json);
  util::Expected<std::optional<Response>> get_response(int64_t attempt) const;
  util::Expected<void> put_patch(const Patch& patch);
  util::Expected<std::optional<Patch>> get_patch(int64_t attempt) const;
  util::Expected<int64_t> add_verdict(int64_t attempt, const std::string& verdict,
                                      const std::string& detail, Time now);
  util::Expected<std::vector<Verdict>> list_verdicts(int64_t attempt) const;

  // The fix loop's state (fixes.cpp). put_fix inserts or replaces the attempt's row.
  util::Expected<void> put_fix(const Fix& fix);
  util::Expected<std::optional<Fix>> get_fix(int64_t attempt) const;
  // Newest first; `bucket` "" = every bucket, `stages` empty = every stage.
  util::Expected<std::vector<Fix>> list_fixes(const std::string& bucket = {},
                                              const std::vector<std::string>& stages = {}) const;
  util::Expected<int64_t> add_audit(const std::string& action, const std::string& bucket,
                                    std::optional<int64_t> attempt, const std::string& detail,
                                    Time now);
  util::Expected<std::vector<AuditEntry>> list_audit(int64_t limit) const;
  util::Expected<void> set_state(const std::string& key, const std::string& value, Time now);
  util::Expected<std::optional<std::string>> get_state(const std::string& key) const;
  // Attempts started since `since` (every request), for the per-day budget.
  util::Expected<int64_t> attempts_since(Time since) const;

  // --- files ingested by `watch` (ingested_files.cpp) ---
  // Whether the report file at `path` was ingested while it had this size and modification time.
  util::Expected<bool> file_ingested(const std::string& path, int64_t size, int64_t mtime_ns) const;
  // Remembers the file (replacing what was known about the same path).
  util::Expected<void> mark_file_ingested(const std::string& path, int64_t size, int64_t mtime_ns,
                                          int64_t crashes, Time now);

  // --- stats (stats.cpp) ---
  // Crashes per UTC day for the `days` days ending with the day of `now`, buckets by status, fix
  // success rate per category, time from first crash to verified fix.
  util::Expected<Stats> stats(int days, Time now) const;

  const Db& db() const { return *m_db; }
  const std::string& path() const { return m_db->path(); }

private:
  Store(std::unique_ptr<Db> db, Options options)
      : m_db(std::move(db)), m_options(std::move(options)) {}

  util::Expected<void> apply_retention(const std::string& bucket);

  // Behind a pointer so statements and transactions, which point at the Db, survive moving the
  // Store.
  std::unique_ptr<Db> m_db;
  Options m_options;
};

// Unix seconds now.
Time now_seconds();
// Days since 1970-01-01 (UTC) of `time`, rounding down for times before 1970 too.
int64_t day_number(Time time);
// "YYYY-MM-DD" of a day number.
std::string day_string(int64_t day);

} // namespace crashpilot::store
