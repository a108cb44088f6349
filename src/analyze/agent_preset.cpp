// SPDX-License-Identifier: MIT
#include <analyze/agent_preset.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace crashpilot::analyze {

using nlohmann::json;

namespace {

util::Expected<std::vector<std::string>> string_list(const json& table, const std::string& key,
                                                     const std::string& where) {
  std::vector<std::string> out;
  auto it = table.find(key);
  if (it == table.end()) {
    return out;
  }
  if (!it->is_array()) {
    return util::error(fmt::format("{}.{} must be an array of strings", where, key));
  }
  for (const auto& v : *it) {
    if (!v.is_string()) {
      return util::error(fmt::format("{}.{} must be an array of strings", where, key));
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

} // namespace

std::string_view to_string(OutputFormat f) {
  switch (f) {
  case OutputFormat::claude_json:
    return "claude-json";
  case OutputFormat::claude_stream:
    return "claude-stream";
  case OutputFormat::codex_jsonl:
    return "codex-jsonl";
  case OutputFormat::gemini_json:
    return "gemini-json";
  case OutputFormat::text:
    return "text";
  }
  return "text";
}

std::vector<std::string> agent_names(const config::Config& cfg) {
  std::vector<std::string> names;
  if (const json* agents = cfg.find("agents"); agents != nullptr && agents->is_object()) {
    for (const auto& [k, v] : agents->items()) {
      if (v.is_object()) {
        names.push_back(k);
      }
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

util::Expected<AgentPreset> agent_preset_from_config(const config::Config& cfg,
                                                     const std::string& name) {
  const json* agents = cfg.find("agents");
  std::string where = "agents." + name;
  if (agents == nullptr || !agents->is_object() || !agents->contains(name) ||
      !(*agents)[name].is_object()) {
    std::vector<std::string> known = agent_names(cfg);
    known.push_back("builtin");
    return util::error(fmt::format("no agent preset '{}' (known: {}); add a [{}] table with argv",
                                   name, fmt::join(known, ", "), where));
  }
  const json& t = (*agents)[name];
  AgentPreset p;
  p.name = name;
  auto argv = string_list(t, "argv", where);
  if (!argv) {
    return util::error(argv.error());
  }
  if (argv->empty() || argv->front().empty()) {
    return util::error(fmt::format("{}.argv is empty; set the agent's command line, e.g. --set "
                                   "'{}.argv=[\"my-agent\",\"--prompt-file\",\"{{prompt_file}}\"]'",
                                   where, where));
  }
  p.argv = std::move(*argv);
  auto resume = string_list(t, "resume", where);
  auto allow = string_list(t, "env_allow", where);
  if (!resume || !allow) {
    return util::error(!resume ? resume.error() : allow.error());
  }
  p.resume = std::move(*resume);
  p.env_allow = std::move(*allow);
  std::string prompt = cfg.get_string(where + ".prompt", "stdin");
  if (prompt == "stdin") {
    p.prompt = PromptMode::stdin_pipe;
  } else if (prompt == "arg") {
    p.prompt = PromptMode::argument;
  } else if (prompt == "file") {
    p.prompt = PromptMode::file;
  } else {
    return util::error(
        fmt::format("{}.prompt is '{}'; use \"stdin\", \"arg\" or \"file\"", where, prompt));
  }
  std::string output = cfg.get_string(where + ".output", "text");
  bool known_output = false;
  for (OutputFormat f :
       {OutputFormat::claude_json, OutputFormat::claude_stream, OutputFormat::codex_jsonl,
        OutputFormat::gemini_json, OutputFormat::text}) {
    if (output == to_string(f)) {
      p.output = f;
      known_output = true;
    }
  }
  if (!known_output) {
    return util::error(fmt::format("{}.output is '{}'; use claude-json, claude-stream, "
                                   "codex-jsonl, gemini-json or text",
                                   where, output));
  }
  for (auto [key, flag] : {std::pair{"edits", &p.edits}, std::pair{"mcp", &p.mcp}}) {
    if (auto it = t.find(key); it != t.end()) {
      if (!it->is_boolean()) {
        return util::error(fmt::format("{}.{} must be true or false", where, key));
      }
      *flag = it->get<bool>();
    }
  }
  if (auto it = t.find("env"); it != t.end()) {
    if (!it->is_object()) {
      return util::error(fmt::format("{}.env must be a table of strings", where));
    }
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) {
        return util::error(fmt::format("{}.env.{} must be a string", where, k));
      }
      p.env[k] = v.get<std::string>();
    }
  }
  return p;
}

} // namespace crashpilot::analyze
