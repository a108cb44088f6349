// SPDX-License-Identifier: MIT
#include <util/sha1.hpp>
#include <util/string.hpp>

#include <analyze/init_files.hpp>
#include <analyze/mcp_tools.hpp>
#include <analyze/prompt_template.hpp>
#include <analyze/runner.hpp>
#include <analyze/runner_options.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace crashpilot::analyze {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::string_view k_description =
    "Analyze a queued crash and submit a fix through crashpilot";
constexpr std::string_view k_config_path = "crashpilot.toml";

bool is_hex40(std::string_view s) {
  return s.size() == 40 && util::is_all_hex(s);
}

// A TOML value from JSON: JSON's string escapes are valid in TOML basic strings.
std::string toml_value(const json& v) {
  if (v.is_array()) {
    std::vector<std::string> items;
    for (const auto& e : v) {
      items.push_back(toml_value(e));
    }
    return "[" + util::join(items, ", ") + "]";
  }
  if (v.is_object()) {
    std::vector<std::string> items;
    for (const auto& [k, e] : v.items()) {
      items.push_back(json(k).dump() + " = " + toml_value(e));
    }
    return "{ " + util::join(items, ", ") + " }";
  }
  return v.dump();
}

// ---- crashpilot.toml ------------------------------------------------------------------------

struct TomlKey {
  std::string key;
  json value;
  std::vector<std::string> comments;
};

struct TomlTable {
  std::string name;
  std::vector<TomlKey> keys;
  std::vector<std::string> hints; // commented lines after the keys
};

std::string describe_tree(const config::TreeInfo& t) {
  if (t.kind == config::TreeKind::generic) {
    return fmt::format("No TrinityCore or AzerothCore tree recognised at {}: the generic preset.",
                       t.root);
  }
  return fmt::format("{} tree at {} ({}).", config::to_string(t.kind), t.root,
                     util::join(t.evidence, "; "));
}

std::vector<TomlTable> config_tables(const InitSettings& s) {
  const config::TreeInfo& t = s.tree;
  std::vector<TomlTable> tables;

  TomlTable server{"server", {}, {}};
  const config::BuildDir* build = t.build ? &*t.build : nullptr;
  const config::ServerBinary* bin = build && build->server ? &*build->server : nullptr;
  if (bin != nullptr) {
    json command = json::array({bin->path});
    std::vector<std::string> comments = {fmt::format(
        "The server `crashpilot run` supervises: the worldserver found in {}.", build->path)};
    if (!bin->conf.empty()) {
      command.push_back("-c");
      command.push_back(bin->conf);
    } else if (!bin->conf_dist.empty()) {
      comments.push_back(fmt::format("Only {} exists: copy it to worldserver.conf, set it up, and "
                                     "add \"-c\", \"<that path>\" here.",
                                     bin->conf_dist));
    } else {
      comments.emplace_back("No worldserver.conf found beside it: add \"-c\", \"<path>\" here.");
    }
    std::string dir = bin->path.substr(0, bin->path.rfind('/'));
    server.keys.push_back({"command", command, comments});
    server.keys.push_back({"cwd", dir, {"Its working directory (where it looks for data)."}});
  } else {
    server.hints.emplace_back(t.kind == config::TreeKind::generic
                                  ? "The server `crashpilot run` supervises, e.g.:"
                                  : "No worldserver binary found in a build directory of this "
                                    "tree. Build it, then re-run `crashpilot init`, or set:");
    server.hints.emplace_back(
        R"(command = ["/path/to/worldserver", "-c", "/path/to/worldserver.conf"])");
    server.hints.emplace_back(R"(cwd = "/path/to")");
  }
  tables.push_back(std::move(server));

  TomlTable logs{"logs", {}, {}};
  if (bin != nullptr && !bin->logs_dir.empty()) {
    logs.keys.push_back(
        {"dir",
         bin->logs_dir,
         {"LogsDir of worldserver.conf (relative: from [server] cwd); the log files "
          "followed are the preset's [[logs.source]]."}});
  }
  tables.push_back(std::move(logs));

  TomlTable queue{"queue", {}, {}};
  queue.keys.push_back(
      {"repo_root",
       t.root,
       {"This repository: source snippets in requests, and `git apply --check` of fixes."}});
  tables.push_back(std::move(queue));

  TomlTable policy{"policy", {}, {}};
  if (t.kind == config::TreeKind::azerothcore) {
    policy.keys.push_back({"allowed_paths",
                           json::array({"modules/**", "src/server/game/**"}),
                           {"AzerothCore keeps its modules in modules/ (the preset's "
                            "src/modules/** is TrinityCore's layout); module code first."}});
  }
  if (!t.playerbot.empty()) {
    policy.hints.push_back(fmt::format(
        "Playerbot module at {}. To let agents change only the bot module (the seed's first "
        "level):",
        t.playerbot));
    policy.hints.push_back(fmt::format("allowed_paths = [{}]", json(t.playerbot + "/**").dump()));
  }
  tables.push_back(std::move(policy));

  TomlTable fix{"fix", {}, {}};
  if (build != nullptr) {
    std::vector<std::string> comments = {
        "Your build directory of this tree ({build_dir} in [fix] build commands)."};
    if (!t.other_builds.empty()) {
      comments.push_back(
          fmt::format("Other build directories found: {}.", util::join(t.other_builds, ", ")));
    }
    fix.keys.push_back({"build_dir", build->path, comments});
  } else {
    fix.hints.emplace_back("No CMake build directory of this tree found (a CMakeCache.txt whose "
                           "CMAKE_HOME_DIRECTORY is this repository). When you have one:");
    fix.hints.emplace_back(R"(build_dir = "/path/to/build")");
  }
  tables.push_back(std::move(fix));

  TomlTable loop{"loop", {}, {}};
  loop.keys.push_back({"agent",
                       std::string(to_string(s.agent)),
                       {"The agent preset ([agents.*]) that answers crashes in the fix loop and "
                        "in `crashpilot analyze --agent` examples."}});
  tables.push_back(std::move(loop));
  return tables;
}

