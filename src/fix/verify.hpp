// SPDX-License-Identifier: MIT
#pragma once

// Verifying a built patch: the patched server (or the configured repro command) runs under the
// capture supervisor, and what happens decides the verdict:
//   fixed        the repro passed every run, or the soak ran crash-free for the planned time
//   not_fixed    the bucket's own signature came back
//   moved        a near signature (same frames, shifted) came back: the crash moved, not went
//   regressed    a new crash inside the code the patch changed
//   inconclusive the runs could not tell (the repro failed without a crash, the server would not
//                start, a different crash before the old one's usual time, cancelled)
// `masked` is the anti-mask gate's, decided before any run. A "no crash" result is always seen
// twice before it counts: repro runs are at least two, and a soak is two runs of half the time.
// A new crash whose faulting line is not one the patch wrote, after the old crash's usual time, is
// a bug the fix uncovered (a pre-existing defect on a path the fix opened): it is reported and
// recorded by the caller as its own bucket, and the run counts as passed. A crash on a line the
// patch added is the patch's own: regressed.

#include <model/crash.hpp>

#include <capture/watch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::fix {

enum class Verdict { fixed, not_fixed, moved, regressed, masked, inconclusive };
std::string_view to_string(Verdict v);

struct VerifyTarget {
  model::Signature signature;        // the bucket's
  std::string diff;                  // the patch, against the base commit
  double typical_uptime_seconds = 0; // how long the server used to live (0 = unknown)
};

struct VerifySpec {
  capture::WatchOptions watch; // launch argv/cwd, config, rules, crash dir; restart is forced off
  bool repro = false;          // argv is a repro command that exits 0 when all is well
  int runs = 2;                // repro runs (at least 2)
  std::chrono::milliseconds run_timeout{300'000}; // a repro run longer than this is stopped
  double soak_seconds = 0;                        // soak: total crash-free time wanted
  std::function<bool(const model::Signature&, const model::Signature&)> is_near;
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(std::string_view event, std::string_view detail)> progress;
  std::function<void(capture::Captured&)> captured; // every crash seen, for the caller to record
};

struct VerifyRun {
  std::string outcome; // "passed", "crash", "abort", "hang", "exit N", "timeout", "cancelled"
  std::string signature;
  std::string function;
  std::string location;
  std::string report;
  std::string relation; // "same", "near", "inside_patch", "uncovered", "early", ""
  double seconds = 0;
};

struct VerifyResult {
  Verdict verdict = Verdict::inconclusive;
  std::string detail;
  std::vector<VerifyRun> runs;
  std::vector<std::string> uncovered; // signatures of crashes the fix uncovered
  double crash_free_seconds = 0;
};

VerifyResult verify(const VerifyTarget& target, const VerifySpec& spec);

nlohmann::json to_json(const VerifyResult& r);

// Whether a crash happened inside the patch: its meaningful frame's file:line is within `slack`
// lines of a line the diff added (paths compared by their repository-relative tail, since a
// captured path is absolute).
bool crash_inside(const model::Crash& crash, std::string_view diff, int64_t slack = 2);

} // namespace crashpilot::fix
