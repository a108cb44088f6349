// SPDX-License-Identifier: MIT
#pragma once

// The plain structs the store's queries return. No JSON here: the CLI turns them into JSON with
// store/json.hpp, and tests compare fields directly.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::store {

// Unix seconds, UTC.
using Time = int64_t;

enum class BucketStatus { open, fixing, fixed, regressed, ignored };

std::string_view to_string(BucketStatus status);
std::optional<BucketStatus> bucket_status_from_string(std::string_view s);

struct Bucket {
  std::string signature_id;
  std::string signature_text;
  std::vector<std::string> signature_frames;
  std::string kind;
  std::string category;
  std::string severity;
  std::string crash_function;
  std::string crash_location;
  bool is_bot_related = false;
  BucketStatus status = BucketStatus::open;
  Time first_seen = 0;
  Time last_seen = 0;
  int64_t count = 0;
  std::optional<int64_t> fixed_by_attempt;
};

struct Occurrence {
  int64_t id = 0;
  std::string bucket;
  Time time = 0;
  std::string build_id;
  std::string revision;
  std::string host;
  std::string report_path;
  std::optional<std::string> raw_sha1; // nullopt when there was no text or retention dropped it
  std::string crash_json;              // model::to_json without raw
  std::string log_context_json;
};

struct AnalysisRequest {
  int64_t id = 0;
  std::string bucket;
  std::string status; // the queue's word: queued, claimed, done, ... (the queue stage owns the set)
  int64_t priority = 0;
  Time created = 0;
  Time updated = 0;
  int64_t attempts = 0;
};

struct Attempt {
  int64_t id = 0;
  int64_t request = 0;
  std::string agent;
  Time started = 0;
  std::optional<Time> finished;
  std::optional<std::string> outcome;
  std::string detail;
  std::optional<double> cost;
};

struct Response {
  int64_t attempt = 0;
  int schema_version = 0;
  std::string json;
};

struct Patch {
  int64_t attempt = 0;
  std::string diff;
  std::vector<std::string> files;
  int64_t lines = 0;
};

// A verdict of "verified" is a fix that built and no longer crashes; anything else is a failure.
inline constexpr std::string_view k_verdict_verified = "verified";

struct Verdict {
  int64_t id = 0;
  int64_t attempt = 0;
  std::string verdict;
  std::string detail;
  Time time = 0;
};

// One attempt's way through the fix stage. `stage` is the fix stage's word (answered, applied,
// built, verified, awaiting_approval, landed, reverted, rejected, failed ...); the store keeps it.
struct Fix {
  int64_t attempt = 0;
  std::string bucket;
  std::string stage;
  std::string branch;
  std::string worktree;
  std::string base_commit;
  std::string commit;
  std::string verdict;
  std::string risk;
  bool needs_approval = false;
  std::string landed_commit;
  std::string detail_json = "{}";
  Time created = 0;
  Time updated = 0;
};

struct AuditEntry {
  int64_t id = 0;
  Time time = 0;
  std::string action;
  std::string bucket;
  std::optional<int64_t> attempt;
  std::string detail;
};

struct BucketDetail {
  Bucket bucket;
  std::vector<Occurrence> occurrences; // newest first
  std::vector<std::string> near;       // linked near-signature bucket ids
  std::vector<AnalysisRequest> requests;
};

struct DayCount {
  std::string day; // YYYY-MM-DD (UTC)
  int64_t crashes = 0;
};

// Attempts that got at least one verdict, and those of them with a `verified` one.
struct CategoryFixRate {
  std::string category;
  int64_t attempts = 0;
  int64_t verified = 0;
  double rate = 0; // verified / attempts
};

struct Stats {
  std::vector<DayCount> per_day;                    // the last N days, oldest first, zeros included
  std::map<std::string, int64_t> buckets_by_status; // every status, zeros included
  std::vector<CategoryFixRate> fix_rate_by_category;
  // From a bucket's first crash to its first verified verdict, over buckets that have one.
  int64_t fixed_buckets = 0;
  std::optional<double> mean_seconds_to_fix;
  std::optional<int64_t> median_seconds_to_fix;
};

} // namespace crashpilot::store
