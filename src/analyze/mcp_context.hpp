// SPDX-License-Identifier: MIT
#pragma once

// What the MCP tools, resources and prompts work on: the queue, the store, the source reader and
// the server's settings. One per server process; the protocol layer (mcp_server.hpp) holds it.

#include <config/config.hpp>
#include <util/expected.hpp>

#include <analyze/mcp_source.hpp>
#include <queue/clock.hpp>
#include <queue/queue.hpp>
#include <store/store.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace crashpilot::analyze {

struct McpOptions {
  std::string default_holder = "mcp"; // lease holder when the client names none
  // "" = every request; else the server serves only this one (the headless runner's setting).
  std::string only_request;
  std::vector<std::string> secret_paths; // globs get_source never serves
  // The configured [policy] paths, for the analyze_crash prompt when no request is named.
  std::vector<std::string> allowed_paths;
  std::vector<std::string> forbidden_paths;
  size_t max_result_chars = 20000; // a tool result's text, per §6.4
  size_t max_line_bytes = size_t{8} << 20;
};

// From `[mcp]`: secret_paths, max_result_chars, max_line_bytes. Errors name the key.
util::Expected<McpOptions> mcp_options_from_config(const config::Config& cfg);

struct McpContext {
  McpContext(queue::Queue& q, store::Store* s, McpOptions o)
      : queue(q), store(s), options(std::move(o)),
        source(q.options().repo_root, options.secret_paths) {}

  queue::Queue& queue;
  store::Store* store; // nullptr: no crash history (similar_crashes and reports say so)
  McpOptions options;
  SourceReader source;
  std::function<int64_t()> now = queue::now_unix;
  // clientInfo.name of the request being served ("" when the client named none): a lease holder
  // reads better as "claude-code (user@host)" than as "user@host".
  std::string client_name;
};

// The request `id` as the queue holds it, refusing ids outside options.only_request.
util::Expected<queue::RequestEntry> find_request(const McpContext& ctx, const std::string& id);

// The newest occurrence of the request's bucket in the store, or nullopt (no store, no bucket).
std::optional<store::Occurrence> newest_occurrence(const McpContext& ctx,
                                                   const nlohmann::json& request);

} // namespace crashpilot::analyze
