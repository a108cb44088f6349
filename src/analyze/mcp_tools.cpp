// SPDX-License-Identifier: MIT
#include <analyze/jsonrpc.hpp>
#include <analyze/mcp_schema.hpp>
#include <analyze/mcp_tool_impl.hpp>
#include <fmt/format.h>
#include <queue/caps.hpp>

#include <algorithm>
#include <map>

namespace crashpilot::analyze {

using nlohmann::json;

namespace {

using ToolFn = ToolResult (*)(McpContext&, const json&);

struct Tool {
  ToolFn fn;
  json definition;
};

// Input schemas as agent-integration.md §6.4 gives them (no $schema, no $ref: several clients
// reject both). Every object closes with additionalProperties:false.
constexpr std::string_view k_id_pattern = "^[A-Za-z0-9_-]{1,64}$";

json id_schema() {
  return {{"type", "string"}, {"pattern", k_id_pattern}};
}

json object_schema(json properties, std::vector<std::string> required = {}) {
  json s = {
      {"type", "object"}, {"additionalProperties", false}, {"properties", std::move(properties)}};
  if (!required.empty()) {
    s["required"] = required;
  }
  return s;
}

json annotations(bool read_only, bool idempotent) {
  json a = {{"readOnlyHint", read_only}, {"openWorldHint", false}};
  if (!read_only) {
    a["destructiveHint"] = false;
    a["idempotentHint"] = idempotent;
  }
  return a;
}

json definition(std::string name, std::string title, std::string description, json schema,
                json ann) {
  return {{"name", std::move(name)},
          {"title", std::move(title)},
          {"description", std::move(description)},
          {"inputSchema", std::move(schema)},
          {"annotations", std::move(ann)}};
}

std::vector<Tool> build_catalog() {
  std::vector<Tool> t;
  t.push_back(
      {tools::list_crashes,
       definition(
           "list_crashes", "List crashes in the analysis queue",
           "List crash-analysis requests, highest priority first: request_id, signature, "
           "severity, occurrences, and who holds a claim. Start here, then claim_crash.",
           object_schema(
               {{"status",
                 {{"type", "string"},
                  {"enum", {"pending", "in_progress", "answered", "rejected", "all"}},
                  {"default", "pending"}}},
                {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50}, {"default", 20}}},
                {"cursor", {{"type", "string"}, {"maxLength", 64}}}}),
           annotations(true, true))});
  t.push_back(
      {tools::claim_crash,
       definition(
           "claim_crash", "Claim a crash for analysis",
           "Lease one pending crash so no other agent works on it. Omit request_id to "
           "take the highest-priority pending one. Pass the returned lease_id to "
           "submit_fix or release_crash.",
           object_schema(
               {{"request_id", id_schema()},
                {"agent", {{"type", "string"}, {"maxLength", 64}}},
                {"lease_seconds",
                 {{"type", "integer"}, {"minimum", 60}, {"maximum", 7200}, {"default", 1800}}}}),
           annotations(false, false))});
  t.push_back(
      {tools::get_crash,
       definition(
           "get_crash", "Read a crash request",
           "The analysis request: crash facts (signature, category, severity, frames, "
           "hypothesis), log context, source snippets, the fix policy (allowed and "
           "forbidden paths, budgets), earlier attempts and where to reply. Ask for "
           "fewer sections when the result is cut.",
           object_schema(
               {{"request_id", id_schema()},
                {"sections",
                 {{"type", "array"},
                  {"maxItems", 6},
                  {"items",
                   {{"type", "string"},
                    {"enum", {"crash", "context", "source", "policy", "attempt", "reply"}}}}}}},
               {"request_id"}),
           annotations(true, true))});
  t.push_back(
      {tools::get_stack,
       definition("get_stack", "Read a crash's stack",
                  "Frames of the crashing thread (or of another thread of the newest report), "
                  "innermost first, each with its repository path and optionally 5 source lines "
                  "either side read from the request's base commit.",
                  object_schema(
                      {{"request_id", id_schema()},
                       {"thread", {{"type", "integer"}, {"minimum", 0}, {"maximum", 4096}}},
                       {"max_frames",
                        {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 64}}},
                       {"with_source", {{"type", "boolean"}, {"default", false}}}},
                      {"request_id"}),
                  annotations(true, true))});
  t.push_back(
      {tools::get_source,
       definition("get_source", "Read source code at the crash's commit",
                  "Numbered lines of a repository file as of the request's base commit (git "
                  "show; the working tree is never read). Give line (with context_lines) or "
                  "start_line and end_line; at most 400 lines per call.",
                  object_schema(
                      {{"path", {{"type", "string"}, {"minLength", 1}, {"maxLength", 512}}},
                       {"line", {{"type", "integer"}, {"minimum", 1}}},
                       {"start_line", {{"type", "integer"}, {"minimum", 1}}},
                       {"end_line", {{"type", "integer"}, {"minimum", 1}}},
                       {"context_lines",
                        {{"type", "integer"}, {"minimum", 0}, {"maximum", 200}, {"default", 30}}},
                       {"request_id", id_schema()}},
                      {"path"}),
                  annotations(true, true))});
  t.push_back(
      {tools::get_logs,
       definition("get_logs", "Read server log lines before the crash",
                  "Errors, warnings and server or bot log lines captured before the crash, "
                  "oldest first and newest last. Filter with grep (RE2); page back with cursor.",
                  object_schema(
                      {{"request_id", id_schema()},
                       {"source",
                        {{"type", "string"},
                         {"enum", {"server", "playerbot", "all"}},
                         {"default", "all"}}},
                       {"before_seconds",
                        {{"type", "integer"}, {"minimum", 1}, {"maximum", 3600}, {"default", 120}}},
                       {"grep", {{"type", "string"}, {"maxLength", 200}}},
                       {"max_lines",
                        {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"default", 200}}},
                       {"cursor", {{"type", "string"}, {"maxLength", 64}}}},
                      {"request_id"}),
                  annotations(true, true))});
  t.push_back(
      {tools::similar_crashes,
       definition(
           "similar_crashes", "Find earlier crashes like this one",
           "Crash buckets with a near signature or the same crashing function, from the "
           "crash history, with their status and how earlier fixes fared (attempts, "
           "verdicts, patched files).",
           object_schema(
               {{"request_id", id_schema()},
                {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 20}, {"default", 5}}}},
               {"request_id"}),
           annotations(true, true))});
  json edit_schema = object_schema({{"path", {{"type", "string"}, {"maxLength", 512}}},
                                    {"old_string", {{"type", "string"}}},
                                    {"new_string", {{"type", "string"}}},
                                    {"replace_all", {{"type", "boolean"}, {"default", false}}}},
                                   {"path", "old_string", "new_string"});
  json analysis_schema = object_schema(
      {{"summary", {{"type", "string"}, {"maxLength", 2000}}},
       {"root_cause", {{"type", "string"}, {"maxLength", 8000}}},
       {"confidence", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
       {"crash_location", object_schema({{"file", {{"type", "string"}}},
                                         {"line", {{"type", "integer"}, {"minimum", 1}}},
                                         {"function", {{"type", "string"}}}})}},
      {"summary"});
  t.push_back(
      {tools::submit_fix,
       definition(
           "submit_fix", "Submit analysis and fix",
           "Submit the root-cause analysis and, for status=complete, the fix as edits "
           "(exact old_string/new_string pairs against the request's base commit) or a "
           "unified diff. It is validated at once (paths, policy, budgets, git apply "
           "--check); if it is rejected you get the problems back, keep the lease, and "
           "can call submit_fix again.",
           object_schema(
               {{"request_id", id_schema()},
                {"lease_id", {{"type", "string"}, {"pattern", "^[0-9a-f]{32}$"}}},
                {"status", {{"type", "string"}, {"enum", {"complete", "no_fix", "needs_info"}}}},
                {"analysis", analysis_schema},
                {"edits", {{"type", "array"}, {"maxItems", 50}, {"items", edit_schema}}},
                {"patch",
                 object_schema({{"format", {{"type", "string"}, {"enum", {"unified-diff"}}}},
                                {"diff", {{"type", "string"}, {"maxLength", 1048576}}}},
                               {"format", "diff"})},
                {"fix_strategy", {{"type", "object"}}},
                {"notes",
                 {{"type", "array"},
                  {"maxItems", 20},
                  {"items", {{"type", "string"}, {"maxLength", 2000}}}}}},
               {"request_id", "lease_id", "status", "analysis"}),
           annotations(false, false))});
  t.push_back(
      {tools::get_fix_status,
       definition("get_fix_status", "State of a submitted fix",
                  "Where a submission stands: not_submitted, rejected (with the reasons), queued "
                  "(waiting for the fix stage), completed, passed or failed (with the verdict "
                  "and a log tail). Builds run outside tool calls.",
                  object_schema({{"request_id", id_schema()},
                                 {"job_id", {{"type", "string"}, {"maxLength", 64}}}},
                                {"request_id"}),
                  annotations(true, true))});
  t.push_back(
      {tools::release_crash,
       definition(
           "release_crash", "Give a claimed crash back",
           "Put a claimed crash back into the queue with the reason (no safe fix, more "
           "information needed, not reproducible). The reason is recorded for the next "
           "attempt.",
           object_schema(
               {{"request_id", id_schema()},
                {"lease_id", {{"type", "string"}, {"pattern", "^[0-9a-f]{32}$"}}},
                {"reason", {{"type", "string"}, {"minLength", 1}, {"maxLength", 500}}},
                {"outcome",
                 {{"type", "string"}, {"enum", {"give_up", "needs_info", "not_reproducible"}}}}},
               {"request_id", "lease_id", "reason"}),
           annotations(false, false))});
  return t;
}