// ---- agent files ----------------------------------------------------------------------------

// Everything the agent files need from the configuration crashpilot will run with.
struct AgentContext {
  const InitSettings& s;
  RunnerOptions runner;
  std::string queue_root;
  std::vector<std::string> allowed_paths;
  std::vector<std::string> forbidden_paths;
  json servers; // mcpServers: crashpilot's entry and the extra ones
};

PromptInput prompt_input(const AgentContext& c, std::string request_id, bool mcp) {
  PromptInput in;
  in.request_id = std::move(request_id);
  in.queue_root = c.queue_root;
  in.allowed_paths = c.allowed_paths;
  in.forbidden_paths = c.forbidden_paths;
  in.mcp = mcp;
  in.extra_servers = c.runner.extra_servers;
  return in;
}

std::string marked_markdown(std::string_view frontmatter, std::string_view body,
                            std::string_view version) {
  std::string text = std::string(frontmatter) + std::string(body);
  return with_marker(text, frontmatter.size(), "<!-- ", " -->", version);
}

util::Expected<void> check_hazards(const std::string& text, InitAgent agent,
                                   std::string_view path) {
  auto problems = substitution_hazards(text, agent);
  if (problems.empty()) {
    return {};
  }
  return util::error(fmt::format(
      "{} would be changed by {} before the model reads it: {}. The text comes from the "
      "configuration (e.g. an [analyze.extra_mcp_servers] description or a [policy] path); "
      "reword it",
      path, to_string(agent), util::join(problems, "; ")));
}

// crashpilot's own MCP entry as the runner builds it, minus the per-request restriction: an
// interactive agent works on whichever request it claims.
json mcp_servers(RunnerOptions o, const InitSettings& s) {
  o.crashpilot_exe = s.crashpilot_command;
  o.mcp_args = {"--config", std::string(k_config_path)};
  json servers = mcp_config(o, "")["mcpServers"];
  json& args = servers["crashpilot"]["args"];
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--request" && args[i + 1] == "") {
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
                 args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
      break;
    }
  }
  return servers;
}

std::vector<std::string> tool_list(const AgentContext& c) {
  std::string tools = allowed_tools(c.runner, false);
  std::vector<std::string> out;
  for (auto t : util::split(tools, ',')) {
    out.emplace_back(t);
  }
  return out;
}

