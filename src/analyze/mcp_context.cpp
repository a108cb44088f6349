// SPDX-License-Identifier: MIT
#include <analyze/mcp_context.hpp>
#include <fmt/format.h>

namespace crashpilot::analyze {

using nlohmann::json;

namespace {

util::Expected<int64_t> positive(const config::Config& cfg, std::string_view key, int64_t fallback,
                                 int64_t minimum) {
  const json* v = cfg.find(key);
  if (v == nullptr) {
    return fallback;
  }
  if (!v->is_number_integer() || v->get<int64_t>() < minimum) {
    return util::error(fmt::format("config: {} must be an integer of at least {}, got {} ({})", key,
                                   minimum, v->dump(), cfg.origin(key)));
  }
  return v->get<int64_t>();
}

} // namespace

util::Expected<McpOptions> mcp_options_from_config(const config::Config& cfg) {
  McpOptions o;
  if (const json* v = cfg.find("mcp.secret_paths"); v != nullptr) {
    if (!v->is_array()) {
      return util::error(fmt::format("config: mcp.secret_paths must be an array of globs ({})",
                                     cfg.origin("mcp.secret_paths")));
    }
    for (const auto& g : *v) {
      if (!g.is_string() || g.get<std::string>().empty()) {
        return util::error(fmt::format("config: mcp.secret_paths holds {}, not a glob ({})",
                                       g.dump(), cfg.origin("mcp.secret_paths")));
      }
      o.secret_paths.push_back(g.get<std::string>());
    }
  }
  auto chars =
      positive(cfg, "mcp.max_result_chars", static_cast<int64_t>(o.max_result_chars), 2000);
  if (!chars) {
    return util::error(chars.error());
  }
  auto line = positive(cfg, "mcp.max_line_bytes", static_cast<int64_t>(o.max_line_bytes), 4096);
  if (!line) {
    return util::error(line.error());
  }
  o.max_result_chars = static_cast<size_t>(*chars);
  o.max_line_bytes = static_cast<size_t>(*line);
  return o;
}

util::Expected<queue::RequestEntry> find_request(const McpContext& ctx, const std::string& id) {
  if (!ctx.options.only_request.empty() && id != ctx.options.only_request) {
    return util::error(fmt::format("this server serves only request '{}', not '{}'",
                                   ctx.options.only_request, id));
  }
  return ctx.queue.find(id);
}

std::optional<store::Occurrence> newest_occurrence(const McpContext& ctx, const json& request) {
  if (ctx.store == nullptr || !request.contains("bucket") || !request["bucket"].is_object()) {
    return std::nullopt;
  }
  std::string bucket = request["bucket"].value("id", std::string());
  if (bucket.empty()) {
    return std::nullopt;
  }
  auto detail = ctx.store->get_bucket(bucket, 1);
  if (!detail || !*detail || (*detail)->occurrences.empty()) {
    return std::nullopt;
  }
  return (*detail)->occurrences.front();
}

} // namespace crashpilot::analyze
