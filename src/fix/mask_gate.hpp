// SPDX-License-Identifier: MIT
#pragma once

// The anti-mask gate: patches that make a crash stop showing without fixing it. Coding agents
// asked to "make the crash go away" reach for the same few shapes; each rule below names one, and
// a patch with any finding is never auto-applied (it goes to approval with the finding's reason).
//
// Rules:
//   signal_handler    an added signal/SEH/terminate handler (signal, sigaction, set_terminate,
//                     SetUnhandledExceptionFilter, AddVectoredExceptionHandler, _set_se_translator,
//                     __except)
//   assert_removed    a removed assert-macro call with no equivalent re-added in the same file
//   assert_weakened   an assert commented out, turned into an `if` that does not abort, its
//                     condition weakened (`|| true`, `true`, a dropped `&&` term, changed), wrapped
//                     in `#if 0` / `#ifdef NDEBUG`-style blocks, or the macro redefined / NDEBUG
//                     set
//   bare_early_return an added `if (!p) return;` (and its null-comparison and brace forms) near a
//                     crash frame's line with no comment saying why the value may be missing
//   null_guard        existing code near a crash frame's line moved under an added `if (p)` /
//                     `if (p != nullptr)`, with no such comment: the same mask, written the other
//                     way round
//   catch_all         an added `catch (...)` that does not rethrow, or a `catch (std::exception&)`
//                     whose body is empty or only returns / continues
//   test_deleted      a deleted test file, or a removed test case
//   test_weakened     removed expectations in a test file, an added DISABLED_, GTEST_SKIP or
//                     `return;` at the start of a test
//
// Matching is on the code of each line: comments and string literals are blanked first, so a
// comment that mentions `signal(` or a log message that says "assert" is not code.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::fix {

// A frame of the crashing thread: the meaningful frame first, then a few callers.
struct FaultFrame {
  std::string file; // repo-relative or absolute (build-machine) path; Windows separators are fine
  int64_t line = 0; // in the file the crash happened in, i.e. the diff's old side; 0 = unknown
  std::string function;
};

struct GateContext {
  std::vector<FaultFrame> frames;
  std::vector<std::string> assert_macros; // identifiers, e.g. ASSERT, WPAssert, assert
  std::vector<std::string> test_paths;    // globs, e.g. tests/**, **/*_test.cpp
  int window_lines = 25;                  // "at the faulting frame" = within this many lines
};

struct MaskFinding {
  std::string rule; // one of the rule names above
  std::string file; // repo-relative path from the diff
  int64_t line = 0; // new-file line; the old-file line for a removal
  std::string text; // the line as in the diff, trimmed
  std::string why;  // one sentence a reviewer can act on
};

// Every finding in a unified diff, ordered by file and line.
std::vector<MaskFinding> find_masks(std::string_view diff, const GateContext& ctx);

inline bool masked(const std::vector<MaskFinding>& findings) {
  return !findings.empty();
}

nlohmann::json to_json(const MaskFinding& f);
nlohmann::json to_json(const std::vector<MaskFinding>& findings);

} // namespace crashpilot::fix
