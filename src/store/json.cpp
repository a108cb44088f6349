// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <store/json.hpp>

namespace crashpilot::store {

using nlohmann::json;

namespace {

template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// Stored JSON text back to a value; text that no longer parses is shown as the string it is.
json embedded(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;
}

template <typename T>
json array_of(const std::vector<T>& items) {
  json a = json::array();
  for (const auto& item : items) {
    a.push_back(to_json(item));
  }
  return a;
}

} // namespace

std::string iso_time(Time time) {
  int64_t day = day_number(time);
  int64_t secs = time - day * 86400;
  return fmt::format("{}T{:02}:{:02}:{:02}Z", day_string(day), secs / 3600, secs % 3600 / 60,
                     secs % 60);
}

json to_json(const Bucket& b) {
  return {{"signature",
           {{"id", b.signature_id}, {"text", b.signature_text}, {"frames", b.signature_frames}}},
          {"kind", b.kind},
          {"crash_category", b.category},
          {"severity", b.severity},
          {"crash_function", b.crash_function},
          {"crash_location", b.crash_location},
          {"is_bot_related", b.is_bot_related},
          {"status", to_string(b.status)},
          {"first_seen", b.first_seen},
          {"first_seen_iso", iso_time(b.first_seen)},
          {"last_seen", b.last_seen},
          {"last_seen_iso", iso_time(b.last_seen)},
          {"count", b.count},
          {"fixed_by_attempt", opt(b.fixed_by_attempt)}};
}

json to_json(const Occurrence& o) {
  return {{"id", o.id},
          {"bucket", o.bucket},
          {"time", o.time},
          {"time_iso", iso_time(o.time)},
          {"build_id", o.build_id},
          {"revision", o.revision},
          {"host", o.host},
          {"report_path", o.report_path},
          {"raw_sha1", opt(o.raw_sha1)},
          {"crash", embedded(o.crash_json)},
          {"log_context", embedded(o.log_context_json)}};
}

json to_json(const AnalysisRequest& r) {
  return {{"id", r.id},
          {"bucket", r.bucket},
          {"status", r.status},
          {"priority", r.priority},
          {"created", r.created},
          {"updated", r.updated},
          {"attempts", r.attempts}};
}

json to_json(const Attempt& a) {
  return {{"id", a.id},           {"request", a.request},        {"agent", a.agent},
          {"started", a.started}, {"finished", opt(a.finished)}, {"outcome", opt(a.outcome)},
          {"detail", a.detail},   {"cost", opt(a.cost)}};
}

json to_json(const Verdict& v) {
  return {{"id", v.id},
          {"attempt", v.attempt},
          {"verdict", v.verdict},
          {"detail", v.detail},
          {"time", v.time}};
}

json to_json(const BucketDetail& d) {
  json j = to_json(d.bucket);
  j["occurrences"] = array_of(d.occurrences);
  j["near"] = d.near;
  j["requests"] = array_of(d.requests);
  return j;
}

json to_json(const Stats& s) {
  json days = json::array();
  for (const auto& d : s.per_day) {
    days.push_back({{"day", d.day}, {"crashes", d.crashes}});
  }
  json rates = json::array();
  for (const auto& r : s.fix_rate_by_category) {
    rates.push_back({{"category", r.category},
                     {"attempts", r.attempts},
                     {"verified", r.verified},
                     {"rate", r.rate}});
  }
  return {{"crashes_per_day", std::move(days)},
          {"buckets_by_status", s.buckets_by_status},
          {"fix_rate_by_category", std::move(rates)},
          {"fixed_buckets", s.fixed_buckets},
          {"mean_seconds_to_fix", opt(s.mean_seconds_to_fix)},
          {"median_seconds_to_fix", opt(s.median_seconds_to_fix)}};
}

json to_json(const RecordResult& r) {
  return {{"bucket", r.bucket},
          {"occurrence_id", r.occurrence_id},
          {"new_bucket", r.new_bucket},
          {"count", r.count},
          {"status", to_string(r.status)},
          {"regressed", r.regressed},
          {"regressed_fix_attempt", opt(r.regressed_fix_attempt)},
          {"raw_sha1", opt(r.raw_sha1)},
          {"raw_inserted", r.raw_inserted},
          {"linked", r.linked}};
}

} // namespace crashpilot::store
