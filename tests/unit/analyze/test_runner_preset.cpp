// SPDX-License-Identifier: MIT
#include <config/config.hpp>

#include <analyze/agent_output.hpp>
#include <analyze/agent_preset.hpp>
#include <analyze/runner.hpp>
#include <analyze/runner_options.hpp>
#include <gtest/gtest.h>

using namespace crashpilot;
using namespace crashpilot::analyze;

namespace {

config::Config load(std::vector<std::string> sets = {}) {
  config::LoadOptions o;
  o.search_default_file = false;
  o.overrides = std::move(sets);
  auto c = config::Config::load(o);
  EXPECT_TRUE(c) << c.error();
  return *c;
}

} // namespace

TEST(AgentPreset, BuiltInPresetsLoad) {
  config::Config cfg = load();
  std::vector<std::string> names = agent_names(cfg);
  for (const char* n : {"aider", "claude", "codex", "custom", "gemini"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  }
  auto claude = agent_preset_from_config(cfg, "claude");
  ASSERT_TRUE(claude) << claude.error();
  EXPECT_EQ(claude->argv.front(), "claude");
  EXPECT_EQ(claude->prompt, PromptMode::stdin_pipe);
  EXPECT_EQ(claude->output, OutputFormat::claude_json);
  EXPECT_FALSE(claude->edits);
  EXPECT_FALSE(claude->resume.empty());
  auto aider = agent_preset_from_config(cfg, "aider");
  ASSERT_TRUE(aider) << aider.error();
  EXPECT_TRUE(aider->edits);
  EXPECT_FALSE(aider->mcp);
  EXPECT_EQ(aider->prompt, PromptMode::file);
  for (const char* n : {"codex", "gemini"}) {
    EXPECT_TRUE(agent_preset_from_config(cfg, n)) << n;
  }
}

TEST(AgentPreset, CustomNeedsAnArgvAndBadValuesAreNamed) {
  config::Config cfg = load();
  auto custom = agent_preset_from_config(cfg, "custom");
  ASSERT_FALSE(custom);
  EXPECT_NE(custom.error().find("agents.custom.argv is empty"), std::string::npos);
  auto missing = agent_preset_from_config(cfg, "nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("no agent preset 'nope'"), std::string::npos);
  EXPECT_NE(missing.error().find("builtin"), std::string::npos);

  config::Config bad = load({R"(agents.custom.argv=["x"])", "agents.custom.prompt=pipe"});
  auto b = agent_preset_from_config(bad, "custom");
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().find("agents.custom.prompt is 'pipe'"), std::string::npos) << b.error();

  config::Config ok = load({R"(agents.custom.argv=["my-agent","--task","{prompt_file}"])",
                            "agents.custom.prompt=file", "agents.custom.edits=true"});
  auto c = agent_preset_from_config(ok, "custom");
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->prompt, PromptMode::file);
  EXPECT_TRUE(c->edits);
}

TEST(AgentPreset, ClaudeArgvIsFilledWithoutAShell) {
  config::Config cfg = load();
  auto claude = agent_preset_from_config(cfg, "claude");
  ASSERT_TRUE(claude);
  RunnerOptions o;
  o.extra_servers = {{"serena", ""}};
  std::map<std::string, std::string> values = {
      {"mcp_config", "/run/mcp.json"},
      {"allowed_tools", allowed_tools(o, false)},
      {"max_turns", "60"},
      {"budget_usd", "5"},
  };
  auto argv = build_argv(claude->argv, values);
  ASSERT_TRUE(argv) << argv.error();
  std::vector<std::string> want = {"claude",
                                   "-p",
                                   "--output-format",
                                   "json",
                                   "--mcp-config",
                                   "/run/mcp.json",
                                   "--strict-mcp-config",
                                   "--allowedTools",
                                   "mcp__crashpilot__*,mcp__serena__*,Read,Grep,Glob",
                                   "--permission-mode",
                                   "dontAsk",
                                   "--max-turns",
                                   "60",
                                   "--max-budget-usd",
                                   "5"};
  EXPECT_EQ(*argv, want);
  EXPECT_EQ(allowed_tools(o, true), "mcp__crashpilot__*,mcp__serena__*,Read,Grep,Glob,Edit,Write");
}

TEST(AgentPreset, Placeholders) {
  std::map<std::string, std::string> v = {{"a", "x y"}, {"b", "$(rm -rf /)"}};
  EXPECT_EQ(*fill_placeholders("--k={a}", v), "--k=x y");
  EXPECT_EQ(*fill_placeholders("{b}", v), "$(rm -rf /)");
  EXPECT_EQ(*fill_placeholders("{{\"k\": 1}}", v), "{\"k\": 1}");
  auto unknown = fill_placeholders("{mpc_config}", v);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().find("unknown placeholder {mpc_config}"), std::string::npos);
  EXPECT_NE(unknown.error().find("{a}"), std::string::npos);
  EXPECT_FALSE(fill_placeholders("{a", v));
}

