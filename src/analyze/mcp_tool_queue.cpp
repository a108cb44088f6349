// SPDX-License-Identifier: MIT
// list_crashes, claim_crash, release_crash: the queue's claim protocol as tools. Claims are leases
// in files, not tied to the connection (MCP 2026-07-28 is stateless): the lease_id the client
// passes back is the only state.
#include <util/string.hpp>

#include <analyze/mcp_tool_impl.hpp>
#include <fmt/format.h>
#include <queue/clock.hpp>
#include <queue/queue_files.hpp>

#include <algorithm>
#include <filesystem>

namespace crashpilot::analyze::tools {

namespace fs = std::filesystem;

namespace {

std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

const json& section(const json& request, const char* key) {
  static const json empty = json::object();
  auto it = request.find(key);
  return it != request.end() && it->is_object() ? *it : empty;
}

double score(const json& request) {
  auto it = request.find("priority_score");
  return it != request.end() && it->is_number() ? it->get<double>() : 0.0;
}

bool exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

} // namespace

json request_summary(const json& request) {
  const json& crash = section(request, "crash");
  const json& sig = section(crash, "signature");
  const json& occ = section(crash, "occurrences");
  json s = {{"crash_id", crash.value("crash_id", std::string())},
            {"signature", one_line(sig.value("text", std::string()))},
            {"signature_id", sig.value("id", std::string())},
            {"crash_function", crash.value("crash_function", std::string())},
            {"crash_location", crash.value("crash_location", std::string())},
            {"category", crash.value("crash_category", std::string())},
            {"severity", crash.value("severity", std::string())},
            {"is_bot_related", crash.value("is_bot_related", false)},
            {"occurrences", occ.value("count", int64_t{1})},
            {"priority", request.value("priority", std::string())}};
  const json& source = section(request, "source");
  if (!source.empty()) {
    s["base_commit"] = source.value("base_commit", std::string());
  }
  return s;
}

json newest_rejection(const McpContext& ctx, const std::string& id) {
  std::string dir = ctx.queue.dir("rejected");
  std::string best;
  int best_n = 0;
  for (int n = 1;; ++n) {
    std::string path =
        dir + "/reason_" + id + (n == 1 ? std::string() : fmt::format(".{}", n)) + ".json";
    if (!exists(path)) {
      break;
    }
    best = path;
    best_n = n;
  }
  if (best_n == 0) {
    return nullptr;
  }
  auto j = queue::detail::read_json(best);
  return j ? *j : json(nullptr);
}

std::string agent_status(const McpContext& ctx, const queue::RequestEntry& entry) {
  switch (entry.state) {
  case queue::State::completed:
    return "answered";
  case queue::State::pending:
  case queue::State::rejected:
    return "pending";
  case queue::State::in_progress:
    break;
  }
  if (exists(ctx.queue.response_path(entry.request_id))) {
    return "answered";
  }
  json rejection = newest_rejection(ctx, entry.request_id);
  if (!rejection.is_null()) {
    // Rejected during the current claim: iso times of one format compare as strings.
    std::optional<queue::Lease> lease = ctx.queue.current_lease(entry.request_id);
    std::string claimed = lease ? queue::iso_utc(lease->claimed_at) : std::string();
    if (rejection.value("rejected_at", std::string()) >= claimed) {
      return "rejected";
    }
  }
  return "in_progress";
}

std::string lease_problem(const McpContext& ctx, const std::string& id,
                          const std::string& lease_id) {
  std::optional<queue::Lease> lease = ctx.queue.current_lease(id);
  if (!lease) {
    return fmt::format("request '{}' is not claimed (no lease); call claim_crash first", id);
  }
  if (lease->lease_id != lease_id) {
    return fmt::format("lease '{}' is not the current lease of request '{}' (held by {} until "
                       "{}); claim it again with claim_crash",
                       lease_id, id, lease->holder, queue::iso_utc(lease->expires_at));
  }
  // An expired lease nobody took over still counts, as it does for the queue itself.
  return "";
}

ToolResult list_crashes(McpContext& ctx, const json& args) {
  std::string status = args.value("status", std::string("pending"));
  size_t limit = args.value("limit", size_t{20});
  size_t offset = 0;
  if (args.contains("cursor")) {
    auto parsed = util::parse_int(args["cursor"].get<std::string>());
    if (!parsed) {
      return tool_error(fmt::format("cursor '{}' is not one list_crashes returned; call it "
                                    "without a cursor to start over",
                                    args["cursor"].get<std::string>()));
    }
    offset = static_cast<size_t>(*parsed);
  }
  auto all = ctx.queue.list();
  if (!all) {
    return tool_error(all.error());
  }
  struct Row {
    const queue::RequestEntry* entry;
    std::string status;
  };
  std::vector<Row> rows;
  for (const auto& e : *all) {
    if (!ctx.options.only_request.empty() && e.request_id != ctx.options.only_request) {
      continue;
    }
    std::string s = agent_status(ctx, e);
    if (status == "all" || s == status) {
      rows.push_back({&e, s});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    double sa = score(a.entry->request), sb = score(b.entry->request);
    return sa != sb ? sa > sb : a.entry->request_id < b.entry->request_id;
  });
  json crashes = json::array();
  for (size_t i = offset; i < rows.size() && crashes.size() < limit; ++i) {
    const queue::RequestEntry& e = *rows[i].entry;
    json s = request_summary(e.request);
    json row = {{"request_id", e.request_id},
                {"crash_id", s["crash_id"]},
                {"status", rows[i].status},
                {"priority", s["priority"]},
                {"signature", s["signature"]},
                {"severity", s["severity"]},
                {"category", s["category"]},
                {"crash_function", s["crash_function"]},
                {"crash_location", s["crash_location"]},
                {"occurrences", s["occurrences"]}};
    if (e.state == queue::State::in_progress) {
      if (auto lease = ctx.queue.current_lease(e.request_id)) {
        row["claimed_by"] = lease->holder;
        row["lease_expires_at"] = queue::iso_utc(lease->expires_at);
      }
    }
    crashes.push_back(std::move(row));
  }
  json out = {{"crashes", std::move(crashes)}, {"total", rows.size()}};
  if (offset + limit < rows.size()) {
    out["next_cursor"] = std::to_string(offset + limit);
  }
  return {out, false};
}

ToolResult claim_crash(McpContext& ctx, const json& args) {
  queue::QueueOptions options = ctx.queue.options();
  if (args.contains("lease_seconds")) {
    options.lease_seconds = args["lease_seconds"].get<int64_t>();
  }
  // The lease length is a queue option; a queue opened on the same root with another length
  // claims through the same files and locks.
  auto q = queue::Queue::open(options);
  if (!q) {
    return tool_error(q.error());
  }
  std::string holder = ctx.client_name.empty()
                           ? ctx.options.default_holder
                           : fmt::format("{} ({})", ctx.client_name, ctx.options.default_holder);
  holder = args.value("agent", holder);
  int64_t now = ctx.now();
  std::string id = args.value("request_id", ctx.options.only_request);
  std::optional<queue::Claim> claim;
  if (id.empty()) {
    auto next = q->claim_next(holder, now);
    if (!next) {
      return tool_error(next.error());
    }
    if (!*next) {
      return tool_error("no crash is pending; list_crashes with status=\"all\" shows the others");
    }
    claim = std::move(**next);
  } else {
    auto entry = find_request(ctx, id);
    if (!entry) {
      return tool_error(entry.error());
    }
    if (entry->state == queue::State::completed) {
      return tool_error(fmt::format("request '{}' is already completed", id));
    }
    auto got = entry->state == queue::State::in_progress ? q->reclaim(id, holder, now)
                                                         : q->claim(id, holder, now);
    if (!got) {
      return tool_error(got.error());
    }
    claim = std::move(*got);
  }
  auto entry = ctx.queue.find(claim->request_id);
  json summary = entry ? request_summary(entry->request) : json::object();
  json out = {{"request_id", claim->request_id},
              {"lease_id", claim->lease.lease_id},
              {"holder", claim->lease.holder},
              {"expires_at", queue::iso_utc(claim->lease.expires_at)},
              {"lease_seconds", claim->lease.expires_at - claim->lease.claimed_at},
              {"attempt", claim->attempt},
              {"reclaimed", claim->reclaimed},
              {"request_summary", std::move(summary)},
              {"next",
               "read it with get_crash, get_stack, get_logs and get_source; then submit_fix with "
               "this lease_id, or release_crash if there is no safe fix"}};
  return {out, false};
}

ToolResult release_crash(McpContext& ctx, const json& args) {
  std::string id = args["request_id"].get<std::string>();
  std::string lease_id = args["lease_id"].get<std::string>();
  auto entry = find_request(ctx, id);
  if (!entry) {
    return tool_error(entry.error());
  }
  if (std::string p = lease_problem(ctx, id, lease_id); !p.empty()) {
    return tool_error(p);
  }
  std::string outcome = args.value("outcome", std::string("give_up"));
  std::string reason = fmt::format("{}: {}", outcome, args["reason"].get<std::string>());
  if (auto r = ctx.queue.release(id, lease_id, reason, ctx.now()); !r) {
    return tool_error(r.error());
  }
  return {{{"released", true},
           {"request_id", id},
           {"status", "pending"},
           {"outcome", outcome},
           {"reason", args["reason"]}},
          false};
}

} // namespace crashpilot::analyze::tools
