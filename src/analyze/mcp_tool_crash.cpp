// SPDX-License-Identifier: MIT
// get_crash, get_stack, similar_crashes: what the queue request and the crash history say about a
// crash. Read-only.
#include <analyze/mcp_tool_impl.hpp>
#include <fmt/format.h>
#include <queue/snippets.hpp>
#include <store/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace crashpilot::analyze::tools {

namespace {

const std::vector<std::string> k_sections{"crash",  "context", "source",
                                          "policy", "attempt", "reply"};

json parse_or_null(const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::exception&) {
    return nullptr;
  }
}

// The frames of thread `index` of a stored crash, or null when there is no such thread.
json stored_thread(const json& crash, size_t index) {
  if (!crash.is_object() || !crash.contains("threads") || !crash["threads"].is_array() ||
      index >= crash["threads"].size()) {
    return nullptr;
  }
  return crash["threads"][index];
}

json thread_list(const json& crash) {
  json out = json::array();
  if (!crash.is_object() || !crash.contains("threads") || !crash["threads"].is_array()) {
    return out;
  }
  size_t i = 0;
  for (const auto& t : crash["threads"]) {
    out.push_back({{"thread", i++},
                   {"id", t.value("id", std::string())},
                   {"name", t.value("name", std::string())},
                   {"role", t.value("role", std::string())},
                   {"crashing", t.value("crashing", false)},
                   {"frames", t.contains("frames") ? t["frames"].size() : size_t{0}}});
  }
  return out;
}

// Adds repo_path (and with `lines` > 0, the numbered source lines around the frame's line) to each
// frame whose file maps onto a file of the request's commit.
void attach_source(McpContext& ctx, const json& request, json& frames, int lines, json& out) {
  auto ref = ctx.source.resolve(request);
  if (!ref) {
    out["source_unavailable"] = ref.error();
    return;
  }
  auto files = ctx.source.files(*ref);
  if (!files) {
    out["source_unavailable"] = files.error();
    return;
  }
  out["commit"] = ref->commit;
  std::map<std::string, std::string> mapped;  // report path -> repo path
  std::map<std::string, std::string> content; // repo path -> text ("" when unreadable)
  for (json& f : frames) {
    std::string file = f.value("file", std::string());
    if (file.empty()) {
      continue;
    }
    auto m = mapped.find(file);
    if (m == mapped.end()) {
      m = mapped.emplace(file, queue::map_to_tree(file, **files)).first;
    }
    if (m->second.empty()) {
      continue;
    }
    f["repo_path"] = m->second;
    int line = f.value("line", 0);
    if (lines <= 0 || line <= 0) {
      continue;
    }
    auto c = content.find(m->second);
    if (c == content.end()) {
      auto text = ctx.source.read(*ref, m->second);
      c = content.emplace(m->second, text ? std::move(*text) : std::string()).first;
    }
    auto all = split_lines(c->second);
    if (all.empty() || static_cast<size_t>(line) > all.size()) {
      continue;
    }
    size_t first = static_cast<size_t>(std::max(1, line - lines));
    size_t last = std::min(all.size(), static_cast<size_t>(line + lines));
    std::string text;
    for (size_t n = first; n <= last; ++n) {
      text +=
          fmt::format("{}{:>6}  {}\n", n == static_cast<size_t>(line) ? ">" : " ", n, all[n - 1]);
    }
    f["source"] = {{"start_line", first}, {"end_line", last}, {"text", std::move(text)}};
  }
}

json history_entry(McpContext& ctx, const store::BucketDetail& d, const std::string& relation) {
  const store::Bucket& b = d.bucket;
  json attempts = json::array();
  for (const auto& r : d.requests) {
    auto list = ctx.store->list_attempts(r.id);
    if (!list) {
      continue;
    }
    for (const auto& a : *list) {
      json entry = {{"attempt", a.id},
                    {"agent", a.agent},
                    {"started", store::iso_time(a.started)},
                    {"outcome", a.outcome ? json(*a.outcome) : json(nullptr)},
                    {"detail", a.detail}};
      if (auto verdicts = ctx.store->list_verdicts(a.id); verdicts && !verdicts->empty()) {
        const auto& v = verdicts->back();
        entry["verdict"] = v.verdict;
        entry["verdict_detail"] = v.detail;
      }
      if (auto patch = ctx.store->get_patch(a.id); patch && *patch) {
        entry["patched_files"] = (*patch)->files;
        entry["patched_lines"] = (*patch)->lines;
      }
      attempts.push_back(std::move(entry));
    }
  }
  return {{"signature_id", b.signature_id},
          {"relation", relation},
          {"signature", b.signature_text},
          {"crash_function", b.crash_function},
          {"crash_location", b.crash_location},
          {"category", b.category},
          {"status", store::to_string(b.status)},
          {"count", b.count},
          {"first_seen", store::iso_time(b.first_seen)},
          {"last_seen", store::iso_time(b.last_seen)},
          {"fixed_by_attempt", b.fixed_by_attempt ? json(*b.fixed_by_attempt) : json(nullptr)},
          {"fix_attempts", std::move(attempts)}};
}

} // namespace