TEST(RunnerOptions, FromConfigAndBackoff) {
  auto o = runner_options_from_config(load());
  ASSERT_TRUE(o) << o.error();
  EXPECT_EQ(o->limits.wall, std::chrono::seconds(1200));
  EXPECT_TRUE(env_allowed("ANTHROPIC_API_KEY", o->env_allow));
  EXPECT_TRUE(env_allowed("LC_ALL", o->env_allow));
  EXPECT_FALSE(env_allowed("AWS", o->env_allow));
  EXPECT_FALSE(env_allowed("GITHUB_TOKEN", o->env_allow));
  EXPECT_FALSE(env_allowed("LD_PRELOAD", o->env_allow));
  EXPECT_EQ(backoff_seconds(*o, 1), 30);
  EXPECT_EQ(backoff_seconds(*o, 2), 60);
  EXPECT_EQ(backoff_seconds(*o, 10), 600);

  auto bad = runner_options_from_config(load({"analyze.timeout_seconds=-3"}));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("analyze.timeout_seconds"), std::string::npos);

  auto servers = runner_options_from_config(
      load({"analyze.extra_mcp_servers.serena.command=serena",
            R"(analyze.extra_mcp_servers.serena.args=["start-mcp-server"])",
            "analyze.extra_mcp_servers.serena.description=code search"}));
  ASSERT_TRUE(servers) << servers.error();
  ASSERT_EQ(servers->extra_servers.size(), 1u);
  EXPECT_EQ(servers->extra_servers[0].description, "code search");
  servers->crashpilot_exe = "/usr/bin/crashpilot";
  servers->mcp_args = {"--queue-root", "/q"};
  auto mcp = mcp_config(*servers, "abc");
  EXPECT_EQ(mcp["mcpServers"]["serena"]["command"], "serena");
  EXPECT_EQ(mcp["mcpServers"]["serena"]["type"], "stdio");
  EXPECT_FALSE(mcp["mcpServers"]["serena"].contains("description"));
  EXPECT_EQ(mcp["mcpServers"]["crashpilot"]["args"],
            nlohmann::json({"mcp", "--request", "abc", "--queue-root", "/q"}));

  auto own = runner_options_from_config(load({"analyze.extra_mcp_servers.crashpilot.command=x"}));
  EXPECT_FALSE(own);
}

TEST(AgentOutput, ClaudeResultJson) {
  auto r = parse_agent_output(
      OutputFormat::claude_json,
      R"({"type":"result","subtype":"success","is_error":false,"num_turns":23,"result":"Fixed.",)"
      R"("session_id":"s-1","total_cost_usd":0.84,"usage":{}})");
  EXPECT_TRUE(r.envelope_found);
  EXPECT_EQ(r.session_id, "s-1");
  EXPECT_DOUBLE_EQ(*r.cost_usd, 0.84);
  EXPECT_EQ(*r.turns, 23);
  EXPECT_FALSE(r.is_error);
  EXPECT_TRUE(r.claims_success);
  EXPECT_EQ(r.final_text, "Fixed.");

  // subtype "success" with is_error: a rate limit (anthropics/claude-code#79500).
  auto rl = parse_agent_output(
      OutputFormat::claude_json,
      R"({"type":"result","subtype":"success","is_error":true,"api_error_status":429,"result":"API Error"})");
  EXPECT_TRUE(rl.is_error);
  EXPECT_EQ(*rl.api_status, 429);
  EXPECT_FALSE(rl.claims_success);

  auto turns = parse_agent_output(
      OutputFormat::claude_json, R"({"type":"result","subtype":"error_max_turns","num_turns":60})");
  EXPECT_TRUE(turns.is_error);
  EXPECT_EQ(turns.subtype, "error_max_turns");

  auto junk = parse_agent_output(OutputFormat::claude_json, "Error: not logged in\n");
  EXPECT_FALSE(junk.envelope_found);
}

TEST(AgentOutput, StreamCodexGemini) {
  auto s = parse_agent_output(
      OutputFormat::claude_stream,
      "{\"type\":\"system\",\"subtype\":\"init\",\"session_id\":\"s2\",\"mcp_servers\":[{\"name\":"
      "\"crashpilot\",\"status\":\"failed\"}]}\nnot json\n{\"type\":\"assistant\"}\n");
  EXPECT_EQ(s.session_id, "s2");
  ASSERT_EQ(s.mcp_failed.size(), 1u);
  EXPECT_EQ(s.mcp_failed[0], "crashpilot (failed)");

  auto c = parse_agent_output(
      OutputFormat::codex_jsonl,
      "{\"type\":\"thread.started\",\"thread_id\":\"t-9\"}\n{\"type\":\"turn.started\"}\n"
      "{\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\",\"text\":\"done\"}}\n"
      "{\"type\":\"turn.completed\",\"usage\":{}}\n");
  EXPECT_EQ(c.session_id, "t-9");
  EXPECT_EQ(*c.turns, 1);
  EXPECT_EQ(c.final_text, "done");
  EXPECT_FALSE(c.is_error);
  auto cf = parse_agent_output(OutputFormat::codex_jsonl,
                               "{\"type\":\"turn.failed\",\"error\":{\"message\":\"429 Too Many "
                               "Requests\"}}\n");
  EXPECT_TRUE(cf.is_error);
  EXPECT_EQ(cf.error, "429 Too Many Requests");

  auto g = parse_agent_output(OutputFormat::gemini_json,
                              R"({"session_id":"g1","response":"ok","stats":{}})");
  EXPECT_EQ(g.session_id, "g1");
  EXPECT_TRUE(g.claims_success);
  auto ge = parse_agent_output(OutputFormat::gemini_json,
                               R"({"error":{"type":"ApiError","message":"quota","code":429}})");
  EXPECT_TRUE(ge.is_error);
  EXPECT_EQ(*ge.api_status, 429);
}
