// SPDX-License-Identifier: MIT
#include <analyze/mcp_prompt.hpp>
#include <analyze/mcp_resources.hpp>
#include <analyze/mcp_server.hpp>
#include <analyze/mcp_tools.hpp>
#include <fmt/format.h>
#include <queue/ids.hpp>

#include <algorithm>

namespace crashpilot::analyze {

using jsonrpc::Reply;
using nlohmann::json;
namespace code = jsonrpc::code;

namespace {

constexpr std::string_view k_meta_version = "io.modelcontextprotocol/protocolVersion";
constexpr std::string_view k_meta_capabilities = "io.modelcontextprotocol/clientCapabilities";
constexpr std::string_view k_meta_client = "io.modelcontextprotocol/clientInfo";
constexpr std::string_view k_meta_server = "io.modelcontextprotocol/serverInfo";

constexpr const char* k_instructions =
    "crashpilot's crash-analysis queue. Call list_crashes, then claim_crash (keep the lease_id); "
    "read the crash with get_crash, get_stack, get_logs and get_source (code at the crash's "
    "commit); check similar_crashes; answer with submit_fix (edits or a unified diff; it is "
    "validated at once and problems come back to you), or release_crash when there is no safe fix.";

json supported_all() {
  json all = json::array({std::string(k_modern_protocol)});
  for (const auto& v : legacy_protocols()) {
    all.push_back(v);
  }
  return all;
}

std::string client_name_of(const json& info) {
  return info.is_object() ? info.value("name", std::string()) : std::string();
}

} // namespace

const std::vector<std::string>& legacy_protocols() {
  static const std::vector<std::string> v{"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};
  return v;
}

McpServer::McpServer(McpContext& ctx, std::string version)
    : m_ctx(ctx), m_version(std::move(version)) {
  register_methods();
}

json McpServer::server_info() const {
  return {
      {"name", "crashpilot"}, {"title", "crashpilot crash-analysis queue"}, {"version", m_version}};
}

json McpServer::capabilities() const {
  return {{"tools", {{"listChanged", false}}},
          {"resources", {{"subscribe", false}, {"listChanged", false}}},
          {"prompts", {{"listChanged", false}}}};
}

void McpServer::route(std::string method, Method fn, bool cacheable) {
  m_dispatcher.on_request(
      std::move(method), [this, fn = std::move(fn), cacheable](const jsonrpc::Request& r) -> Reply {
        if (!r.params.is_null() && !r.params.is_object()) {
          return Reply::fail(code::invalid_params, "params must be an object");
        }
        const json params = r.params.is_null() ? json::object() : r.params;
        const json meta = params.contains("_meta") && params["_meta"].is_object() ? params["_meta"]
                                                                                  : json::object();
        Era era = Era::legacy;
        if (auto v = meta.find(k_meta_version); v != meta.end()) {
          if (!v->is_string()) {
            return Reply::fail(code::invalid_params,
                               fmt::format("_meta {} must be a string", k_meta_version));
          }
          if (*v != k_modern_protocol) {
            return Reply::fail(mcp_code::unsupported_protocol_version,
                               "Unsupported protocol version",
                               {{"supported", supported_all()}, {"requested", *v}});
          }
          auto caps = meta.find(k_meta_capabilities);
          if (caps == meta.end() || !caps->is_object()) {
            return Reply::fail(code::invalid_params,
                               fmt::format("_meta {} (an object) is required on every 2026-07-28 "
                                           "request",
                                           k_meta_capabilities));
          }
          era = Era::modern;
          m_ctx.client_name = client_name_of(meta.value(k_meta_client, json(nullptr)));
        } else if (m_initialized) {
          m_ctx.client_name = m_legacy_client;
        } else {
          return Reply::fail(
              code::invalid_params,
              fmt::format(
                  "no protocol version: send initialize first (MCP {} and earlier), or put {} "
                  "and {} in params._meta of every request (MCP {})",
                  k_latest_legacy_protocol, k_meta_version, k_meta_capabilities,
                  k_modern_protocol));
        }
        Reply reply = fn(params, era);
        if (!reply.error && era == Era::modern && reply.result.is_object()) {
          reply.result["resultType"] = "complete";
          reply.result["_meta"][std::string(k_meta_server)] = server_info();
          if (cacheable) {
            reply.result["ttlMs"] = 0;
            reply.result["cacheScope"] = "private";
          }
        }
        return reply;
      });
}

void McpServer::register_methods() {
  m_dispatcher.on_request("initialize", [this](const jsonrpc::Request& r) -> Reply {
    if (!r.params.is_object() || !r.params.contains("protocolVersion") ||
        !r.params["protocolVersion"].is_string()) {
      return Reply::fail(code::invalid_params, "initialize needs params.protocolVersion (a string)",
                         {{"supported", supported_all()}});
    }
    std::string asked = r.params["protocolVersion"].get<std::string>();
    const auto& legacy = legacy_protocols();
    // Per the 2025-11-25 lifecycle: echo a version we speak, else offer our latest legacy one.
    // Never 2026-07-28 here: legacy clients reject it (the npm SDK 1.32.2 does).
    m_legacy_version = std::find(legacy.begin(), legacy.end(), asked) != legacy.end()
                           ? asked
                           : std::string(k_latest_legacy_protocol);
    m_legacy_client = client_name_of(r.params.value("clientInfo", json(nullptr)));
    m_initialized = true;
    fmt::print(stderr, "crashpilot mcp: {} asked for protocol {}, speaking {}\n",
               m_legacy_client.empty() ? std::string("a client") : m_legacy_client, asked,
               m_legacy_version);
    return Reply::ok({{"protocolVersion", m_legacy_version},
                      {"capabilities", capabilities()},
                      {"serverInfo", server_info()},
                      {"instructions", k_instructions}});
  });
  // Removed in 2026-07-28, still sent by legacy clients (the TS SDK's client.ping()); harmless in
  // both eras, so it needs no era.
  m_dispatcher.on_request("ping",
                          [](const jsonrpc::Request&) { return Reply::ok(json::object()); });
  m_dispatcher.on_notification("notifications/initialized", [](const jsonrpc::Request&) {});
  // Requests are served one at a time, so none is in flight when a cancellation arrives: ignore.
  m_dispatcher.on_notification("notifications/cancelled", [](const jsonrpc::Request&) {});
  m_dispatcher.on_notification("notifications/progress", [](const jsonrpc::Request&) {});
  m_dispatcher.on_notification("notifications/roots/list_changed", [](const jsonrpc::Request&) {});

  route(
      "server/discover",
      [this](const json&, Era) {
        return Reply::ok({{"supportedVersions", json::array({std::string(k_modern_protocol)})},
                          {"capabilities", capabilities()},
                          {"instructions", k_instructions},
                          {"_meta", {{std::string(k_meta_server), server_info()}}}});
      },
      true);

  route(
      "tools/list",
      [](const json&, Era) {
        return Reply::ok({{"tools", tool_definitions()}});
      },
      true);

  route(
      "tools/call",
      [this](const json& params, Era) {
        if (!params.contains("name") || !params["name"].is_string()) {
          return Reply::fail(code::invalid_params, "tools/call needs params.name (a string)");
        }
        json args = params.value("arguments", json::object());
        if (!args.is_object()) {
          return Reply::fail(code::invalid_params, "params.arguments must be an object");
        }
        std::string name = params["name"].get<std::string>();
        auto result = call_tool(m_ctx, name, args);
        if (!result) {
          return Reply::fail(code::invalid_params, fmt::format("Unknown tool: {}", name));
        }
        return Reply::ok(call_tool_result(std::move(*result), m_ctx.options.max_result_chars));
      },
      false);

  route(
      "resources/list",
      [this](const json& params, Era) {
        std::string cursor = params.contains("cursor") && params["cursor"].is_string()
                                 ? params["cursor"].get<std::string>()
                                 : std::string();
        auto list = list_resources(m_ctx, cursor);
        if (!list) {
          return Reply::fail(code::invalid_params, list.error());
        }
        return Reply::ok(std::move(*list));
      },
      true);

  route(
      "resources/templates/list", [](const json&, Era) { return Reply::ok(resource_templates()); },
      true);

  route(
      "resources/read",
      [this](const json& params, Era era) {
        if (!params.contains("uri") || !params["uri"].is_string()) {
          return Reply::fail(code::invalid_params, "resources/read needs params.uri (a string)");
        }
        std::string uri = params["uri"].get<std::string>();
        auto contents = read_resource(m_ctx, uri);
        if (!contents) {
          // "Resource not found" moved from -32002 to -32602 in 2026-07-28.
          return Reply::fail(
              era == Era::modern ? code::invalid_params : mcp_code::resource_not_found_legacy,
              fmt::format("Resource not found: {}", contents.error()), {{"uri", uri}});
        }
        return Reply::ok(std::move(*contents));
      },
      true);

  route(
      "prompts/list",
      [](const json&, Era) {
        return Reply::ok({{"prompts", json::array({analyze_crash_prompt_definition()})}});
      },
      true);

  route(
      "prompts/get",
      [this](const json& params, Era) {
        std::string name = params.value("name", json(nullptr)).is_string()
                               ? params["name"].get<std::string>()
                               : std::string();
        if (name != "analyze_crash") {
          return Reply::fail(
              code::invalid_params,
              fmt::format("Unknown prompt: '{}' (this server has analyze_crash)", name));
        }
        json args = params.value("arguments", json::object());
        std::string id;
        if (args.is_object() && args.contains("request_id")) {
          if (!args["request_id"].is_string() ||
              (!args["request_id"].get<std::string>().empty() &&
               !queue::is_valid_id(args["request_id"].get<std::string>()))) {
            return Reply::fail(code::invalid_params,
                               "arguments.request_id must be a request id ([A-Za-z0-9_-]{1,64})");
          }
          id = args["request_id"].get<std::string>();
        }
        if (id.empty()) {
          id = m_ctx.options.only_request;
        }
        return Reply::ok(
            {{"description", "Analyze a queued crash and submit a fix through crashpilot"},
             {"messages", json::array({{{"role", "user"},
                                        {"content",
                                         {{"type", "text"},
                                          {"text", render_analyze_crash_prompt(m_ctx, id)}}}}})}});
      },
      false);
}

} // namespace crashpilot::analyze
