// SPDX-License-Identifier: MIT
#pragma once

// What an agent's own output says about its run: the envelope of `claude -p --output-format json`
// (or the last `result` line of stream-json), Codex's JSONL events, Gemini's JSON, or plain text.
// Read for the record (session id, cost, turns) and for why a run failed (rate limits, turn caps).
// Never for success: a run succeeds only through a validated response (agent-integration.md §5.4).

#include <analyze/agent_preset.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::analyze {

struct AgentReport {
  bool envelope_found = false; // the output held the format's result object
  std::string session_id;
  std::optional<double> cost_usd;
  std::optional<int64_t> turns;
  bool is_error = false;               // the agent itself said the run failed
  std::optional<int> api_status;       // HTTP status of the model API's error (429, 529, ...)
  std::string subtype;                 // claude: success, error_max_turns, ...
  std::string error;                   // the agent's error text, cut
  std::string final_text;              // the final message, cut
  bool claims_success = false;         // it said it succeeded (which proves nothing)
  nlohmann::json structured_output;    // claude --json-schema, when present
  std::vector<std::string> mcp_failed; // stream-json init: MCP servers not connected
};

AgentReport parse_agent_output(OutputFormat format, std::string_view out);

} // namespace crashpilot::analyze