// A server entry with its keys in the order people write them (type, command, args, env).
ordered_json server_entry(const json& server) {
  ordered_json out = ordered_json::object();
  for (const char* key : {"type", "command", "args", "env", "url"}) {
    if (server.contains(key)) {
      out[key] = ordered_json::parse(server[key].dump());
    }
  }
  for (const auto& [k, v] : server.items()) {
    if (!out.contains(k)) {
      out[k] = ordered_json::parse(v.dump());
    }
  }
  return out;
}

std::vector<JsonEntry> server_entries(const AgentContext& c, bool gemini) {
  std::vector<JsonEntry> out;
  for (const auto& [name, server] : c.servers.items()) {
    json v = server;
    if (gemini) {
      // Gemini CLI infers stdio from `command` and knows no "stdio" type; `trust` skips its
      // confirmation prompts for this server (google-gemini/gemini-cli docs/tools/mcp-server.md).
      if (auto type = v.find("type"); type != v.end() && *type == "stdio") {
        v.erase(type);
      }
      if (!v.contains("command")) {
        continue; // http servers use other keys in Gemini's settings; left to the user
      }
      if (name == "crashpilot") {
        v["trust"] = true;
      }
    }
    out.push_back({{"mcpServers", name}, server_entry(v), name == "crashpilot"});
  }
  return out;
}

void plan_claude(const AgentContext& c, InitPlan& plan) {
  // Slash command format (frontmatter keys, $ARGUMENTS, quoting of argument-hint): Claude Code's
  // plugins/plugin-dev/skills/command-development docs, agent-integration.md §1.2-1.3.
  std::vector<std::string> allowed;
  for (const auto& tool : tool_definitions()) {
    allowed.push_back("mcp__crashpilot__" + tool["name"].get<std::string>());
  }
  for (const auto& t : tool_list(c)) {
    if (t != "mcp__crashpilot__*") {
      allowed.push_back(t);
    }
  }
  std::string frontmatter =
      fmt::format("---\ndescription: {}\nargument-hint: \"[request_id]\"\nallowed-tools: {}\n---\n",
                  k_description, util::join(allowed, ", "));
  std::string body = render_prompt(prompt_input(c, "$ARGUMENTS", true));
  plan.files.push_back({".claude/commands/analyze-crash.md",
                        "Claude Code slash command /analyze-crash",
                        false,
                        marked_markdown(frontmatter, body, c.s.version),
                        {},
                        {}});

  // Project-scope MCP servers (agent-integration.md §2.4). Claude Code starts them in the
  // directory it was started in, so `--config crashpilot.toml` is this repository's.
  PlannedFile mcp{".mcp.json", "Claude Code project MCP servers", true, {}, {}, {}};
  mcp.entries = server_entries(c, false);
  plan.files.push_back(std::move(mcp));

  // Permission rules and the approval of the project's MCP servers (§2.4, §2.5).
  PlannedFile settings{".claude/settings.json", "Claude Code permissions", true, {}, {}, {}};
  settings.items.push_back({{"permissions", "allow"}, tool_list(c)});
  std::vector<std::string> names;
  for (const auto& [name, server] : c.servers.items()) {
    names.push_back(name);
  }
  settings.items.push_back({{"enabledMcpjsonServers"}, names});
  plan.files.push_back(std::move(settings));

  plan.next_steps.push_back(fmt::format(
      "In Claude Code started in {}: check /mcp lists crashpilot as connected, then type "
      "/analyze-crash (or /analyze-crash REQUEST_ID)",
      c.s.tree.root));
  plan.next_steps.emplace_back("Unattended: crashpilot analyze --agent claude --all");
}

