// SPDX-License-Identifier: MIT
#pragma once

// The orchestrator: supervise → capture → triage → queue → analyze → apply → build → verify →
// land → repeat. The user's server runs on its last good build in a thread of its own (captures
// are recorded and queued as they happen); the main thread takes queued requests one at a time,
// has the agent answer, and takes each patch through the fix stage (attempt.hpp). All state is in
// the store, so a loop killed at any point resumes where it was.

#include <config/config.hpp>
#include <triage/rules.hpp>
#include <util/expected.hpp>

#include <analyze/runner.hpp>
#include <capture/settings.hpp>
#include <fix/fix_options.hpp>
#include <loop/events.hpp>
#include <queue/policy.hpp>
#include <queue/queue.hpp>
#include <store/store.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace crashpilot::loop {

enum class Mode { capture, review, auto_merge };
std::string_view to_string(Mode m);

struct LoopSetup {
  Mode mode = Mode::review;
  const config::Config* config = nullptr;
  const triage::Rules* rules = nullptr;
  capture::CaptureSettings capture; // the user's server
  std::string store_path;
  store::Options store_options;
  queue::QueueOptions queue;
  queue::Policy policy;
  std::string host;
  analyze::RunnerSetup runner; // the agent (or the built-in analyzer)
  std::string agent;
  fix::Options fix;
  std::vector<std::string> verify_server_command; // [verify] server_command, {worktree} unexpanded
  std::string repo;                               // the source repository ("" = no fix stage)
  int max_iterations = 0;                         // requests taken (0 = no limit)
  // Stop once nothing happened for this long after at least one fix landed or became ready, with
  // no open request (0 = run until stopped).
  int idle_exit_seconds = 0;
  bool start_server = true;
  int tee_stdout = 1;
  int tee_stderr = 2;
  const std::atomic<bool>* stop = nullptr;
  EventSink on_event;
};

struct AttemptSummary {
  std::string bucket;
  int64_t attempt = 0;
  int attempt_no = 0;
  std::string branch;
  std::string stage;
  std::string verdict;
  std::string detail;
  std::map<std::string, double> seconds; // per stage
};

struct LoopSummary {
  int iterations = 0;
  int captures = 0;
  std::vector<AttemptSummary> attempts;
  std::map<std::string, double> capture_seconds; // signal → recorded, per capture (last)
  std::string stop_reason;
  bool interrupted = false;
};

util::Expected<LoopSummary> run_loop(const LoopSetup& setup);

} // namespace crashpilot::loop
