// SPDX-License-Identifier: MIT
#include <triage/hypothesis.hpp>

#include <util/string.hpp>

#include <algorithm>
#include <fmt/format.h>

namespace crashpilot::triage {

namespace {

std::string caller_of(const model::Crash& crash, const MeaningfulFrame& m, const Rules& rules) {
  if (m.index < 0) {
    return "";
  }
  const auto& frames = crash.crashing_frames();
  for (int i : meaningful_frame_indices(crash, rules, m.index + 1)) {
    const auto& f = frames[static_cast<size_t>(i)];
    if (is_symbolized(f)) {
      std::string name = normalize_function(f.function);
      if (name != m.function) {
        return name;
      }
    }
  }
  return "";
}

// The first non-helper frame of a stack with the given role ("freed", "allocated").
std::string role_site(const model::Crash& crash, std::string_view role, const Rules& rules) {
  for (const auto& t : crash.threads) {
    if (t.role != role) {
      continue;
    }
    for (const auto& f : t.frames) {
      if (is_symbolized(f) && !is_helper_frame(f, rules)) {
        return normalize_function(f.function);
      }
    }
  }
  return "";
}

std::string first_line(std::string_view s) {
  s = util::trim(s);
  std::string_view line = s.substr(0, s.find('\n'));
  return std::string(line.substr(0, 200));
}

std::string where(const MeaningfulFrame& m) {
  if (m.function.empty()) {
    return "an unidentified frame";
  }
  return m.location.empty() ? fmt::format("`{}`", m.function) : fmt::format("`{}` ({})", m.function, m.location);
}

// Threads parked in a lock wait, named by their first non-helper frame.
std::vector<std::string> lock_waiters(const model::Crash& crash, const Rules& rules) {
  std::vector<std::string> out;
  for (const auto& t : crash.threads) {
    if (!t.role.empty()) {
      continue;
    }
    bool waiting = std::any_of(t.frames.begin(), t.frames.end(), [](const model::Frame& f) {
      return f.function.find("lock_wait") != std::string::npos || f.function.find("mutex_lock") != std::string::npos ||
             f.function.find("EnterCriticalSection") != std::string::npos ||
             f.function.find("WaitForSingleObject") != std::string::npos;
    });
    if (!waiting) {
      continue;
    }
    for (const auto& f : t.frames) {
      if (is_symbolized(f) && !is_helper_frame(f, rules)) {
        out.push_back(fmt::format("thread {} in `{}`", t.id.empty() ? "?" : t.id, normalize_function(f.function)));
        break;
      }
    }
    if (out.size() >= 6) {
      break;
    }
  }
  return out;
}

// A function that occurs many times in the crashing stack: runaway recursion.
std::string recursion(const model::Crash& crash, size_t* count) {
  std::vector<std::string> names;
  for (const auto& f : crash.crashing_frames()) {
    if (is_symbolized(f)) {
      names.push_back(normalize_function(f.function));
    }
  }
  std::sort(names.begin(), names.end());
  std::string best;
  size_t best_n = 0;
  for (size_t i = 0; i < names.size();) {
    size_t j = i;
    while (j < names.size() && names[j] == names[i]) {
      ++j;
    }
    if (j - i > best_n) {
      best_n = j - i;
      best = names[i];
    }
    i = j;
  }
  *count = best_n;
  return best_n >= 8 ? best : "";
}

} // namespace

Hypothesis write_hypothesis(const model::Crash& crash, const MeaningfulFrame& m, const Rules& rules) {
  Hypothesis h;
  const std::string& category = crash.crash_category;
  std::string caller = caller_of(crash, m, rules);
  std::string from = caller.empty() ? "" : fmt::format(", called from `{}`", caller);
  const auto& frames = crash.crashing_frames();
  const model::Frame* mf = m.index >= 0 ? &frames[static_cast<size_t>(m.index)] : nullptr;

  if (crash.kind == model::Kind::assertion && crash.assertion) {
    const auto& a = *crash.assertion;
    bool notnull = rules.assert_helpers.matches(normalize_function(a.function));
    if (notnull) {
      h.text = fmt::format("A null-pointer assertion fired: `{}` was null{}{}.",
                           a.message.empty() ? a.condition : first_line(a.message),
                           m.function.empty() ? "" : " in " + where(m), from);
    } else {
      h.text = fmt::format("Assertion `{}` failed in {}{}.", first_line(a.condition), where(m), from);
    }
    if (!a.message.empty() && !notnull) {
      h.text += fmt::format(" Message: {}", first_line(a.message));
    }
    h.suggestions.push_back(fmt::format(
        "Find which caller breaks the invariant `{}`{}; the debug info in the message names the object involved.",
        first_line(a.condition), caller.empty() ? "" : " (start with `" + caller + "`)"));
    h.suggestions.push_back("Fix the state that violates the invariant; do not remove or weaken the assertion.");
  } else if (category == "FREEZE" || category == "DEADLOCK") {
    h.text = fmt::format("The server hung{}.", crash.error_message.empty() ? "" : " (" + first_line(crash.error_message) + ")");
    if (!m.function.empty()) {
      bool watchdog = rules.watchdog_functions.matches(m.function);
      h.text += watchdog ? fmt::format(" The crashing thread is the watchdog `{}`: the stuck code is in another thread.", m.function)
                         : fmt::format(" The crashing thread is in {}.", where(m));
    }
    auto waiters = lock_waiters(crash, rules);
    if (!waiters.empty()) {
      h.text += " Threads waiting for a lock: " + util::join(waiters, "; ") + ".";
      h.suggestions.push_back("Check the lock order of the waiting threads: two of them probably take the same locks in opposite order.");
    } else {
      h.suggestions.push_back("Capture all threads at the time of the hang (crashpilot snapshot, or gdb `thread apply all bt`): this report does not show the stuck thread.");
    }
    h.suggestions.push_back("Look for a loop without progress or a blocking call (database, network, sleep) on the world thread.");
  } else if (category == "USE_AFTER_FREE" || category == "DOUBLE_FREE") {
    std::string freed = role_site(crash, "freed", rules);
    std::string alloc = role_site(crash, "allocated", rules);
    h.text = fmt::format("{} in {}{}.", category == "DOUBLE_FREE" ? "Memory freed twice" : "Freed memory is used",
                         where(m), from);
    if (!freed.empty()) {
      h.text += fmt::format(" It was freed in `{}`", freed);
      h.text += alloc.empty() ? "." : fmt::format(" after being allocated in `{}`.", alloc);
    }
    if (util::icontains(crash.error_message, "DDDDDDDD") || util::icontains(crash.error_message, "FEEEFEEE")) {
      h.text += " Registers hold the MSVC debug-heap fill of freed memory.";
    }
    h.suggestions.push_back(fmt::format("Check who owns the object `{}` uses and when it is destroyed{}; a stored raw pointer that outlives its object is the usual cause.",
                                        m.function.empty() ? "the crashing code" : m.function,
                                        freed.empty() ? "" : " (in `" + freed + "`)"));
    h.suggestions.push_back("Hold a handle that can be revalidated (an id/GUID looked up each update, a weak reference) instead of a raw pointer across updates.");
  } else if (category == "NULL_DEREF") {
    bool null_this = mf && mf->arguments.find("this=0x0") != std::string::npos;
    if (null_this) {
      h.text = fmt::format("Null `this` in {}{}: the method was called on a null object.", where(m), from);
    } else if (crash.fault_address) {
      h.text = fmt::format("Access to address {} (in the null page) in {}{}: a null pointer, or a member of one, was dereferenced.",
                           util::hex(*crash.fault_address), where(m), from);
    } else {
      h.text = fmt::format("A null pointer was dereferenced in {}{}.", where(m), from);
    }
    h.suggestions.push_back(fmt::format("Find where the pointer used in `{}` becomes null{}; fix its lifetime or the caller's state.",
                                        m.function.empty() ? "the crashing code" : m.function,
                                        caller.empty() ? "" : " (the caller is `" + caller + "`)"));
    h.suggestions.push_back("A bare null check at the crash site only hides the bug: explain in the fix why the pointer may legitimately be null there.");
  } else if (category == "STACK_EXHAUSTION") {
    size_t n = 0;
    std::string rec = recursion(crash, &n);
    h.text = rec.empty() ? fmt::format("The stack overflowed in {}.", where(m))
                         : fmt::format("The stack overflowed: `{}` appears {} times in the stack (runaway recursion).", rec, n);
    h.suggestions.push_back("Find the recursion's missing base case or the large stack allocation on this path.");
  } else if (category == "UNCAUGHT_EXCEPTION") {
    h.text = fmt::format("An exception escaped and the runtime called std::terminate, from {}{}.", where(m), from);
    if (!crash.error_message.empty()) {
      h.text += " " + first_line(crash.error_message);
    }
    h.suggestions.push_back("Catch the exception where it can be handled, or stop the throwing call; check destructors of joinable threads (std::thread) and noexcept functions on this path.");
  } else if (category == "ABORT") {
    h.text = fmt::format("The server aborted on purpose in {}{}: an ABORT()/abort() marks a state the code treats as impossible.",
                         where(m), from);
    if (!crash.error_message.empty() && crash.error_message != crash.exception_name) {
      h.text += " Message: " + first_line(crash.error_message);
    }
    h.suggestions.push_back(fmt::format("Find how `{}` reached that state{}; the server log just before the crash usually names it.",
                                        m.function.empty() ? "the code" : m.function,
                                        caller.empty() ? "" : " (the caller is `" + caller + "`)"));
  } else if (category == "HEAP_OVERFLOW" || category == "STACK_OVERFLOW") {
    h.text = fmt::format("Out-of-bounds access ({}) in {}{}.", first_line(crash.error_message.empty() ? crash.exception_code : crash.error_message), where(m), from);
    h.suggestions.push_back(fmt::format("Check the index or length used in `{}` against the buffer's size.", m.function.empty() ? "the crashing code" : m.function));
  } else if (category == "DATA_RACE") {
    std::string prev = role_site(crash, "previous_access", rules);
    h.text = fmt::format("Two threads access the same memory without synchronisation: {}{}.", where(m),
                         prev.empty() ? "" : fmt::format(" and `{}`", prev));
    h.suggestions.push_back("Protect the shared state with one lock or make the access thread-local; check which thread owns the object.");
  } else {
    // Without a name the report did not carry its header (a pasted call stack only).
    std::string what = !crash.exception_name.empty() ? crash.exception_name
                       : crash.kind == model::Kind::exception ? std::string("A Windows exception (its code is not in the report)")
                       : crash.kind == model::Kind::signal    ? std::string("A crash (the signal is not in the report)")
                                                              : std::string("A crash");
    if (crash.kind == model::Kind::unknown && !crash.error_message.empty()) {
      what = first_line(crash.error_message);
    }
    h.text = fmt::format("{} in {}{}.", what, where(m), from);
    if (crash.fault_address) {
      h.text += fmt::format(" Fault address {}.", util::hex(*crash.fault_address));
    }
    h.suggestions.push_back(fmt::format("Inspect the pointers and indices `{}` uses at {}.",
                                        m.function.empty() ? "the crashing code" : m.function,
                                        m.location.empty() ? "the crash site" : m.location));
  }

  if (m.from_previous_error) {
    h.text += fmt::format(" The fatal stack shows only runtime frames; `{}` comes from the error reported just before it.",
                          m.function);
  }
  if (m.function.empty() || crash.has_problem(model::problem::unsymbolized)) {
    h.suggestions.push_back("Symbolize the report (crashpilot symbolize, or a build with debug info / the PDB) to name the crashing code.");
  }
  if (crash.has_problem(model::problem::truncated)) {
    h.suggestions.push_back("The report is truncated: attach the whole crash log for the remaining frames and threads.");
  }
  return h;
}

} // namespace crashpilot::triage
