// SPDX-License-Identifier: MIT
#pragma once

// What one agent run came to. Success is decided by the response artifact alone: a response that
// passed the queue's validator is `answered` whatever the process did (even a late one after a
// timeout), and no exit code or "success" in the agent's output can stand in for it
// (agent-integration.md §5.4). The rest explains the failure and says whether trying again can
// help: rate limits, overloads, crashes and timeouts can; a missing program, a turn or budget cap,
// or an agent that "succeeded" without leaving anything cannot (its setup needs fixing first).

#include <analyze/agent_output.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::analyze {

enum class Outcome { answered, rejected, agent_failed, timed_out, cancelled };

std::string_view to_string(Outcome o);

enum class Artifact { none, valid, rejected };

// Everything known once the agent is gone and its artifact was looked for.
struct RunEvidence {
  bool started = true;
  std::string start_error;
  bool timed_out = false;
  bool idle_timed_out = false;
  bool cancelled = false;
  int exit_code = 0;
  int term_signal = 0;
  size_t out_dropped = 0;
  size_t max_output_bytes = 0;
  long wall_seconds = 0; // the limits, for messages
  long idle_seconds = 0;
  std::string stderr_tail;
  AgentReport report;
  Artifact artifact = Artifact::none;
  std::vector<std::string> artifact_reasons; // why the artifact was rejected
};

struct Classification {
  Outcome outcome = Outcome::agent_failed;
  bool retryable = false;
  // One line a user can act on; for `rejected` the validator's reasons follow in `reasons`.
  std::string reason;
  std::vector<std::string> reasons;
};

Classification classify_run(const RunEvidence& e);

} // namespace crashpilot::analyze
