// SPDX-License-Identifier: MIT
#pragma once

// Internal to the MCP tools: one function per tool (arguments already checked against the
// published schema) and the helpers several of them share. mcp_tools.cpp holds the catalog.

#include <analyze/mcp_context.hpp>
#include <analyze/mcp_tools.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace crashpilot::analyze::tools {

using nlohmann::json;

// mcp_tool_queue.cpp
ToolResult list_crashes(McpContext& ctx, const json& args);
ToolResult claim_crash(McpContext& ctx, const json& args);
ToolResult release_crash(McpContext& ctx, const json& args);

// mcp_tool_crash.cpp
ToolResult get_crash(McpContext& ctx, const json& args);
ToolResult get_stack(McpContext& ctx, const json& args);
ToolResult similar_crashes(McpContext& ctx, const json& args);

// mcp_tool_logs.cpp
ToolResult get_logs(McpContext& ctx, const json& args);

// mcp_tool_source.cpp
ToolResult get_source(McpContext& ctx, const json& args);

// mcp_tool_submit.cpp
ToolResult submit_fix(McpContext& ctx, const json& args);
ToolResult get_fix_status(McpContext& ctx, const json& args);

// What an agent calls the request's state: pending, in_progress (claimed, nothing submitted),
// answered (a valid response waits, or the request is completed), rejected (the last submission
// was rejected and nothing newer is there).
std::string agent_status(const McpContext& ctx, const queue::RequestEntry& entry);

// The few fields that identify a request at a glance.
json request_summary(const json& request);

// The lease problem of `lease_id` on request `id`, "" when it is the current one.
std::string lease_problem(const McpContext& ctx, const std::string& id,
                          const std::string& lease_id);

// Newest rejection of request `id` (rejected/reason_{id}[.N].json), or null.
json newest_rejection(const McpContext& ctx, const std::string& id);

} // namespace crashpilot::analyze::tools
