// SPDX-License-Identifier: MIT
// Freeze, deadlock and hang detectors (crash-formats.md §5): the message a watchdog prints before
// it kills the server. One section per message, kind `freeze`, role `assertion` (a message without
// a stack), error_message = the message with its duration:
//   - TrinityCore / AzerothCore: "World Thread hangs for 60034 ms, forcing a crash!";
//   - older TC / AC / SkyFire and MaNGOS: "World Thread hangs, kicking out server!";
//   - Cuberite's cDeadlockDetect: "Deadlock detected: world <name> has been stuck at age N.
//     Aborting the server." and its "CS at 0x..., <name>: RecursionCount = n, ThreadIDHash = h"
//     lines, kept as a thread with role "locks" (one frame per critical section);
//   - Spring's watchdog "[Watchdog] Hang detection triggered for Spring <version>." and Unreal
//     Engine's ThreadHeartBeat "Hang detected on <thread> (thread hasn't sent a heartbeat ...)".
// Not here: TC's "WorldUpdateLoop() waiting for N ms with MaxCoreStuckTime set to N ms" is logged
// when the loop *sleeps* for at least half of MaxCoreStuckTime (a MinWorldUpdateTime setting too
// close to it), not when it hangs; and stacks parked in __lll_lock_wait without a detector message
// are left to triage.
//
// TC/AC also pass the message to ABORT_MSG / ABORT, and older copies log it before ASSERT(false):
// the assertion parser reads those blocks (and makes them kind freeze). A message inside such a
// block is left to it; a log line right before one becomes a `header` section so that it joins
// the assertion's crash instead of forming a second one.

#include <parse/section.hpp>
#include <util/string.hpp>

#include <re2/re2.h>

#include <array>
#include <optional>