std::string codex_config(const AgentContext& c) {
  // Codex reads [mcp_servers.<name>] (command, args, env) from ~/.codex/config.toml, or from
  // .codex/config.toml of a trusted project (agent-integration.md §4; openai/codex docs).
  const json& cp = c.servers["crashpilot"];
  std::vector<std::string> args = cp["args"].get<std::vector<std::string>>();
  for (auto& a : args) {
    if (a == k_config_path) {
      a = c.s.tree.root + "/" + std::string(k_config_path); // user-level config: absolute
    }
  }
  std::string text = fmt::format(
      "# Codex CLI's MCP registration of crashpilot. Codex reads [mcp_servers.<name>] tables from\n"
      "# ~/.codex/config.toml, or from .codex/config.toml in a project it trusts. Copy the tables\n"
      "# below into one of them, or register the server with:\n"
      "#   codex mcp add crashpilot -- {} {}\n"
      "# Codex starts MCP servers in its own working directory: start it in {},\n"
      "# where crashpilot.toml's relative paths (queue, store) point.\n",
      cp["command"].get<std::string>(), util::join(args, " "), c.s.tree.root);
  auto table = [&](const std::string& name, const json& server) {
    bool bare = std::all_of(name.begin(), name.end(), [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_' || ch == '-';
    });
    text += fmt::format("\n[mcp_servers.{}]\n", bare ? name : json(name).dump());
    ordered_json entry = server_entry(server);
    for (const auto& [k, v] : entry.items()) {
      if (k == "type") {
        continue;
      }
      json value = json::parse(v.dump());
      text += fmt::format("{} = {}\n", k,
                          toml_value(k == "args" && name == "crashpilot" ? json(args) : value));
    }
  };
  table("crashpilot", cp);
  for (const auto& [name, server] : c.servers.items()) {
    if (name != "crashpilot" && server.contains("command")) {
      table(name, server);
    }
  }
  return with_marker(text, 0, "# ", "", c.s.version);
}

util::Expected<void> plan_codex(const AgentContext& c, InitPlan& plan) {
  plan.files.push_back({".crashpilot/agents/codex-config.toml",
                        "Codex MCP configuration (to copy into ~/.codex/config.toml)",
                        false,
                        codex_config(c),
                        {},
                        {}});
  // Custom prompt format: ~/.codex/prompts/<name>.md with description and argument-hint
  // frontmatter, $ARGUMENTS for the arguments; /prompts:<name> runs it (openai/codex
  // docs/prompts.md; codex-protocol custom_prompts.rs).
  std::string frontmatter =
      fmt::format("---\ndescription: {}\nargument-hint: \"[request_id]\"\n---\n", k_description);
  std::string body = render_prompt(prompt_input(c, "$ARGUMENTS", true));
  if (auto ok = check_hazards(body, InitAgent::codex, "the Codex prompt"); !ok) {
    return ok;
  }
  plan.files.push_back({".crashpilot/agents/codex-prompt.md",
                        "Codex custom prompt (to link into ~/.codex/prompts/)",
                        false,
                        marked_markdown(frontmatter, body, c.s.version),
                        {},
                        {}});
  plan.next_steps.push_back(
      fmt::format("Codex: copy the tables of {0}/.crashpilot/agents/codex-config.toml into "
                  "~/.codex/config.toml (it shows the `codex mcp add` line too)",
                  c.s.tree.root));
  plan.next_steps.push_back(fmt::format(
      "Codex: ln -s {}/.crashpilot/agents/codex-prompt.md ~/.codex/prompts/analyze-crash.md, "
      "then in codex (started in {}) type /prompts:analyze-crash",
      c.s.tree.root, c.s.tree.root));
  plan.next_steps.emplace_back("Unattended: crashpilot analyze --agent codex --all");
  plan.notes.emplace_back("Codex keeps its MCP servers and prompts in ~/.codex; init does not "
                          "write there, it writes the pieces to copy into .crashpilot/agents/");
  return {};
}

std::string toml_multiline_literal(const std::string& s) {
  return "'''\n" + s + "'''";
}

util::Expected<void> plan_gemini(const AgentContext& c, InitPlan& plan) {
  PlannedFile settings{".gemini/settings.json", "Gemini CLI project MCP servers", true, {}, {}, {}};
  settings.entries = server_entries(c, true);
  plan.files.push_back(std::move(settings));

  // Custom command format: .gemini/commands/<name>.toml with `description` and `prompt`;
  // {{args}} is what follows the command (google-gemini/gemini-cli docs/cli/custom-commands.md).
  std::string body = render_prompt(prompt_input(c, "{{args}}", true));
  if (body.find("'''") != std::string::npos) {
    return util::error("the Gemini command's prompt contains ''' and cannot be a TOML literal "
                       "string; reword the configuration text it comes from");
  }
  if (auto ok = check_hazards(body, InitAgent::gemini, ".gemini/commands/analyze-crash.toml");
      !ok) {
    return ok;
  }
  std::string text = fmt::format("description = {}\nprompt = {}\n", json(k_description).dump(),
                                 toml_multiline_literal(body));
  plan.files.push_back({".gemini/commands/analyze-crash.toml",
                        "Gemini CLI command /analyze-crash",
                        false,
                        with_marker(text, 0, "# ", "", c.s.version),
                        {},
                        {}});
  plan.next_steps.push_back(fmt::format(
      "In Gemini CLI started in {} (trust the folder: Gemini ignores project settings until "
      "then): /analyze-crash (or /analyze-crash REQUEST_ID)",
      c.s.tree.root));
  plan.next_steps.emplace_back("Unattended: crashpilot analyze --agent gemini --all");
  return {};
}

