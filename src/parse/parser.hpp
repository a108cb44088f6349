// SPDX-License-Identifier: MIT
#pragma once

// The parse stage's one entry point: any crash text in, crashes out. Formats are detected
// automatically; a text may hold several reports (each becomes a crash) and one crash may be spread
// over several sections (an assertion block followed by a gdb backtrace), which are merged.

#include <model/crash.hpp>

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace crashpilot::parse {

struct Options {
  size_t max_raw_bytes = 256 * 1024;    // the raw text kept per crash
  size_t max_frames_per_thread = 1024;  // deeper stacks are cut (problem "truncated")
  size_t max_threads = 4096;
  size_t max_crashes = 64;              // reports past this in one text are counted, not parsed
  // Called during the scan of large texts with the byte offset reached (see ScanOptions::progress).
  std::function<void(size_t)> progress;
};

struct Result {
  std::vector<model::Crash> crashes; // in order of appearance
  size_t crashes_dropped = 0;        // reports beyond Options::max_crashes
  size_t lines_scanned = 0;
};

Result parse_text(std::string_view text, const Options& options = {});

} // namespace crashpilot::parse
