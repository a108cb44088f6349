// SPDX-License-Identifier: MIT
#include <util/string.hpp>
#include <util/utf8.hpp>

#include <analyze/mcp_resources.hpp>
#include <analyze/mcp_tool_impl.hpp>
#include <fmt/format.h>
#include <queue/ids.hpp>

#include <algorithm>

namespace crashpilot::analyze {

using nlohmann::json;

namespace {

constexpr std::string_view k_scheme = "crash://";
constexpr size_t k_requests_per_page = 25;

std::optional<std::string> raw_report(const McpContext& ctx, const json& request) {
  auto occ = newest_occurrence(ctx, request);
  if (!occ || !occ->raw_sha1 || ctx.store == nullptr) {
    return std::nullopt;
  }
  auto raw = ctx.store->raw_report(*occ->raw_sha1);
  return raw ? std::optional<std::string>(std::move(*raw)) : std::nullopt;
}

json text_contents(const std::string& uri, const char* mime, std::string text) {
  return {{"contents",
           json::array({{{"uri", uri}, {"mimeType", mime}, {"text", util::sanitize_utf8(text)}}})}};
}

// The request without the lease ids of its claims: whoever reads a resource need not hold one.
json public_request(json request) {
  if (request.contains("claims") && request["claims"].is_array()) {
    for (auto& c : request["claims"]) {
      if (c.is_object()) {
        c.erase("lease_id");
      }
    }
  }
  return request;
}

} // namespace

util::Expected<json> list_resources(McpContext& ctx, const std::string& cursor) {
  size_t offset = 0;
  if (!cursor.empty()) {
    auto parsed = util::parse_int(cursor);
    if (!parsed) {
      return util::error(fmt::format("cursor '{}' is not one resources/list returned", cursor));
    }
    offset = static_cast<size_t>(*parsed);
  }
  auto all = ctx.queue.list();
  if (!all) {
    return util::error(all.error());
  }
  std::vector<const queue::RequestEntry*> open;
  for (const auto& e : *all) {
    bool wanted = ctx.options.only_request.empty() || e.request_id == ctx.options.only_request;
    if (wanted && e.state != queue::State::completed) {
      open.push_back(&e);
    }
  }
  std::sort(open.begin(), open.end(),
            [](const auto* a, const auto* b) { return a->request_id < b->request_id; });
  json resources = json::array();
  size_t end = std::min(open.size(), offset + k_requests_per_page);
  for (size_t i = offset; i < end; ++i) {
    const queue::RequestEntry& e = *open[i];
    json summary = tools::request_summary(e.request);
    std::string what = summary.value("crash_function", std::string());
    if (what.empty()) {
      what = summary.value("signature", std::string());
    }
    std::string base = std::string(k_scheme) + e.request_id;
    resources.push_back({{"uri", base + "/request.json"},
                         {"name", "request_" + e.request_id + ".json"},
                         {"title", fmt::format("Request {}: {}", e.request_id, what)},
                         {"mimeType", "application/json"}});
    if (raw_report(ctx, e.request)) {
      resources.push_back({{"uri", base + "/report.txt"},
                           {"name", "report_" + e.request_id + ".txt"},
                           {"title", fmt::format("Crash report of request {}", e.request_id)},
                           {"mimeType", "text/plain"}});
    }
    resources.push_back(
        {{"uri", base + "/logs/all"},
         {"name", "logs_" + e.request_id + ".txt"},
         {"title", fmt::format("Log lines before the crash of request {}", e.request_id)},
         {"mimeType", "text/plain"}});
  }
  json out = {{"resources", std::move(resources)}};
  if (end < open.size()) {
    out["nextCursor"] = std::to_string(end);
  }
  return out;
}

json resource_templates() {
  auto t = [](const char* uri, const char* name, const char* title, const char* mime) {
    return json{{"uriTemplate", uri}, {"name", name}, {"title", title}, {"mimeType", mime}};
  };
  return {{"resourceTemplates",
           json::array(
               {t("crash://{request_id}/request.json", "request", "Analysis request",
                  "application/json"),
                t("crash://{request_id}/report.txt", "report", "Raw crash report", "text/plain"),
                t("crash://{request_id}/logs/{source}", "logs",
                  "Log lines before the crash (source: server, playerbot or all)", "text/plain"),
                t("crash://{request_id}/source/{+path}", "source",
                  "A repository file at the request's base commit", "text/plain")})}};
}

util::Expected<json> read_resource(McpContext& ctx, const std::string& uri) {
  if (!uri.starts_with(k_scheme)) {
    return util::error(fmt::format("unknown resource '{}': crashpilot serves crash:// URIs", uri));
  }
  std::string rest = uri.substr(k_scheme.size());
  size_t slash = rest.find('/');
  std::string id = rest.substr(0, slash);
  std::string what = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (!queue::is_valid_id(id)) {
    return util::error(fmt::format("'{}' is not a request id in '{}'", id, uri));
  }
  auto entry = find_request(ctx, id);
  if (!entry) {
    return util::error(entry.error());
  }
  if (what == "request.json") {
    return text_contents(
        uri, "application/json",
        public_request(entry->request).dump(2, ' ', false, json::error_handler_t::replace));
  }
  if (what == "report.txt") {
    auto raw = raw_report(ctx, entry->request);
    if (!raw) {
      return util::error(fmt::format("no raw report is stored for request '{}' (no store, or "
                                     "retention dropped it)",
                                     id));
    }
    return text_contents(uri, "text/plain", std::move(*raw));
  }
  if (what.starts_with("logs/")) {
    std::string source = what.substr(5);
    if (source != "server" && source != "playerbot" && source != "all") {
      return util::error(
          fmt::format("log source '{}' is not one of server, playerbot, all", source));
    }
    ToolResult logs = tools::get_logs(
        ctx,
        {{"request_id", id}, {"source", source}, {"before_seconds", 3600}, {"max_lines", 500}});
    if (logs.is_error) {
      return util::error(logs.content.value("error", std::string("no logs")));
    }
    std::string text;
    for (const auto& l : logs.content["lines"]) {
      std::string ts = l.value("timestamp", std::string());
      text += fmt::format("{}{}: {}\n", ts.empty() ? "" : "[" + ts + "] ",
                          l["source"].get<std::string>(), l["text"].get<std::string>());
    }
    return text_contents(uri, "text/plain", std::move(text));
  }
  if (what.starts_with("source/")) {
    std::string path = what.substr(7);
    auto ref = ctx.source.resolve(entry->request);
    if (!ref) {
      return util::error(ref.error());
    }
    auto text = ctx.source.read(*ref, path);
    if (!text) {
      return util::error(text.error());
    }
    if (util::looks_binary(*text)) {
      return util::error(fmt::format("'{}' is a binary file", path));
    }
    return text_contents(uri, "text/plain", std::move(*text));
  }
  return util::error(fmt::format("unknown resource '{}': expected request.json, report.txt, "
                                 "logs/{{source}} or source/{{path}} after the request id",
                                 uri));
}

} // namespace crashpilot::analyze
