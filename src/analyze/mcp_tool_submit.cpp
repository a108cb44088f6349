// SPDX-License-Identifier: MIT
// submit_fix and get_fix_status. A submission becomes an ordinary v2 response file, written
// atomically where any other agent path would write it, and goes through the queue's one
// validator (queue::Queue::check_response). A rejected one moves to rejected/ with its reasons as
// for every other path; the lease is not touched, so the model can correct the problems and submit
// again.
#include <util/file.hpp>
#include <util/sha1.hpp>

#include <analyze/mcp_edits.hpp>
#include <analyze/mcp_tool_impl.hpp>
#include <fmt/format.h>
#include <queue/caps.hpp>
#include <queue/clock.hpp>
#include <queue/diff.hpp>
#include <store/json.hpp>

#include <filesystem>

namespace crashpilot::analyze::tools {

namespace {

bool exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

std::string job_id_of(const std::string& text) {
  return util::sha1_hex(text).substr(0, 12);
}

json file_list(const std::string& diff) {
  json files = json::array();
  for (const auto& f : queue::summarize_diff(diff).files) {
    std::string change = f.old_path.empty() ? "add" : f.new_path.empty() ? "delete" : "modify";
    files.push_back({{"path", f.new_path.empty() ? f.old_path : f.new_path}, {"change", change}});
  }
  return files;
}

// The newest verdict on any attempt of the request's bucket, at or after `since`; null if none.
json newest_verdict(const McpContext& ctx, const json& request, int64_t since) {
  if (ctx.store == nullptr || !request.contains("bucket")) {
    return nullptr;
  }
  std::string bucket = request["bucket"].value("id", std::string());
  auto requests = ctx.store->list_requests(bucket);
  if (bucket.empty() || !requests) {
    return nullptr;
  }
  std::optional<store::Verdict> best;
  for (const auto& r : *requests) {
    auto attempts = ctx.store->list_attempts(r.id);
    if (!attempts) {
      continue;
    }
    for (const auto& a : *attempts) {
      auto verdicts = ctx.store->list_verdicts(a.id);
      if (!verdicts) {
        continue;
      }
      for (const auto& v : *verdicts) {
        if (v.time >= since && (!best || v.time >= best->time)) {
          best = v;
        }
      }
    }
  }
  if (!best) {
    return nullptr;
  }
  std::string tail = best->detail;
  queue::cut_utf8(tail, 4000, true);
  return {{"verdict", best->verdict},
          {"attempt", best->attempt},
          {"time", store::iso_time(best->time)},
          {"log_tail", tail}};
}

} // namespace

ToolResult submit_fix(McpContext& ctx, const json& args) {
  std::string id = args["request_id"].get<std::string>();
  std::string lease_id = args["lease_id"].get<std::string>();
  std::string status = args["status"].get<std::string>();
  auto entry = find_request(ctx, id);
  if (!entry) {
    return tool_error(entry.error());
  }
  if (entry->state == queue::State::completed) {
    return tool_error(fmt::format("request '{}' is already completed", id));
  }
  if (entry->state != queue::State::in_progress) {
    return tool_error(fmt::format("request '{}' is not claimed; call claim_crash first", id));
  }
  if (std::string p = lease_problem(ctx, id, lease_id); !p.empty()) {
    return tool_error(p);
  }
  std::string response_path = ctx.queue.response_path(id);
  if (exists(response_path)) {
    auto text = util::read_file(response_path, {.max_bytes = size_t{64} << 20});
    return tool_error(fmt::format(
        "a response for '{}' is already waiting for the fix stage{}; it cannot be replaced while "
        "it waits (get_fix_status shows its progress)",
        id, text ? fmt::format(" (job {})", job_id_of(*text)) : std::string()));
  }
  bool has_edits = args.contains("edits") && !args["edits"].empty();
  bool has_patch = args.contains("patch");
  if (has_edits && has_patch) {
    return tool_error("send the fix as edits or as patch.diff, not both");
  }
  if (status == "complete" && !has_edits && !has_patch) {
    return tool_error("status \"complete\" needs the fix: edits (old_string/new_string pairs) or "
                      "patch.diff; without a safe fix use status \"no_fix\" and explain in "
                      "analysis");
  }
  const json& request = entry->request;
  auto ref = ctx.source.resolve(request);
  json warnings = json::array();
  json patch = nullptr;
  if (has_edits || has_patch) {
    patch = {{"format", "unified-diff"}};
    if (ref) {
      patch["base_commit"] = ref->commit;
    }
    if (has_patch) {
      patch["diff"] = args["patch"]["diff"];
    } else if (ref) {
      std::vector<queue::Edit> edits;
      for (const auto& e : args["edits"]) {
        edits.push_back({e["path"].get<std::string>(), e["old_string"].get<std::string>(),
                         e["new_string"].get<std::string>(), e.value("replace_all", false)});
      }
      EditsDiff d = edits_to_diff(ctx.source, *ref, edits);
      if (!d.problems.empty()) {
        return tool_error(fmt::format("{} of the edits cannot be applied to the base commit; "
                                      "nothing was submitted and your lease is still held",
                                      d.problems.size()),
                          std::move(d.problems));
      }
      patch["diff"] = std::move(d.diff);
    } else {
      // Without a repository the edits cannot become a diff here; the validator still checks their
      // paths and budgets.
      patch["diff"] = "";
      patch["edits"] = args["edits"];
      warnings.push_back("edits were not checked against the source: " + ref.error());
    }
    patch["files"] = file_list(patch["diff"].get<std::string>());
  }
  json response = {{"schema_version", 2},  {"request_id", id},
                   {"lease_id", lease_id}, {"timestamp", queue::iso_utc(ctx.now())},
                   {"status", status},     {"analysis", args["analysis"]}};
  if (!patch.is_null()) {
    response["patch"] = std::move(patch);
  }
  for (const char* key : {"fix_strategy", "notes"}) {
    if (args.contains(key)) {
      response[key] = args[key];
    }
  }
  std::optional<queue::Lease> lease = ctx.queue.current_lease(id);
  response["agent"] = {{"name", lease ? lease->holder : ctx.options.default_holder},
                       {"via", "crashpilot mcp submit_fix"}};
  std::string text = response.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  if (auto w = util::write_file_atomic(response_path, text, 0600); !w) {
    return tool_error(w.error());
  }
  auto checked = ctx.queue.check_response(id, ctx.now());
  if (!checked) {
    return tool_error(checked.error());
  }
  const queue::Validation& v = checked->validation;
  for (const auto& w : v.warnings) {
    warnings.push_back(w);
  }
  if (!v.ok()) {
    ToolResult r = tool_error(
        fmt::format("the fix was rejected ({} problem{}); correct them and call submit_fix again "
                    "with the same lease_id, which is still held",
                    v.reasons.size(), v.reasons.size() == 1 ? "" : "s"),
        v.reasons);
    r.content["rejected_response"] = checked->rejected_path;
    if (!warnings.empty()) {
      r.content["warnings"] = std::move(warnings);
    }
    return r;
  }
  json out = {{"accepted", true},
              {"request_id", id},
              {"status", status},
              {"response_path", response_path},
              {"job_id", job_id_of(text)},
              {"next", "the fix stage applies, builds and verifies it outside this call; "
                       "get_fix_status shows its progress"}};
  if (response.contains("patch")) {
    out["files"] = response["patch"]["files"];
  }
  if (!warnings.empty()) {
    out["warnings"] = std::move(warnings);
  }
  return {out, false};
}

ToolResult get_fix_status(McpContext& ctx, const json& args) {
  std::string id = args["request_id"].get<std::string>();
  auto entry = find_request(ctx, id);
  if (!entry) {
    return tool_error(entry.error());
  }
  json out = {{"request_id", id}, {"request_state", queue::to_string(entry->state)}};
  std::string waiting = ctx.queue.response_path(id);
  std::string done = ctx.queue.dir("completed") + "/response_" + id + ".json";
  std::string path = exists(waiting) ? waiting : exists(done) ? done : "";
  if (!path.empty()) {
    auto text = util::read_file(path, {.max_bytes = size_t{64} << 20});
    std::string job = text ? job_id_of(*text) : std::string();
    out["job_id"] = job;
    out["response_path"] = path;
    if (args.contains("job_id") && args["job_id"] != job) {
      out["note"] = fmt::format("job '{}' is not the current submission; this is job '{}'",
                                args["job_id"].get<std::string>(), job);
    }
    if (path == waiting) {
      out["state"] = "queued";
      return {out, false};
    }
    out["state"] = "completed";
    int64_t since = 0;
    std::error_code ec;
    auto mtime = std::filesystem::last_write_time(path, ec);
    if (!ec) {
      since = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                  .count();
    }
    json verdict = newest_verdict(ctx, entry->request, since);
    if (!verdict.is_null()) {
      out["state"] = verdict["verdict"] == store::k_verdict_verified ? "passed" : "failed";
      out["verdict"] = verdict;
      out["log_tail"] = verdict["log_tail"];
    }
    return {out, false};
  }
  json rejection = newest_rejection(ctx, id);
  if (entry->state == queue::State::in_progress && !rejection.is_null() &&
      agent_status(ctx, *entry) == "rejected") {
    out["state"] = "rejected";
    out["reasons"] = rejection.value("reasons", json::array());
    out["rejected_at"] = rejection.value("rejected_at", std::string());
    out["next"] = "correct the problems and call submit_fix again with your lease_id";
    return {out, false};
  }
  out["state"] = "not_submitted";
  return {out, false};
}

} // namespace crashpilot::analyze::tools
