// SPDX-License-Identifier: MIT
#pragma once

// How to run one coding agent headless: an argv template with `{placeholders}`, how the prompt
// reaches it, what its output looks like, whether it edits files. The templates live in the
// configuration (`[agents.<name>]`), not in code, because agent CLIs rename flags between releases
// (agent-integration.md §5.9); the built-in presets are claude, codex, gemini, aider and custom.

#include <config/config.hpp>
#include <util/expected.hpp>
#include <util/placeholders.hpp>

#include <map>
#include <string>
#include <vector>

namespace crashpilot::analyze {

enum class PromptMode { stdin_pipe, argument, file };
enum class OutputFormat { claude_json, claude_stream, codex_jsonl, gemini_json, text };

struct AgentPreset {
  std::string name;
  std::vector<std::string> argv;   // templates
  std::vector<std::string> resume; // argv to continue a session ({session_id}); empty = cannot
  PromptMode prompt = PromptMode::stdin_pipe;
  OutputFormat output = OutputFormat::text;
  // The agent edits files in the worktree; crashpilot turns `git diff` into the patch.
  bool edits = false;
  // The agent can use MCP servers (aider cannot: it gets the file protocol only).
  bool mcp = true;
  // Variables the agent sees beyond `[analyze] env_allow` (names; a trailing `*` is a prefix).
  std::vector<std::string> env_allow;
  std::map<std::string, std::string> env; // set for the agent, after the allow-list
};

// `[agents.<name>]`: argv (required, non-empty), prompt ("stdin", "arg", "file"), output
// ("claude-json", "claude-stream", "codex-jsonl", "gemini-json", "text"), edits, mcp, resume,
// env_allow, env. Errors name the key and the accepted values.
util::Expected<AgentPreset> agent_preset_from_config(const config::Config& cfg,
                                                     const std::string& name);

// The names under `[agents]`, sorted.
std::vector<std::string> agent_names(const config::Config& cfg);

std::string_view to_string(OutputFormat f);

// `{name}` placeholders in preset argv and env values (shared with the fix stage's build commands).
using util::build_argv;
using util::fill_placeholders;

} // namespace crashpilot::analyze
