// SPDX-License-Identifier: MIT
#pragma once

// The analysis request, schema_version 2 (agent-integration.md §6.2). Every field of the seed's
// request is kept with its name and meaning (request_id, timestamp, status, crash{crash_id, ...},
// context{errors_before_crash, ...}, request_type, priority), so the seed's `/analyze-crash` and
// its test keep working; the v2 fields sit beside them.

#include <model/crash.hpp>
#include <model/log_context.hpp>

#include <nlohmann/json.hpp>
#include <queue/caps.hpp>
#include <queue/policy.hpp>
#include <queue/snippets.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace crashpilot::queue {

struct BucketInfo {
  std::string id;        // the bucket's signature id; one open request per bucket
  std::string signature; // signature text
  int64_t count = 1;
  int64_t first_seen = 0; // unix seconds
  int64_t last_seen = 0;
};

using LogLine = model::LogLine;
using LogContext = model::LogContext;

struct PreviousAttempt {
  std::string response_id;
  std::string outcome; // "build_failed", "verify_failed", "rejected", ...
  std::string log_tail;
};

struct SourceInfo {
  std::string repo_root; // "" = no repository: no `source` snippets
  std::string base_commit;
  bool dirty = false;
  std::vector<Snippet> snippets;
};

struct RequestInput {
  model::Crash crash; // triaged
  BucketInfo bucket;
  LogContext context;
  Policy policy;
  std::vector<PreviousAttempt> previous;
  SourceInfo source;
  std::string request_type = "comprehensive_analysis";
};

// Builds the request JSON for `request_id`, replying to `response_path`, at time `now`, with every
// list and string capped (caps.hpp).
nlohmann::json build_request(const RequestInput& in, const std::string& request_id,
                             const std::string& response_path, int64_t now, const Limits& limits);

// Adds what earlier attempts left (a re-queue after a failed build or verdict) to an open request
// that a new occurrence already reopened; entries already there are not repeated.
void add_previous(nlohmann::json& request, const std::vector<PreviousAttempt>& previous);

// Applies a new occurrence of the same bucket to an existing request: count, last_seen, priority.
void update_occurrences(nlohmann::json& request, const BucketInfo& bucket, int64_t now);

} // namespace crashpilot::queue
