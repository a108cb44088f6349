// SPDX-License-Identifier: MIT
#pragma once

// `crashpilot analyze`: takes requests from the queue and has an agent answer each
// (agent-integration.md §6.5). Per request: claim the lease, check the bucket's attempt budget,
// make a throw-away worktree at the base commit, render the prompt and the MCP config into a run
// directory, run the agent (runner_process.hpp), look for the artifact (a response that
// submit_fix or the agent wrote, or the worktree's diff turned into one), validate it with the
// queue's validator, classify the run (runner_outcome.hpp), record it in the store, then
// complete the request or release it; retryable failures are retried with exponential backoff
// while the budget lasts. The built-in analyzer takes the same path without a process.

#include <util/expected.hpp>

#include <analyze/agent_preset.hpp>
#include <analyze/runner_options.hpp>
#include <analyze/runner_outcome.hpp>
#include <queue/queue.hpp>
#include <store/store.hpp>

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace crashpilot::analyze {

struct RequestResult {
  std::string request_id;
  std::string skipped; // not attempted, and why ("" = attempted)
  Classification result;
  int attempts = 0;   // made by this run
  int attempt_no = 0; // the last one's number over the bucket's history
  std::optional<int64_t> store_attempt; // the last one's attempt id in the store (with a store)
  std::string agent;
  std::string session_id;
  std::optional<double> cost_usd; // summed over this run's attempts
  std::optional<int64_t> turns;
  double seconds = 0;
  std::string run_dir;       // the last attempt's
  std::string response_path; // answered: where the response went (completed/)
  std::vector<std::string> warnings;
};

struct RunnerSetup {
  RunnerOptions options;
  queue::QueueOptions queue;
  std::string store_path; // "" = no crash history
  store::Options store_options;
  std::optional<AgentPreset> preset; // nullopt = the built-in analyzer
  std::string version;               // crashpilot's, for responses
  const std::atomic<bool>* cancel = nullptr;
  // Retries sleep through this (tests pass one that does not sleep).
  std::function<void(int64_t seconds)> sleep;
};

class Runner {
public:
  explicit Runner(RunnerSetup setup);

  // Runs `ids` with `parallel` agents at once; `on_result` is called for each request as it
  // finishes (one call at a time). Results come back in the order of `ids`.
  std::vector<RequestResult> run(const std::vector<std::string>& ids, int parallel,
                                 const std::function<void(const RequestResult&)>& on_result = {});
  // One request, with its retries.
  RequestResult run_request(const std::string& id);

private:
  struct Attempt;
  Classification attempt_agent(queue::Queue& q, store::Store* s, Attempt& a);
  Classification attempt_builtin(queue::Queue& q, store::Store* s, Attempt& a);

  RunnerSetup m_setup;
};

// The pending requests, highest priority first.
util::Expected<std::vector<std::string>> pending_request_ids(const queue::Queue& q);

// The agent's MCP configuration: crashpilot's own server (limited to the request) beside
// `[analyze] extra_mcp_servers`.
nlohmann::json mcp_config(const RunnerOptions& o, const std::string& request_id);

// Claude's --allowedTools value: crashpilot's tools, each extra server's, the read-only file tools,
// and Edit/Write when the preset edits.
std::string allowed_tools(const RunnerOptions& o, bool edits);

} // namespace crashpilot::analyze
