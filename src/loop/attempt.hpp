// SPDX-License-Identifier: MIT
#pragma once

// One answered attempt through the fix stage, one store-recorded step at a time:
//   answered → gated (anti-mask gate, risk) → applied (branch + worktree + commit) → built →
//   verified (verdict) → ready (review) | landed (auto) | awaiting_approval
// with the failures as end stages: no_patch, masked, apply_failed, build_failed, not_fixed, moved,
// regressed, inconclusive. The stage is written to the store after each step, so a process killed
// anywhere resumes with the step it was in (each step is idempotent: the worktree is reopened and
// reset, a build reruns incrementally, a verification reruns from scratch).

#include <triage/rules.hpp>
#include <util/expected.hpp>

#include <fix/fix_options.hpp>
#include <fix/verify.hpp>
#include <loop/events.hpp>
#include <queue/policy.hpp>
#include <store/store.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace crashpilot::loop {

struct AttemptContext {
  const config::Config* config = nullptr;
  const triage::Rules* rules = nullptr;
  capture::CaptureSettings capture; // the user's server settings, the base of verify runs
  fix::Options fix;
  queue::Policy policy;
  std::vector<std::string> verify_server_command;
  std::string repo;
  bool auto_merge = false;
  store::Store* store = nullptr;
  std::function<bool(const model::Signature&, const model::Signature&)> is_near;
  const std::atomic<bool>* cancel = nullptr;
  EventSink emit;
  // Records a crash seen during verification (a bug the fix uncovered becomes its own bucket);
  // `revision` is the patched commit the crash happened in, the base of the bucket's next patch.
  std::function<void(capture::Captured&, const std::string& revision)> record;
  // Uptimes (seconds) of the bucket's crashes, for the soak plan and the "early crash" rule.
  std::function<std::vector<double>(const std::string& bucket)> uptimes;
};

// The end stages: nothing more to do for the attempt.
bool is_final_stage(const std::string& stage);
// End stages whose failure the next attempt should hear about (its request's previous attempts).
bool wants_retry(const std::string& stage);

struct AttemptResult {
  store::Fix fix;
  std::string feedback; // for the next attempt, when it failed
  bool landed = false;
  std::map<std::string, double> seconds; // per stage
};

// Takes `fix` (a row of the store; stage "answered" for a new one) as far as it goes.
AttemptResult advance_attempt(const AttemptContext& ctx, store::Fix fix, const model::Crash& crash,
                              int attempt_no);

// The argv and cwd a verification runs in the worktree: the repro command, or the patched server.
struct VerifyCommand {
  std::vector<std::string> argv;
  std::string cwd;
  bool repro = false;
};
VerifyCommand verify_command(const AttemptContext& ctx, const std::string& worktree);

} // namespace crashpilot::loop
