// SPDX-License-Identifier: MIT
#pragma once

// `crashpilot run --mode capture`: start the server, watch it under ptrace (or, where ptrace is not
// allowed, through its core files), capture every crash and hang as an Incident, restart it by
// policy, and stop cleanly on SIGINT/SIGTERM (forwarded to the server as a graceful stop, SIGKILL
// after a grace period). What to do with an incident (triage, report files, the store) is the
// caller's, through Hooks; this file only knows processes.

#include <util/expected.hpp>

#include <capture/incident.hpp>
#include <capture/launch.hpp>
#include <capture/restart.hpp>
#include <capture/snapshot.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace crashpilot::capture {

struct SupervisorOptions {
  LaunchSpec launch;
  RestartPolicy restart;
  SnapshotOptions snapshot;
  std::chrono::milliseconds stop_grace{30000}; // SIGTERM → SIGKILL when stopping
  std::chrono::milliseconds exit_grace{10000}; // a crashed server still alive after this is killed
  std::chrono::milliseconds startup_window{5000}; // a non-zero exit sooner is a start-up failure
  std::chrono::milliseconds tick{100};            // how often the watchdog is asked
  int max_crashes = 0;                            // stop after this many failures (0 = never)
  bool allow_core_fallback = true;                // no ptrace → cores
  // SIGINT/SIGTERM stop the supervisor. False when an orchestrator running several supervisors
  // owns those signals and stops each through `stop` instead.
  bool own_signals = true;
  // Set from another thread: stop as SIGTERM would (the server gets SIGTERM, then SIGKILL after
  // stop_grace). Checked every tick.
  const std::atomic<bool>* stop = nullptr;
};

struct Hooks {
  // The server runs (its output pipes are in `launched`; the caller follows them).
  std::function<void(Launched&)> started;
  // An incident happened. The caller fills context / output_tail, triages, writes the report and
  // returns the signature id ("" when it has none) for crash-loop detection.
  std::function<std::string(Incident&)> incident;
  // Asked every tick while the server runs: a reason when it looks hung, nullopt otherwise.
  std::function<std::optional<std::string>(pid_t pid)> hung;
  // Everything else worth a line: "restart" (with the delay), "stopping", "crash_loop", "fallback".
  std::function<void(std::string_view event, std::string_view detail)> note;
};

struct RunSummary {
  int runs = 0;
  int failures = 0; // incidents other than clean exits
  bool crash_loop = false;
  bool interrupted = false; // SIGINT/SIGTERM
  std::string stop_reason;
};

// Blocks SIGINT, SIGTERM and SIGCHLD for the calling thread. Call before any other thread starts
// (threads inherit the mask), so only the supervisor's signalfd ever sees them.
void block_supervisor_signals();

util::Expected<RunSummary> supervise(const SupervisorOptions& options, Hooks& hooks);

} // namespace crashpilot::capture