ToolResult get_crash(McpContext& ctx, const json& args) {
  std::string id = args["request_id"].get<std::string>();
  auto entry = find_request(ctx, id);
  if (!entry) {
    return tool_error(entry.error());
  }
  const json& r = entry->request;
  std::vector<std::string> sections = k_sections;
  if (args.contains("sections") && !args["sections"].empty()) {
    sections = args["sections"].get<std::vector<std::string>>();
  }
  json out = {{"request_id", id},
              {"status", agent_status(ctx, *entry)},
              {"schema_version", r.value("schema_version", 1)},
              {"timestamp", r.value("timestamp", std::string())},
              {"request_type", r.value("request_type", std::string())},
              {"priority", r.value("priority", std::string())},
              {"bucket", r.value("bucket", json::object())}};
  if (entry->state == queue::State::in_progress) {
    if (auto lease = ctx.queue.current_lease(id)) {
      out["claimed_by"] = lease->holder;
      out["lease_expires_at"] = queue::iso_utc(lease->expires_at);
    }
  }
  for (const auto& s : sections) {
    if (r.contains(s)) {
      out[s] = r[s];
    } else if (s == "source") {
      auto ref = ctx.source.resolve(r);
      out[s] = ref ? json{{"repo_root", ref->repo_root},
                          {"base_commit", ref->commit},
                          {"note", "no snippets in the request; read code with get_source"}}
                   : json{{"available", false}, {"why", ref.error()}};
    } else {
      out[s] = nullptr;
    }
  }
  return {out, false};
}

ToolResult get_stack(McpContext& ctx, const json& args) {
  std::string id = args["request_id"].get<std::string>();
  auto entry = find_request(ctx, id);
  if (!entry) {
    return tool_error(entry.error());
  }
  const json& r = entry->request;
  size_t max_frames = args.value("max_frames", size_t{64});
  json stored = nullptr;
  if (auto occ = newest_occurrence(ctx, r)) {
    stored = parse_or_null(occ->crash_json);
  }
  json out = {{"request_id", id}};
  json frames;
  if (args.contains("thread")) {
    size_t index = args["thread"].get<size_t>();
    json t = stored_thread(stored, index);
    if (t.is_null()) {
      size_t count =
          stored.is_object() && stored.contains("threads") ? stored["threads"].size() : 0;
      return tool_error(
          count == 0
              ? std::string("no stored report has other threads for this crash; call get_stack "
                            "without thread for the crashing thread's frames")
              : fmt::format("thread {} does not exist; the newest report has threads 0 to {}",
                            index, count - 1));
    }
    frames = t.value("frames", json::array());
    out["thread"] = {{"thread", index},
                     {"id", t.value("id", std::string())},
                     {"name", t.value("name", std::string())},
                     {"crashing", t.value("crashing", false)}};
  } else {
    const json& crash = r.value("crash", json::object());
    frames = crash.value("frames", json::array());
    if (crash.contains("thread")) {
      out["thread"] = crash["thread"];
    }
    if (crash.contains("meaningful_frame")) {
      out["meaningful_frame"] = crash["meaningful_frame"];
    }
    out["crash_function"] = crash.value("crash_function", std::string());
    out["crash_location"] = crash.value("crash_location", std::string());
  }
  size_t total = frames.size();
  if (frames.size() > max_frames) {
    frames.erase(frames.begin() + static_cast<std::ptrdiff_t>(max_frames), frames.end());
  }
  // Only what a reader of a stack needs; absent values are left out.
  for (json& f : frames) {
    for (const char* key : {"arguments", "column", "offset", "address", "module"}) {
      if (f.contains(key) && (f[key].is_null() || f[key] == "" || f[key] == 0)) {
        f.erase(key);
      }
    }
    if (f.contains("inlined") && f["inlined"] == false) {
      f.erase("inlined");
    }
  }
  attach_source(ctx, r, frames, args.value("with_source", false) ? 5 : 0, out);
  out["frames"] = std::move(frames);
  out["total_frames"] = total;
  out["threads"] = thread_list(stored);
  return {out, false};
}

ToolResult similar_crashes(McpContext& ctx, const json& args) {
  std::string id = args["request_id"].get<std::string>();
  auto entry = find_request(ctx, id);
  if (!entry) {
    return tool_error(entry.error());
  }
  if (ctx.store == nullptr) {
    return tool_error("this server runs without a crash history (no store), so there is nothing "
                      "to compare with");
  }
  size_t limit = args.value("limit", size_t{5});
  const json& r = entry->request;
  std::string bucket = r.contains("bucket") ? r["bucket"].value("id", std::string()) : "";
  json out = {{"request_id", id}, {"bucket", bucket}};
  auto detail = bucket.empty() ? util::Expected<std::optional<store::BucketDetail>>(std::nullopt)
                               : ctx.store->get_bucket(bucket, 1);
  if (!detail) {
    return tool_error(detail.error());
  }
  json similar = json::array();
  if (!*detail) {
    out["note"] = "the crash history has no bucket for this request";
    out["similar"] = std::move(similar);
    return {out, false};
  }
  out["this_bucket"] = history_entry(ctx, **detail, "same_signature");
  std::set<std::string> seen{bucket};
  auto add = [&](const std::string& other, const char* relation) {
    if (similar.size() >= limit || !seen.insert(other).second) {
      return;
    }
    auto d = ctx.store->get_bucket(other, 1);
    if (d && *d) {
      similar.push_back(history_entry(ctx, **d, relation));
    }
  };
  for (const auto& near : (*detail)->near) {
    add(near, "near_signature");
  }
  // Buckets whose stack differs but whose crashing function is the same: often the same bug.
  const std::string& function = (*detail)->bucket.crash_function;
  if (!function.empty() && similar.size() < limit) {
    store::BucketFilter f;
    f.text = function;
    f.limit = 50;
    if (auto list = ctx.store->list_buckets(f)) {
      for (const auto& b : *list) {
        if (b.crash_function == function) {
          add(b.signature_id, "same_function");
        }
      }
    }
  }
  out["similar"] = std::move(similar);
  return {out, false};
}

} // namespace crashpilot::analyze::tools
