// SPDX-License-Identifier: MIT
#pragma once

// The MCP tools (agent-integration.md §6.4): their published definitions (name, title,
// description, inputSchema, annotations) and the calls. Arguments are checked against the same
// inputSchema that tools/list publishes; a problem comes back as a tool result with isError true
// and a problems[] list, so the model can correct itself (MCP 2025-11-25, SEP-1303). Only an
// unknown tool is a protocol error.

#include <analyze/mcp_context.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crashpilot::analyze {

struct ToolResult {
  nlohmann::json content = nlohmann::json::object(); // structuredContent; also sent as text
  bool is_error = false;
};

// {error: sentence, problems: [...]} with isError.
ToolResult tool_error(std::string sentence, std::vector<std::string> problems = {});

// The `tools` array of tools/list, in a fixed order.
const nlohmann::json& tool_definitions();

// nullopt: no tool of that name.
std::optional<ToolResult> call_tool(McpContext& ctx, const std::string& name,
                                    const nlohmann::json& arguments);

// The MCP CallToolResult: structuredContent plus the same JSON as one text block, cut down to
// `max_chars` (arrays lose items from their end, long strings their tail) with a note of what was
// cut.
nlohmann::json call_tool_result(ToolResult result, size_t max_chars);

} // namespace crashpilot::analyze
