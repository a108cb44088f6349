// SPDX-License-Identifier: MIT
#include <model/json.hpp>

#include <queue/clock.hpp>
#include <queue/priority.hpp>
#include <queue/request.hpp>

#include <algorithm>

namespace crashpilot::queue {

using nlohmann::json;

namespace {

json occurrences(const BucketInfo& b) {
  return {{"count", b.count},
          {"first_seen", iso_utc(b.first_seen)},
          {"last_seen", iso_utc(b.last_seen)},
          {"first_seen_unix", b.first_seen},
          {"last_seen_unix", b.last_seen}};
}

void set_priority(json& request, const std::string& severity, int64_t count, int64_t last_seen,
                  int64_t now) {
  Priority p = compute_priority(severity, count, now - last_seen);
  request["priority"] = p.label;
  request["priority_score"] = p.score;
}

} // namespace

json build_request(const RequestInput& in, const std::string& request_id,
                   const std::string& response_path, int64_t now, const Limits& limits) {
  // The seed's crash fields, then the v2 additions (signature, frames, thread, occurrences).
  json full = model::to_json(in.crash, {.include_raw = false, .include_all_threads = false});
  json crash = json::object();
  for (const char* key : {"crash_id",
                          "timestamp",
                          "exception_code",
                          "crash_location",
                          "crash_function",
                          "error_message",
                          "call_stack",
                          "crash_category",
                          "severity",
                          "is_bot_related",
                          "root_cause_hypothesis",
                          "fix_suggestions",
                          "kind",
                          "exception_name",
                          "signal",
                          "fault_address",
                          "assertion",
                          "frames",
                          "bot_evidence",
                          "quality"}) {
    crash[key] = full[key];
  }
  crash["signature"] = {{"id", in.crash.signature.id}, {"text", in.crash.signature.text}};
  if (const model::Thread* t = in.crash.crashing_thread()) {
    crash["thread"] = {{"id", t->id}, {"name", t->name}};
  }
  crash["occurrences"] = occurrences(in.bucket);

  json previous = json::array();
  for (const auto& p : in.previous) {
    previous.push_back(
        {{"response_id", p.response_id}, {"outcome", p.outcome}, {"log_tail", p.log_tail}});
  }

  json request = {
      {"schema_version", 2},
      {"request_id", request_id},
      {"timestamp", iso_utc(now)},
      {"status", "pending"},
      {"request_type", in.request_type},
      {"crash", std::move(crash)},
      {"context", model::to_json(in.context)},
      {"bucket",
       {{"id", in.bucket.id},
        {"signature", in.bucket.signature},
        {"count", in.bucket.count},
        {"first_seen", iso_utc(in.bucket.first_seen)},
        {"last_seen", iso_utc(in.bucket.last_seen)}}},
      {"policy", to_json(in.policy)},
      {"attempt",
       {{"number", static_cast<int64_t>(in.previous.size()) + 1},
        {"previous", std::move(previous)}}},
      {"claims", json::array()},
      {"reply",
       {{"response_path", response_path},
        {"schema", "crashpilot response v2"},
        {"mcp_server", "crashpilot"}}},
  };
  if (!in.source.repo_root.empty()) {
    json snippets = json::array();
    for (const auto& s : in.source.snippets) {
      snippets.push_back({{"path", s.path},
                          {"start_line", s.start_line},
                          {"end_line", s.end_line},
                          {"frame_index", s.frame_index},
                          {"text", s.text}});
    }
    request["source"] = {{"repo_root", in.source.repo_root},
                         {"vcs", "git"},
                         {"base_commit", in.source.base_commit},
                         {"dirty", in.source.dirty},
                         {"snippets", std::move(snippets)}};
  }
  set_priority(request, in.crash.severity, in.bucket.count, in.bucket.last_seen, now);
  apply_caps(request, limits);
  return request;
}

void add_previous(json& request, const std::vector<PreviousAttempt>& previous) {
  if (previous.empty()) {
    return;
  }
  json& attempt = request["attempt"];
  if (!attempt.is_object()) {
    attempt = json::object();
  }
  json& list = attempt["previous"];
  if (!list.is_array()) {
    list = json::array();
  }
  for (const auto& p : previous) {
    bool known = false;
    for (const auto& e : list) {
      known = known || (e.is_object() && e.value("response_id", std::string()) == p.response_id);
    }
    if (!known) {
      list.push_back(
          {{"response_id", p.response_id}, {"outcome", p.outcome}, {"log_tail", p.log_tail}});
    }
  }
  attempt["number"] = static_cast<int64_t>(list.size()) + 1;
}

void update_occurrences(json& request, const BucketInfo& bucket, int64_t now) {
  json& occ = request["crash"]["occurrences"];
  // One more occurrence, or the bucket's own count when the caller (the store) counted further.
  int64_t count = std::max(occ.value("count", int64_t{1}) + 1, bucket.count);
  int64_t first = occ.value("first_seen_unix", bucket.first_seen);
  int64_t last = std::max(occ.value("last_seen_unix", bucket.last_seen), bucket.last_seen);
  occ = {{"count", count},
         {"first_seen", iso_utc(first)},
         {"last_seen", iso_utc(last)},
         {"first_seen_unix", first},
         {"last_seen_unix", last}};
  json& b = request["bucket"];
  b["count"] = count;
  b["last_seen"] = iso_utc(last);
  set_priority(request, request["crash"].value("severity", std::string()), count, last, now);
}

} // namespace crashpilot::queue
