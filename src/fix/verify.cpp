// SPDX-License-Identifier: MIT
#include <fix/verify.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <queue/diff.hpp>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace crashpilot::fix {

namespace {

using Clock = std::chrono::steady_clock;

bool path_matches(const std::string& frame_file, const std::string& changed) {
  if (frame_file.empty() || changed.empty()) {
    return false;
  }
  if (frame_file == changed) {
    return true;
  }
  // A captured path is absolute (the worktree's, or the build's); the patch's is relative.
  return frame_file.size() > changed.size() &&
         frame_file.compare(frame_file.size() - changed.size(), changed.size(), changed) == 0 &&
         frame_file[frame_file.size() - changed.size() - 1] == '/';
}

struct OneRun {
  VerifyRun run;
  bool crashed = false;
  model::Crash crash;
};

// One supervised run of the patched build: until it exits, crashes, or `limit` passes (then it is
// stopped as SIGTERM would stop it; for a soak that is success).
OneRun run_once(const VerifySpec& spec, std::chrono::milliseconds limit, bool soak) {
  OneRun r;
  std::atomic<bool> stop{false};
  capture::WatchOptions wo = spec.watch;
  wo.settings.supervisor.restart.mode = capture::RestartMode::never;
  wo.settings.supervisor.max_crashes = 1;
  wo.settings.supervisor.own_signals = false;
  wo.settings.supervisor.stop = &stop;
  auto start = Clock::now();
  bool timed_out = false;
  bool cancelled = false;
  // The deadline and the caller's cancel both end the run through `stop`.
  std::atomic<bool> done{false};
  std::thread timer([&] {
    while (!done.load()) {
      if (spec.cancel && spec.cancel->load()) {
        cancelled = true;
        stop = true;
        return;
      }
      if (Clock::now() - start >= limit) {
        timed_out = true;
        stop = true;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  int exit_code = 0;
  bool exited = false;
  capture::WatchHooks hooks;
  hooks.note = [&](std::string_view event, std::string_view detail) {
    if (spec.progress && event != "stopping") {
      spec.progress(event, detail);
    }
  };
  hooks.exited = [&](const capture::Incident& in) {
    exited = true;
    exit_code = in.exit_code;
  };
  hooks.captured = [&](capture::Captured& c) {
    r.crashed = true;
    r.crash = c.crash;
    r.run.outcome = std::string(capture::to_string(c.incident.outcome));
    r.run.signature = c.crash.signature.id;
    r.run.function = c.crash.crash_function;
    r.run.location = c.crash.crash_location;
    r.run.report = c.report ? c.report->text : std::string();
    if (c.incident.outcome == capture::Outcome::abnormal_exit ||
        c.incident.outcome == capture::Outcome::startup_failure) {
      r.crashed = false; // an exit code, not a crash: no signature to compare
      r.run.outcome = c.incident.outcome == capture::Outcome::startup_failure
                          ? fmt::format("start-up failure (exit {})", c.incident.exit_code)
                          : fmt::format("exit {}", c.incident.exit_code);
    }
    if (spec.captured) {
      spec.captured(c);
    }
  };
  auto summary = capture::watch(wo, hooks);
  done = true;
  timer.join();
  r.run.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!summary) {
    r.run.outcome = "error: " + summary.error();
    return r;
  }
  if (r.crashed || !r.run.outcome.empty()) {
    return r;
  }
  if (cancelled) {
    r.run.outcome = "cancelled";
  } else if (timed_out) {
    r.run.outcome = soak ? "passed" : "timeout";
  } else if (exited) {
    r.run.outcome = soak ? "exit 0 (before the soak ended)" : "passed";
    if (exit_code != 0) {
      r.run.outcome = fmt::format("exit {}", exit_code);
    }
  } else {
    r.run.outcome = "stopped";
  }
  return r;
}

} // namespace

std::string_view to_string(Verdict v) {
  switch (v) {
  case Verdict::fixed:
    return "fixed";
  case Verdict::not_fixed:
    return "not_fixed";
  case Verdict::moved:
    return "moved";
  case Verdict::regressed:
    return "regressed";
  case Verdict::masked:
    return "masked";
  case Verdict::inconclusive:
    return "inconclusive";
  }
  return "inconclusive";
}

bool crash_inside(const model::Crash& crash, std::string_view diff, int64_t slack) {
  const auto& frames = crash.crashing_frames();
  if (crash.meaningful_frame < 0 || static_cast<size_t>(crash.meaningful_frame) >= frames.size()) {
    return false;
  }
  const model::Frame& f = frames[static_cast<size_t>(crash.meaningful_frame)];
  if (f.file.empty() || f.line <= 0) {
    return false;
  }
  for (const auto& file : queue::diff_hunks(diff).files) {
    if (!path_matches(f.file, file.file.new_path)) {
      continue;
    }
    for (const auto& hunk : file.hunks) {
      for (const auto& line : hunk.lines) {
        if (line.kind == '+' && std::abs(line.new_line - f.line) <= slack) {
          return true;
        }
      }
    }
  }
  return false;
}

VerifyResult verify(const VerifyTarget& target, const VerifySpec& spec) {
  VerifyResult result;
  int runs = spec.repro ? std::max(2, spec.runs) : 2;
  auto limit = spec.repro ? spec.run_timeout
                          : std::chrono::milliseconds(static_cast<int64_t>(
                                std::max(1.0, spec.soak_seconds) * 1000.0 / 2.0));
  for (int i = 0; i < runs; ++i) {
    if (spec.progress) {
      spec.progress("verify", spec.repro
                                  ? fmt::format("repro run {}/{}", i + 1, runs)
                                  : fmt::format("soak run {}/{} ({:.0f} s)", i + 1, runs,
                                                static_cast<double>(limit.count()) / 1000.0));
    }
    OneRun one = run_once(spec, limit, !spec.repro);
    VerifyRun& run = one.run;
    if (one.crashed) {
      model::Signature got = one.crash.signature;
      if (got.id == target.signature.id) {
        run.relation = "same";
        result.runs.push_back(run);
        result.verdict = Verdict::not_fixed;
        result.detail =
            fmt::format("the bucket's own crash came back in run {} after {:.1f} s ({})", i + 1,
                        run.seconds, run.location);
        return result;
      }
      if (spec.is_near && spec.is_near(got, target.signature)) {
        run.relation = "near";
        result.runs.push_back(run);
        result.verdict = Verdict::moved;
        result.detail = fmt::format("the crash moved: a near signature {} in {} ({})", got.id,
                                    run.function, run.location);
        return result;
      }
      if (crash_inside(one.crash, target.diff)) {
        run.relation = "inside_patch";
        result.runs.push_back(run);
        result.verdict = Verdict::regressed;
        result.detail = fmt::format("a new crash inside the patched code: {} in {} ({})", got.id,
                                    run.function, run.location);
        return result;
      }
      if (target.typical_uptime_seconds > 0 && run.seconds < target.typical_uptime_seconds) {
        run.relation = "early";
        result.runs.push_back(run);
        result.verdict = Verdict::inconclusive;
        result.detail = fmt::format(
            "a different crash ({} in {}) after {:.1f} s, before the old one's usual {:.1f} s: "
            "the run cannot tell whether the fix works",
            got.id, run.function, run.seconds, target.typical_uptime_seconds);
        return result;
      }
      run.relation = "uncovered";
      if (std::find(result.uncovered.begin(), result.uncovered.end(), got.id) ==
          result.uncovered.end()) {
        result.uncovered.push_back(got.id);
      }
      result.crash_free_seconds += run.seconds;
      result.runs.push_back(run);
      continue;
    }
    result.runs.push_back(run);
    if (run.outcome != "passed") {
      result.verdict = Verdict::inconclusive;
      result.detail =
          fmt::format("run {} ended with {} after {:.1f} s", i + 1, run.outcome, run.seconds);
      return result;
    }
    result.crash_free_seconds += run.seconds;
  }
  result.verdict = Verdict::fixed;
  if (spec.repro) {
    result.detail = fmt::format("the repro passed {} of {} runs", runs, runs);
  } else {
    result.detail =
        fmt::format("{:.0f} s crash-free over {} runs", result.crash_free_seconds, runs);
  }
  if (!result.uncovered.empty()) {
    result.detail += fmt::format("; it uncovered a different crash outside the patch ({}), "
                                 "recorded as its own bucket",
                                 fmt::join(result.uncovered, ", "));
  }
  return result;
}

nlohmann::json to_json(const VerifyResult& r) {
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& run : r.runs) {
    runs.push_back({{"outcome", run.outcome},
                    {"signature", run.signature},
                    {"function", run.function},
                    {"location", run.location},
                    {"report", run.report},
                    {"relation", run.relation},
                    {"seconds", run.seconds}});
  }
  return {{"verdict", to_string(r.verdict)},
          {"detail", r.detail},
          {"runs", runs},
          {"uncovered", r.uncovered},
          {"crash_free_seconds", r.crash_free_seconds}};
}

} // namespace crashpilot::fix