const std::vector<Tool>& catalog() {
  static const std::vector<Tool> tools = build_catalog();
  return tools;
}

// --- fitting a result into max_chars ---

size_t encoded_size(const json& j) {
  return jsonrpc::encode(j).size();
}

// The largest array (with more than one item) or string reachable from `j`, with its path.
void find_largest(json& j, const std::string& path, json*& best, std::string& best_path,
                  size_t& best_size, int depth) {
  if (depth > 8) {
    return;
  }
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      std::string child = path.empty() ? it.key() : path + "." + it.key();
      json& v = it.value();
      if ((v.is_array() && v.size() > 1) ||
          (v.is_string() && v.get_ref<std::string&>().size() > 200)) {
        size_t size = encoded_size(v);
        if (size > best_size) {
          best = &v;
          best_path = child;
          best_size = size;
        }
      }
      find_largest(v, child, best, best_path, best_size, depth + 1);
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      find_largest(j[i], fmt::format("{}[{}]", path, i), best, best_path, best_size, depth + 1);
    }
  }
}

void fit(json& j, size_t max_chars) {
  if (!j.is_object()) {
    return;
  }
  json notes = json::array();
  for (int round = 0; round < 200; ++round) {
    size_t size = encoded_size(j) + encoded_size(notes) + 64;
    if (size <= max_chars) {
      break;
    }
    json* best = nullptr;
    std::string path;
    size_t best_size = 0;
    find_largest(j, "", best, path, best_size, 0);
    if (best == nullptr) {
      break;
    }
    size_t over = size - max_chars;
    if (best->is_array()) {
      size_t before = best->size();
      size_t keep = before / 2;
      // Drop only what is needed when the array is large relative to the excess.
      if (best_size > 0 && over < best_size) {
        size_t per_item = std::max<size_t>(1, best_size / before);
        keep = std::min(before - 1, before - std::min(before - 1, over / per_item + 1));
      }
      best->erase(best->begin() + static_cast<std::ptrdiff_t>(keep), best->end());
      notes.push_back(fmt::format("{}: {} of {} items kept", path, keep, before));
    } else {
      std::string& s = best->get_ref<std::string&>();
      size_t before = s.size();
      size_t target = before > over + 100 ? before - over - 100 : before / 2;
      queue::cut_utf8(s, target);
      s += " [...]";
      notes.push_back(fmt::format("{}: {} of {} bytes kept", path, target, before));
    }
  }
  if (!notes.empty()) {
    j["truncated_to_fit"] = std::move(notes);
    j["truncation_hint"] = "the result was cut to fit the size limit; ask for less (sections, "
                           "max_frames, max_lines, a line range, or the next cursor)";
  }
}

} // namespace

