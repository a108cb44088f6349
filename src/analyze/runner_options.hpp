// SPDX-License-Identifier: MIT
#pragma once

// The runner's settings, from `[analyze]` (limits, retries, environment allow-list, run
// directories, the user's own MCP servers) plus what the command line decides.

#include <config/config.hpp>
#include <util/expected.hpp>

#include <analyze/prompt_template.hpp>
#include <analyze/runner_process.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace crashpilot::analyze {

struct RunnerOptions {
  AgentLimits limits;
  int max_attempts_per_bucket = 3; // over every run of the analyze command
  int max_retries = 2;             // retries of one request within one run (within the budget)
  int64_t retry_backoff_seconds = 30;
  int64_t retry_backoff_max_seconds = 600;
  std::vector<std::string> env_allow;
  std::string run_dir = ".crashpilot/runs"; // prompts, MCP configs and agent output, kept
  nlohmann::json extra_mcp_servers = nlohmann::json::object(); // name -> {command, args, env, ...}
  std::vector<ExtraServer> extra_servers;                      // the same, for the prompt
  std::string budget_usd = "5";
  int64_t max_turns = 60;
  std::string holder = "crashpilot analyze"; // lease holder

  // Filled by the command: how agents reach `crashpilot mcp` (the binary and the arguments that
  // give it the same configuration, store and queue as this run).
  std::string crashpilot_exe;
  std::vector<std::string> mcp_args;
};

// From `[analyze]`: timeout_seconds, idle_timeout_seconds (0 = off), kill_grace_seconds,
// exit_drain_seconds, max_output_bytes, max_attempts_per_bucket, max_retries,
// retry_backoff_seconds, retry_backoff_max_seconds, env_allow, run_dir, extra_mcp_servers,
// budget_usd, max_turns. Errors name the key.
util::Expected<RunnerOptions> runner_options_from_config(const config::Config& cfg);

// Seconds to wait before retry number `retry` (1 = the first retry): doubling, capped.
int64_t backoff_seconds(const RunnerOptions& o, int retry);

} // namespace crashpilot::analyze
