// SPDX-License-Identifier: MIT
#pragma once

// An all-thread trace of a frozen process: unwind while it is stopped (CFI only, about a
// millisecond), note what each thread was blocked in, release it, and only then symbolize, so the
// process is stopped for milliseconds however much DWARF the binary has.

#include <model/crash.hpp>
#include <util/expected.hpp>

#include <capture/freeze.hpp>
#include <symbolize/session.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace crashpilot::capture {

struct SnapshotOptions {
  symbolize::Limits limits;
  std::vector<std::string> debug_dirs; // extra places for separate debug files
  std::string debug_cache_dir;         // uncompressed copies of compressed debug files ("" = none)
};

struct Snapshot {
  pid_t pid = 0;
  pid_t focus_tid = 0;                // the crashing thread; 0 for a hang or an on-demand snapshot
  std::vector<model::Thread> threads; // the focus thread first, then by thread id
  std::vector<symbolize::Module> modules;
  std::string build_id; // the main executable's
  std::vector<std::string> problems;
  std::chrono::microseconds frozen{0};    // stop of the first thread until release
  std::chrono::microseconds unwind{0};    // part of `frozen`
  std::chrono::microseconds symbolize{0}; // after release
};

// For printing: 1234 µs -> 1.234.
inline double as_ms(std::chrono::microseconds us) {
  return std::chrono::duration<double, std::milli>(us).count();
}

// Unwinds `frozen`, releases it (each thread with the signal set on it), then symbolizes.
util::Expected<Snapshot> take_snapshot(Frozen& frozen, pid_t focus_tid,
                                       const SnapshotOptions& options);

} // namespace crashpilot::capture
