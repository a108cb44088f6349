// SPDX-License-Identifier: MIT
#pragma once

// Stopping every thread of a process at once, so a trace is one consistent instant: at a fatal
// signal the supervisor interrupts the other threads of its tracee; a snapshot of a process we do
// not supervise seizes every thread first. Frozen resumes (or detaches) in its destructor, so an
// early return or an exception never leaves a server stopped. The time a process stays frozen is
// measured: the target is a few milliseconds, with symbolization done after release.

#include <util/expected.hpp>

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace crashpilot::capture {

class Frozen {
public:
  enum class Release { resume, detach };

  Frozen() = default;
  Frozen(const Frozen&) = delete;
  Frozen& operator=(const Frozen&) = delete;
  Frozen(Frozen&& other) noexcept;
  Frozen& operator=(Frozen&& other) noexcept;
  ~Frozen();

  pid_t pid() const { return m_pid; }
  // Threads stopped by us, ascending.
  std::vector<pid_t> threads() const;
  // Threads that did not stop in time (uninterruptible sleep) or vanished while stopping.
  const std::vector<std::string>& problems() const { return m_problems; }
  // The signal delivered to `tid` when it is released (0 = none).
  void set_resume_signal(pid_t tid, int signal);
  // Lets every thread go: PTRACE_CONT (supervised) or PTRACE_DETACH (snapshot), each with the
  // signal it was stopped with. Safe to call twice. Returns how long the process was stopped.
  std::chrono::microseconds release();
  bool released() const { return m_released; }

private:
  friend util::Expected<Frozen> freeze_traced(pid_t, pid_t, int, const std::vector<pid_t>&);
  friend util::Expected<Frozen> freeze_foreign(pid_t, std::chrono::milliseconds);

  struct Stopped {
    pid_t tid = 0;
    int resume_signal = 0;
    bool group_stop = false; // stopped by SIGSTOP & co: resumed with PTRACE_LISTEN, not CONT
  };
  pid_t m_pid = -1;
  Release m_mode = Release::resume;
  std::vector<Stopped> m_stopped;
  std::vector<std::string> m_problems;
  std::chrono::steady_clock::time_point m_since;
  bool m_released = true;
};

// The supervisor's tracee: `stopped_tid` reported `signal` and is stopped (0: none is, as for a
// hang); every other thread in `known` (and in /proc, and any thread cloned meanwhile) is
// interrupted and waited for.
util::Expected<Frozen> freeze_traced(pid_t pid, pid_t stopped_tid, int signal,
                                     const std::vector<pid_t>& known);

// Any process this user may trace: every thread is seized and interrupted, then detached on
// release. Fails with a message naming the reason (no such process, ptrace not permitted and why).
util::Expected<Frozen>
freeze_foreign(pid_t pid, std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

} // namespace crashpilot::capture