ToolResult tool_error(std::string sentence, std::vector<std::string> problems) {
  ToolResult r;
  r.is_error = true;
  r.content = {{"error", std::move(sentence)}};
  if (!problems.empty()) {
    r.content["problems"] = std::move(problems);
  }
  return r;
}

const json& tool_definitions() {
  static const json defs = [] {
    json out = json::array();
    for (const auto& t : catalog()) {
      out.push_back(t.definition);
    }
    return out;
  }();
  return defs;
}

std::optional<ToolResult> call_tool(McpContext& ctx, const std::string& name, const json& args) {
  const auto& tools = catalog();
  auto it = std::find_if(tools.begin(), tools.end(),
                         [&](const Tool& t) { return t.definition["name"] == name; });
  if (it == tools.end()) {
    return std::nullopt;
  }
  json arguments = args.is_null() ? json::object() : args;
  auto problems = schema_problems(arguments, it->definition["inputSchema"]);
  if (!problems.empty()) {
    return tool_error(fmt::format("the arguments of {} do not match its input schema; correct "
                                  "them and call again",
                                  name),
                      std::move(problems));
  }
  return it->fn(ctx, arguments);
}

json call_tool_result(ToolResult result, size_t max_chars) {
  fit(result.content, max_chars);
  std::string text = jsonrpc::encode(result.content);
  return {{"content", json::array({{{"type", "text"}, {"text", std::move(text)}}})},
          {"structuredContent", std::move(result.content)},
          {"isError", result.is_error}};
}

} // namespace crashpilot::analyze
