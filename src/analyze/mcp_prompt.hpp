// SPDX-License-Identifier: MIT
#pragma once

// The `analyze_crash` MCP prompt: the workflow an agent follows for one crash (claim, read,
// compare, fix through submit_fix, or release). It is the one prompt template (prompt_template.hpp)
// in its interactive form, the text `crashpilot init` writes into the /analyze-crash slash command,
// so an agent gets the same steps whichever way it starts. In Claude Code an MCP prompt appears as
// a slash command of its own.

#include <analyze/mcp_context.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace crashpilot::analyze {

// The prompts/list entry.
nlohmann::json analyze_crash_prompt_definition();

// The prompt text for `request_id` ("" = let the agent pick the first pending crash). The path
// rules are the request's policy when it names one, else the configured policy.
std::string render_analyze_crash_prompt(const McpContext& ctx, const std::string& request_id);

} // namespace crashpilot::analyze