namespace crashpilot::parse {

namespace {

constexpr size_t k_max_locks = 1024;
// How far around a message we look for the assertion block it belongs to: non-blank lines, and
// lines in all.
constexpr size_t k_assert_window = 4;
constexpr size_t k_assert_window_lines = 20;

struct Detector {
  std::string_view needle; // where the message starts
  std::string_view format;
};

constexpr std::array<Detector, 4> k_detectors{{
    {"Thread hangs", "freeze-detector"},
    {"Deadlock detected:", "deadlock-detector"},
    {"Hang detection triggered", "watchdog"},
    {"Hang detected on ", "watchdog"},
}};

// The message and the detector that printed it; the text before it (a log prefix) is dropped.
// "World Thread hangs" keeps its thread name.
std::optional<std::pair<std::string_view, const Detector*>> find_message(std::string_view line) {
  for (const auto& d : k_detectors) {
    size_t at = line.find(d.needle);
    if (at == std::string_view::npos) {
      continue;
    }
    if (d.needle == "Thread hangs") {
      // Back over the thread's name: "World Thread hangs", "Map Thread hangs".
      size_t start = at;
      while (start > 0 && line[start - 1] == ' ') {
        --start;
      }
      while (start > 0 && ((line[start - 1] >= 'A' && line[start - 1] <= 'Z') ||
                           (line[start - 1] >= 'a' && line[start - 1] <= 'z'))) {
        --start;
      }
      at = start;
    }
    return std::make_pair(util::trim(line.substr(at)), &d);
  }
  return std::nullopt;
}

// Lines that show the message is part of an assertion / abort block the assertion parser reads.
bool is_assert_header(std::string_view t) {
  return (t.find(" in ") != std::string_view::npos &&
          (t.ends_with("ABORTED:") || t.ends_with("ASSERTION FAILED:") ||
           t.ends_with("FATAL ERROR:") || t.ends_with(" ERROR:"))) ||
         t.starts_with(">> ");
}

bool starts_assert_block(std::string_view t) {
  return t.find("ASSERTION FAILED") != std::string_view::npos ||
         t.find("ABORTED") != std::string_view::npos ||
         t.find("FATAL ERROR") != std::string_view::npos ||
         t.find("Assertion failed") != std::string_view::npos ||
         t.find("Assertion `") != std::string_view::npos ||
         t.find(": Assertion in ") != std::string_view::npos ||
         t.find("Location '") != std::string_view::npos || t.starts_with("#---");
}

bool inside_assertion(const Document& doc, size_t i, std::string_view line) {
  if (line.find("Message '") != std::string_view::npos ||
      line.find("Message:") != std::string_view::npos ||
      line.find("ssertion") != std::string_view::npos ||
      line.find("ASSERT") != std::string_view::npos) {
    return true;
  }
  size_t seen = 0;
  for (size_t k = i; k-- > 0 && seen < 2 && k + k_assert_window_lines > i;) {
    std::string_view t = util::trim(doc[k]);
    if (t.empty()) {
      continue;
    }
    ++seen;
    if (is_assert_header(t)) {
      return true;
    }
  }
  return false;
}

bool assertion_follows(const Document& doc, size_t last) {
  size_t seen = 0;
  for (size_t k = last + 1;
       k < doc.size() && seen < k_assert_window && k <= last + k_assert_window_lines; ++k) {
    std::string_view t = util::trim(doc[k]);
    if (t.empty()) {
      continue;
    }
    ++seen;
    if (starts_assert_block(t)) {
      return true;
    }
  }
  return false;
}

// "CS at 0x7f6e87fff908, World world clients: RecursionCount = 0, ThreadIDHash = ffff8d7c325ddcd6"
std::optional<model::Frame> critical_section(std::string_view line) {
  if (line.find("CS at 0x") == std::string_view::npos) {
    return std::nullopt;
  }
  static const RE2 re(R"(CS at (0x[0-9a-fA-F]+), (.*?): )"
                      R"((RecursionCount = -?\d+(?:, ThreadIDHash = [0-9a-fA-F]+)?)\s*$)");
  std::string address, name, args;
  re2::StringPiece in(line.data(), line.size());
  if (!RE2::PartialMatch(in, re, &address, &name, &args)) {
    return std::nullopt;
  }
  model::Frame f;
  f.address = util::parse_hex(address);
  f.function = name;
  f.arguments = args;
  return f;
}

} // namespace

void parse_freeze(const Document& doc, Sections& out) {
  for (size_t i = 0; i < doc.size(); ++i) {
    std::string_view line = doc[i];
    if (line.find("ang") == std::string_view::npos &&
        line.find("eadlock") == std::string_view::npos) {
      continue;
    }
    auto found = find_message(line);
    if (!found || inside_assertion(doc, i, line)) {
      continue;
    }
    auto [message, detector] = *found;
    model::Crash c;
    c.kind = model::Kind::freeze;
    c.error_message = std::string(message);
    size_t last = i;
    // Spring names the hung thread on the next line: "  (in thread: main)".
    if (detector->format == "watchdog" && i + 1 < doc.size()) {
      std::string_view next = doc[i + 1];
      size_t at = next.find("(in thread");
      if (at != std::string_view::npos) {
        c.error_message += ' ';
        c.error_message += util::trim(next.substr(at));
        last = i + 1;
      }
    }
    // Cuberite lists its tracked critical sections after the message.
    model::Thread locks;
    locks.role = "locks";
    for (size_t k = last + 1; k < doc.size(); ++k) {
      if (util::trim(doc[k]).empty()) {
        continue;
      }
      auto f = critical_section(doc[k]);
      if (!f) {
        break;
      }
      last = k;
      if (locks.frames.size() >= k_max_locks) {
        c.add_problem(model::problem::truncated);
        continue;
      }
      locks.frames.push_back(std::move(*f));
    }
    if (!locks.frames.empty()) {
      c.threads.push_back(std::move(locks));
    }
    Section s;
    s.format = std::string(detector->format);
    s.role = assertion_follows(doc, last) ? Role::header : Role::assertion;
    s.first = i;
    s.last = last;
    s.crash = std::move(c);
    out.push_back(std::move(s));
    i = last;
  }
}

} // namespace crashpilot::parse
