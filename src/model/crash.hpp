// SPDX-License-Identifier: MIT
#pragma once

// The crash model every stage shares: what a parser reads out of a report (or the capture stage
// reads out of a live process), and what triage adds to it. Field names in JSON follow the seed's
// `crash` object (crash_id, exception_code, crash_location, ...) plus the fields listed in json.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::model {

enum class Kind {
  unknown,
  signal,    // a fatal POSIX signal (SIGSEGV, SIGBUS, ...)
  exception, // a Windows exception code (C0000005, ...) or an uncaught C++ exception
  assertion, // an assertion (ASSERT, assert(), C0000420, debug CRT)
  sanitizer, // an ASan / UBSan / TSan / LSan / Valgrind error
  freeze,    // a freeze detector, deadlock detector or hang watchdog
  abort,     // abort()/ABORT()/std::terminate without an assertion text
};

std::string_view to_string(Kind kind);
Kind kind_from_string(std::string_view s); // unknown for anything else

struct Frame {
  int index = -1;                 // position in its thread's stack, 0 = innermost
  std::optional<uint64_t> address; // program counter as printed
  std::string module;             // binary or library (worldserver.exe, libc.so.6)
  std::string function;           // demangled symbol as printed, with its parameter types when the
                                  // format prints them; never argument values (see `arguments`)
  std::string arguments;          // argument values as a debugger printed them: "this=0x0, id=5"
  std::string file;               // source path as printed
  int line = 0;                   // 0 = unknown
  int column = 0;
  bool inlined = false;
  std::optional<uint64_t> offset; // displacement from `function` or from `module`
};

struct Thread {
  std::string id;   // as the report names it: "1", "T1", "0x7f…", an LWP
  std::string name; // thread name when printed
  // "" for a thread of the process. Other stacks a report prints are kept as threads with a role:
  // "freed" / "allocated" (sanitizer heap history), "previous_access" (TSan, Valgrind), "created"
  // (where a thread was created), "locks" (deadlock detector), "site" (another report's source
  // site for the same crash), "previous_error" (the error a checker reported just before a fatal
  // signal, e.g. Valgrind), "other" (a stack the report does not describe).
  std::string role;
  bool crashing = false;
  // What a live capture saw the thread doing: "" (not known, as in every parsed report),
  // "running", "sleeping", "lock_wait" (blocked on a futex under a mutex lock function).
  std::string state;
  std::string lock_owner; // lock_wait: the thread id holding the mutex, when glibc's layout tells it
  std::vector<Frame> frames;
};

struct Assertion {
  std::string file;
  int line = 0;
  std::string function;
  std::string condition;
  std::string message; // the formatted message and debug info, if any
};

// What the source text could not tell, as stable machine-readable codes.
namespace problem {
inline constexpr std::string_view truncated = "truncated";
inline constexpr std::string_view no_frames = "no_frames";
inline constexpr std::string_view unsymbolized = "unsymbolized";
inline constexpr std::string_view insufficient_frames = "insufficient_frames";
inline constexpr std::string_view no_crash_found = "no_crash_found";
} // namespace problem

struct Signature {
  std::string id;                  // first 12 hex digits of the SHA-1 of `text`
  std::string text;                // kind + normalized meaningful frames, one per line
  std::vector<std::string> frames; // the normalized frames that went into it
};

struct Crash {
  // Identity and time.
  std::string crash_id;  // = signature id once triaged
  std::string timestamp; // when the crash happened, ISO 8601 when known

  // What happened.
  Kind kind = Kind::unknown;
  std::string exception_code; // "0xC0000005", "SIGSEGV", "heap-use-after-free"
  std::string exception_name; // "ACCESS_VIOLATION", "Segmentation fault"
  int signal = 0;             // POSIX signal number when known
  std::optional<uint64_t> fault_address;
  std::string error_message;
  std::optional<Assertion> assertion;
  std::vector<Thread> threads; // the crashing thread first when known

  // Where the text came from.
  std::vector<std::string> formats; // detected report formats, in order of appearance
  std::vector<std::string> problems;
  std::string raw; // the source text (capped by the producer)

  // Triage results.
  std::string crash_location; // "src/server/game/Maps/Map.h:682"
  std::string crash_function;
  int meaningful_frame = -1; // index into crashing_frames()
  Signature signature;
  std::string crash_category; // NULL_DEREF, USE_AFTER_FREE, ...
  std::string severity;       // CRITICAL, HIGH, MEDIUM, LOW
  bool is_bot_related = false;
  std::vector<std::string> bot_evidence;
  std::string root_cause_hypothesis;
  std::vector<std::string> fix_suggestions;
  std::string quality; // "good", or what limits the report: "truncated", "unsymbolized", ...

  // The thread marked crashing, else the first thread of the process; never an auxiliary stack.
  const Thread* crashing_thread() const;
  Thread* crashing_thread();
  // The crashing thread's frames (empty when no thread has frames).
  const std::vector<Frame>& crashing_frames() const;
  void add_problem(std::string_view code);
  bool has_problem(std::string_view code) const;
};

// "func @ file:line" lines as the seed's call_stack held them.
std::vector<std::string> call_stack_lines(const Crash& crash, size_t max_frames = 32);

} // namespace crashpilot::model
