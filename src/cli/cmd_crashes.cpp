// SPDX-License-Identifier: MIT
// `crashpilot crashes [filters]`: the buckets with counts, last seen and status; with --bucket SIG,
// one bucket's occurrences, near buckets and its requests in the queue.
#include <cli/commands.hpp>
#include <cli/table.hpp>
#include <cli/workspace.hpp>

#include <fmt/format.h>
#include <store/json.hpp>

namespace crashpilot::cli {

namespace {

std::string cut(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

// The queue's requests for `bucket` (any state), newest layout first as the queue lists them.
std::vector<queue::RequestEntry> queue_requests(const Workspace& ws, const std::string& bucket) {
  std::vector<queue::RequestEntry> out;
  auto all = ws.queue->list();
  if (!all) {
    print_warning(all.error());
    return out;
  }
  for (auto& e : *all) {
    if (e.request.contains("bucket") && e.request["bucket"].value("id", std::string()) == bucket) {
      out.push_back(std::move(e));
    }
  }
  return out;
}

int show_bucket(const Invocation& inv, const Workspace& ws) {
  auto detail = ws.store->get_bucket(inv.crashes.bucket, inv.crashes.limit);
  if (!detail) {
    print_error(detail.error());
    return exit_code::failure;
  }
  if (!*detail) {
    print_error(fmt::format("no bucket '{}' in {}", inv.crashes.bucket, ws.store->path()));
    return exit_code::not_found;
  }
  const store::BucketDetail& d = **detail;
  auto requests = queue_requests(ws, d.bucket.signature_id);
  if (inv.global.json) {
    nlohmann::json j = store::to_json(d);
    nlohmann::json q = nlohmann::json::array();
    for (const auto& e : requests) {
      q.push_back(
          {{"request_id", e.request_id}, {"state", queue::to_string(e.state)}, {"path", e.path}});
    }
    j["queue_requests"] = std::move(q);
    fmt::print("{}\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return exit_code::ok;
  }
  Terminal t = Terminal::detect(inv.global.color);
  const store::Bucket& b = d.bucket;
  fmt::print("{} {}  {}  {}  {}\n", t.bold("bucket"), t.bold(b.signature_id),
             store::to_string(b.status), b.category, t.severity(b.severity));
  fmt::print("  crash at  {}  {}\n",
             t.cyan(b.crash_function.empty() ? "(unknown)" : b.crash_function), b.crash_location);
  fmt::print("  seen      {} time(s), first {}, last {}{}\n", b.count, short_time(b.first_seen),
             short_time(b.last_seen), b.is_bot_related ? ", bot-related" : "");
  for (const auto& n : d.near) {
    fmt::print("  near      {}\n", n);
  }
  fmt::print("\n{}\n", t.bold("Occurrences (newest first)"));
  std::vector<Row> rows;
  for (const auto& o : d.occurrences) {
    rows.push_back({std::to_string(o.id), short_time(o.time), o.host.empty() ? "-" : o.host,
                    o.build_id.empty() ? "-" : o.build_id,
                    o.report_path.empty() ? "-" : o.report_path});
  }
  print_table(t, {"ID", "TIME", "HOST", "BUILD", "REPORT"}, rows);
  fmt::print("\n{}\n", t.bold("Requests"));
  rows.clear();
  for (const auto& e : requests) {
    rows.push_back({e.request_id, std::string(queue::to_string(e.state)), e.path});
  }
  for (const auto& r : d.requests) {
    rows.push_back({std::to_string(r.id), r.status, fmt::format("{} attempt(s)", r.attempts)});
  }
  print_table(t, {"REQUEST", "STATE", "WHERE"}, rows);
  return exit_code::ok;
}

} // namespace

int run_crashes(const Invocation& inv, const config::Config& config) {
  store::BucketFilter filter;
  if (!inv.crashes.status.empty()) {
    filter.status = store::bucket_status_from_string(inv.crashes.status);
    if (!filter.status) {
      print_error(fmt::format("unknown status '{}' (open, fixing, fixed, regressed, ignored)",
                              inv.crashes.status));
      return exit_code::usage;
    }
  }
  int code = exit_code::ok;
  auto ws =
      open_workspace(inv, config, {.store = true, .queue = !inv.crashes.bucket.empty()}, code);
  if (!ws) {
    return code;
  }
  if (!inv.crashes.bucket.empty()) {
    return show_bucket(inv, *ws);
  }
  filter.category = inv.crashes.category;
  if (inv.crashes.bot) {
    filter.bot = true;
  }
  filter.text = inv.crashes.text;
  filter.limit = inv.crashes.limit;
  auto buckets = ws->store->list_buckets(filter);
  if (!buckets) {
    print_error(buckets.error());
    return exit_code::failure;
  }
  if (inv.global.json) {
    for (const auto& b : *buckets) {
      fmt::print("{}\n",
                 store::to_json(b).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    return exit_code::ok;
  }
  Terminal t = Terminal::detect(inv.global.color);
  std::vector<Row> rows;
  for (const auto& b : *buckets) {
    rows.push_back({b.signature_id, std::string(store::to_string(b.status)),
                    std::to_string(b.count), short_time(b.last_seen), b.category, b.severity,
                    b.is_bot_related ? "bot" : "-",
                    cut(b.crash_function.empty() ? "(unknown)" : b.crash_function, 60)});
  }
  print_table(
      t, {"SIGNATURE", "STATUS", "COUNT", "LAST SEEN", "CATEGORY", "SEVERITY", "BOT", "FUNCTION"},
      rows);
  return exit_code::ok;
}

} // namespace crashpilot::cli