void plan_aider(const AgentContext& c, InitPlan& plan) {
  // aider has no MCP client (Aider-AI/aider#2525): the file protocol only, and a read-only
  // context file given with --read (aider.chat/docs/usage/conventions.html).
  std::string preamble = fmt::format(
      "# Analyzing crashes from the crashpilot queue\n"
      "\n"
      "There are no crashpilot tools here: work through crashpilot's file queue. Before "
      "anything else, have the request claimed: suggest the shell command `{} queue claim "
      "REQUEST_ID` (without an id it claims the highest-priority pending request). It prints "
      "the request file in in_progress/, the lease id and where the response goes; put "
      "request_id and lease_id into the response. Do not edit the source files for the fix: "
      "put it into the response as a unified diff against the request's source.base_commit, "
      "so crashpilot can validate, build and verify it in a worktree of its own.\n"
      "\n",
      c.s.crashpilot_command);
  std::string body =
      preamble + render_prompt(prompt_input(c, "the one the user names in the chat", false));
  plan.files.push_back({".crashpilot/agents/aider-prompt.md",
                        "aider instructions (for --read)",
                        false,
                        with_marker(body, 0, "<!-- ", " -->", c.s.version),
                        {},
                        {}});
  plan.next_steps.push_back(fmt::format(
      "aider: start it in {} with --read .crashpilot/agents/aider-prompt.md and ask it to "
      "analyze a crash request (aider has no MCP: it uses the file queue)",
      c.s.tree.root));
  plan.next_steps.emplace_back("Unattended: crashpilot analyze --agent aider --all (aider edits "
                               "a scratch worktree; crashpilot takes its diff)");
}

} // namespace

util::Expected<InitAgent> parse_init_agent(std::string_view name) {
  for (InitAgent a : {InitAgent::claude, InitAgent::codex, InitAgent::gemini, InitAgent::aider}) {
    if (name == to_string(a)) {
      return a;
    }
  }
  return util::error(
      fmt::format("unknown agent '{}' (init knows claude, codex, gemini, aider)", name));
}

std::string_view to_string(InitAgent agent) {
  switch (agent) {
  case InitAgent::claude:
    return "claude";
  case InitAgent::codex:
    return "codex";
  case InitAgent::gemini:
    return "gemini";
  case InitAgent::aider:
    return "aider";
  }
  return "claude";
}

std::string with_marker(std::string_view body, size_t marker_at, std::string_view open,
                        std::string_view close, std::string_view version) {
  std::string hash = util::sha1_hex(body);
  std::string line =
      fmt::format("{}{} v{} (template {}, sha1:{}); edit freely, re-run with "
                  "--force to regenerate{}\n",
                  open, k_init_marker, version, k_prompt_template_version, hash, close);
  std::string out(body);
  out.insert(std::min(marker_at, out.size()), line);
  return out;
}

MarkerState marker_state(std::string_view content) {
  size_t start = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    size_t next = end == std::string_view::npos ? content.size() : end + 1;
    std::string_view line = content.substr(start, next - start);
    size_t at = line.find(k_init_marker);
    size_t sha = line.find("sha1:");
    if (at != std::string_view::npos && sha != std::string_view::npos && sha > at) {
      std::string_view hash = line.substr(sha + 5, 40);
      if (!is_hex40(hash)) {
        return MarkerState::changed;
      }
      std::string rest(content.substr(0, start));
      rest += content.substr(next);
      return util::sha1_hex(rest) == hash ? MarkerState::intact : MarkerState::changed;
    }
    start = next;
  }
  return MarkerState::none;
}

