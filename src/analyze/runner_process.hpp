// SPDX-License-Identifier: MIT
#pragma once

// Running one agent process so that nothing it starts outlives it (agent-integration.md §5.1-5.3):
// no shell, its own session, stdin closed after the prompt, an allow-listed environment, capped
// output, wall-clock and idle timeouts ending in SIGTERM then SIGKILL to the whole group. What
// escapes the group (a grandchild that calls setsid() and forks again) is found afterwards through
// a marker variable every descendant inherits, and killed; because the runner is a child
// subreaper, such orphans are re-parented to it rather than to init, so it can reap them too. No
// cgroups: they need privileges or a systemd user session that servers often lack.

#include <util/child_process.hpp>
#include <util/expected.hpp>

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace crashpilot::analyze {

struct AgentLimits {
  std::chrono::milliseconds wall{1'200'000};
  std::chrono::milliseconds idle{300'000}; // 0 = off
  std::chrono::milliseconds kill_grace{10'000};
  std::chrono::milliseconds exit_drain{10'000};
  size_t max_output_bytes = size_t{32} << 20; // per stream
};

struct AgentSpawn {
  std::vector<std::string> argv;
  std::string cwd;
  std::map<std::string, std::string> env; // the whole environment
  std::string stdin_data;                 // "" = stdin closed at once
  AgentLimits limits;
  // Name and value of the variable that marks this run's processes (in `env` too).
  std::string marker_name;
  std::string marker_value;
  const std::atomic<bool>* cancel = nullptr;
};

struct AgentRun {
  bool started = false;
  std::string start_error; // why it could not be started
  util::RunResult result;
  double seconds = 0;
  size_t escaped_killed = 0; // processes outside the group, found by the marker and killed
};

// Makes this process the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER). Once per
// process, before the first agent starts.
void become_subreaper();

// Runs the agent to its end (or its timeout), then kills whatever carries its marker.
AgentRun run_agent(const AgentSpawn& spawn);

// Whether the variable `name` passes the allow-list (names; a trailing `*` matches a prefix).
bool env_allowed(std::string_view name, const std::vector<std::string>& allow);
// This process's variables that pass the allow-list.
std::map<std::string, std::string> allowed_environment(const std::vector<std::string>& allow);

// SIGKILLs every process (but this one) whose environment holds `name=value`, repeating until a
// pass finds none (a dying process may have forked), and reaps those that are our adopted
// children. Returns how many were killed.
size_t kill_marked_processes(const std::string& name, const std::string& value);
// SIGKILLs and reaps children of this process that no ChildProcess started (orphans adopted as
// subreaper). Only call when no other thread is spawning children.
size_t kill_adopted_orphans();

} // namespace crashpilot::analyze
