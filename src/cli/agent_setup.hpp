// SPDX-License-Identifier: MIT
#pragma once

// What `analyze`, `run --mode review|auto` and `demo` share to run agents: the stop flag SIGINT
// and SIGTERM set, and the runner's setup (preset, options, queue, store, the MCP arguments that
// let `crashpilot mcp`, started by the agent elsewhere, see the same configuration).

#include <cli/options.hpp>
#include <cli/workspace.hpp>
#include <config/config.hpp>

#include <analyze/runner.hpp>

#include <atomic>
#include <csignal>
#include <optional>
#include <string>
#include <vector>

namespace crashpilot::cli {

extern std::atomic<bool> g_stop;

// SIGINT/SIGTERM set g_stop, which the runner and the loop check: agents are then stopped (their
// whole process trees), leases released and attempts recorded, instead of crashpilot dying and
// leaving agents to run on in their own sessions. Restores the old handlers on scope exit.
class StopSignals {
public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

private:
  struct sigaction m_old_int {};
  struct sigaction m_old_term {};
};

// The loop's supervisor threads take SIGCHLD through signalfds; the calling thread blocks it too,
// so the kernel never hands a child's SIGCHLD to a thread that would drop it.
void block_child_signal();

std::string absolute_path(const std::string& path);
std::string self_exe();

// The runner for `agent` ("builtin" = the built-in analyzer). On failure prints the error and
// sets `exit_code`.
std::optional<analyze::RunnerSetup> runner_setup(const Invocation& inv,
                                                 const config::Config& config, Workspace& ws,
                                                 const std::string& agent, int& exit_code);

} // namespace crashpilot::cli