std::vector<std::string> substitution_hazards(std::string_view text, InitAgent agent) {
  std::vector<std::string> out;
  auto context = [&](size_t i) {
    size_t from = i >= 10 ? i - 10 : 0;
    std::string s(text.substr(from, 24));
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    char next = i + 1 < text.size() ? text[i + 1] : '\0';
    bool token_start = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '\t';
    if (agent == InitAgent::claude || agent == InitAgent::codex) {
      // Positional arguments ($1, or $0 in newer Claude Code) are substituted even in code
      // fences (agent-integration.md §1.3).
      if (c == '$' && util::is_digit(next)) {
        out.push_back(fmt::format("'${}' (a positional argument) in \"{}\"", next, context(i)));
      }
    }
    if (agent == InitAgent::claude) {
      if (c == '!' && next == '`') {
        out.push_back(fmt::format("'!`' (runs a shell command) in \"{}\"", context(i)));
      }
      if (c == '@' && token_start && next != '\0' && next != ' ' && next != '\n') {
        out.push_back(fmt::format("'@' (inlines a file) in \"{}\"", context(i)));
      }
    }
    if (agent == InitAgent::codex && c == '$' && next >= 'A' && next <= 'Z' &&
        !text.substr(i).starts_with("$ARGUMENTS")) {
      // An upper-case $NAME makes Codex demand NAME=value arguments.
      out.push_back(fmt::format("'$' + upper-case name (a named argument) in \"{}\"", context(i)));
    }
    if (agent == InitAgent::gemini && (c == '!' || c == '@') && next == '{') {
      out.push_back(fmt::format("'{}{{' (shell or file injection) in \"{}\"", c, context(i)));
    }
  }
  return out;
}

std::string render_config_toml(const InitSettings& s, const config::Config& preset_config) {
  std::string body = fmt::format("# {}\n", describe_tree(s.tree));
  if (!s.tree.playerbot.empty()) {
    body += fmt::format("# Playerbot module: {}.\n", s.tree.playerbot);
  }
  body += "# Only what differs from the preset is set here; `crashpilot config print` shows every\n"
          "# key with where its value comes from.\n";
  body += fmt::format("preset = {}\n", json(s.preset).dump());
  for (const auto& table : config_tables(s)) {
    std::string keys;
    for (const auto& k : table.keys) {
      const json* preset_value = preset_config.find(table.name + "." + k.key);
      if (preset_value != nullptr && *preset_value == k.value) {
        continue;
      }
      for (const auto& c : k.comments) {
        keys += "# " + c + "\n";
      }
      keys += k.key + " = " + toml_value(k.value) + "\n";
    }
    for (const auto& h : table.hints) {
      keys += "# " + h + "\n";
    }
    if (!keys.empty()) {
      body += fmt::format("\n[{}]\n{}", table.name, keys);
    }
  }
  return with_marker(body, 0, "# ", "", s.version);
}

util::Expected<InitPlan> plan_init(const InitSettings& s, const config::Config& effective) {
  auto runner = runner_options_from_config(effective);
  if (!runner) {
    return util::error(runner.error());
  }
  AgentContext c{s,
                 std::move(*runner),
                 effective.get_string("queue.root"),
                 effective.get_strings("policy.allowed_paths"),
                 effective.get_strings("policy.forbidden_paths"),
                 json::object()};
  c.servers = mcp_servers(c.runner, s);

  InitPlan plan;
  bool server = s.tree.build && s.tree.build->server;
  plan.next_steps.emplace_back("crashpilot config print   (check the merged configuration)");
  plan.next_steps.emplace_back(
      server ? "crashpilot run   (supervise the worldserver: each crash is captured, triaged and "
               "queued)"
             : "set [server] command in crashpilot.toml, then: crashpilot run   (or queue "
               "existing reports: crashpilot ingest FILE...)");
  switch (s.agent) {
  case InitAgent::claude: {
    plan_claude(c, plan);
    const std::string& text = plan.files.front().text;
    if (auto ok = check_hazards(text, InitAgent::claude, ".claude/commands/analyze-crash.md");
        !ok) {
      return util::error(ok.error());
    }
    break;
  }
  case InitAgent::codex:
    if (auto ok = plan_codex(c, plan); !ok) {
      return util::error(ok.error());
    }
    break;
  case InitAgent::gemini:
    if (auto ok = plan_gemini(c, plan); !ok) {
      return util::error(ok.error());
    }
    break;
  case InitAgent::aider:
    plan_aider(c, plan);
    break;
  }
  return plan;
}

} // namespace crashpilot::analyze
