// SPDX-License-Identifier: MIT
// get_source: numbered lines of a repository file at the request's base commit.
#include <util/utf8.hpp>

#include <analyze/mcp_tool_impl.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace crashpilot::analyze::tools {

namespace {

constexpr int64_t k_max_lines = 400;

} // namespace

ToolResult get_source(McpContext& ctx, const json& args) {
  std::string path = args["path"].get<std::string>();
  bool has_line = args.contains("line");
  bool has_start = args.contains("start_line");
  if (!has_line && !has_start) {
    return tool_error("give line (with context_lines) or start_line and end_line");
  }
  if (has_line && (has_start || args.contains("end_line"))) {
    return tool_error("give either line or start_line/end_line, not both");
  }
  int64_t context = args.value("context_lines", int64_t{30});
  int64_t start = 0;
  int64_t end = 0;
  if (has_line) {
    int64_t line = args["line"].get<int64_t>();
    start = std::max<int64_t>(1, line - context);
    end = line + context;
  } else {
    start = args["start_line"].get<int64_t>();
    end = args.value("end_line", start + 2 * context);
    if (end < start) {
      return tool_error(fmt::format("end_line {} is before start_line {}", end, start));
    }
  }
  json request = nullptr;
  std::string id = args.value("request_id", ctx.options.only_request);
  if (!id.empty()) {
    auto entry = find_request(ctx, id);
    if (!entry) {
      return tool_error(entry.error());
    }
    request = std::move(entry->request);
  }
  auto ref = ctx.source.resolve(request);
  if (!ref) {
    return tool_error(ref.error());
  }
  auto text = ctx.source.read(*ref, path);
  if (!text) {
    return tool_error(text.error());
  }
  if (util::looks_binary(*text)) {
    return tool_error(fmt::format("'{}' is a binary file", path));
  }
  auto lines = split_lines(*text);
  auto total = static_cast<int64_t>(lines.size());
  if (start > total) {
    return tool_error(fmt::format("'{}' has {} lines at commit {}; line {} is past its end", path,
                                  total, ref->commit.substr(0, 12), start));
  }
  int64_t wanted_end = std::min(end, total);
  end = std::min(wanted_end, start + k_max_lines - 1);
  int64_t marked = has_line ? args["line"].get<int64_t>() : 0;
  std::string body;
  // Leave room for the envelope; the rest of the range comes with next_start_line.
  size_t budget = ctx.options.max_result_chars > 1500 ? ctx.options.max_result_chars - 1500 : 500;
  int64_t n = start;
  for (; n <= end; ++n) {
    std::string row = fmt::format("{}{:>6}  {}\n", n == marked ? ">" : " ", n,
                                  util::sanitize_utf8(lines[static_cast<size_t>(n - 1)]));
    // JSON escaping can grow a line (quotes, tabs, control bytes); count it generously.
    if (!body.empty() && body.size() + row.size() + row.size() / 8 > budget) {
      break;
    }
    body += row;
  }
  json out = {{"path", path},      {"commit", ref->commit}, {"start_line", start},
              {"end_line", n - 1}, {"total_lines", total},  {"text", std::move(body)}};
  if (ref->from_head) {
    out["note"] = "the request names no base commit; read at the repository's HEAD";
  }
  if (n - 1 < wanted_end) {
    out["next_start_line"] = n;
  }
  return {out, false};
}

} // namespace crashpilot::analyze::tools
