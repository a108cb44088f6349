// SPDX-License-Identifier: MIT
#pragma once

// The MCP protocol on top of the JSON-RPC dispatcher, speaking both protocol eras in one process
// (a "dual-era" server, MCP 2026-07-28 basic/versioning):
//   legacy  - `initialize` (2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05: the client's version is
//             echoed when it is one of these, else 2025-11-25 is offered), then requests without
//             per-request metadata, `ping`, `notifications/initialized`;
//   modern  - 2026-07-28: no handshake; every request carries _meta
//             io.modelcontextprotocol/protocolVersion and .../clientCapabilities, `server/discover`
//             is served, results carry resultType, serverInfo in _meta, and list/read results the
//             cache hints ttlMs 0 and cacheScope private (the queue changes all the time).
// The era is chosen per request: modern _meta wins; otherwise a request is served under legacy
// rules once `initialize` was seen; otherwise it is refused with -32602 naming both ways in. The
// tools, resources and prompts are the same in both eras; only the envelope differs.

#include <analyze/jsonrpc.hpp>
#include <analyze/mcp_context.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::analyze {

inline constexpr std::string_view k_modern_protocol = "2026-07-28";
inline constexpr std::string_view k_latest_legacy_protocol = "2025-11-25";
// The legacy versions `initialize` echoes, newest first.
const std::vector<std::string>& legacy_protocols();

namespace mcp_code {
inline constexpr int unsupported_protocol_version = -32022; // 2026-07-28
inline constexpr int resource_not_found_legacy = -32002;    // 2025-11-25 and earlier
} // namespace mcp_code

class McpServer {
public:
  McpServer(McpContext& ctx, std::string version);
  McpServer(const McpServer&) = delete;
  McpServer& operator=(const McpServer&) = delete;

  const jsonrpc::Dispatcher& dispatcher() const { return m_dispatcher; }
  // One message line in, at most one response line out (see jsonrpc::Dispatcher::handle_line).
  std::optional<std::string> handle_line(std::string_view line) const {
    return m_dispatcher.handle_line(line);
  }

private:
  enum class Era { legacy, modern };
  using Method = std::function<jsonrpc::Reply(const nlohmann::json& params, Era era)>;

  void route(std::string method, Method fn, bool cacheable);
  void register_methods();
  nlohmann::json server_info() const;
  nlohmann::json capabilities() const;

  McpContext& m_ctx;
  std::string m_version;
  jsonrpc::Dispatcher m_dispatcher;
  bool m_initialized = false;   // `initialize` answered: legacy requests are served
  std::string m_legacy_version; // what `initialize` agreed on
  std::string m_legacy_client;  // clientInfo.name from `initialize`
};

} // namespace crashpilot::analyze
