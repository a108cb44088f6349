// SPDX-License-Identifier: MIT
#include <util/file.hpp>

#include <capture/freeze.hpp>
#include <capture/proc.hpp>
#include <capture/ptrace.hpp>
#include <fmt/format.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <thread>

namespace crashpilot::capture {

namespace {

using Clock = std::chrono::steady_clock;

bool is_group_stop_signal(int sig) {
  return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

// Why a seize was refused, in words a user can act on.
std::string denied_reason(pid_t pid, int err) {
  if (err == ESRCH) {
    return fmt::format("no process {} (it exited, or it is not visible from here)", pid);
  }
  std::string why =
      fmt::format("ptrace is not permitted on process {} ({})", pid, std::strerror(err));
  auto scope = util::read_file("/proc/sys/kernel/yama/ptrace_scope", {.max_bytes = 64});
  if (scope && !scope->empty() && (*scope)[0] != '0') {
    why +=
        fmt::format(": kernel.yama.ptrace_scope is {}; run as the same user with CAP_SYS_PTRACE, "
                    "or set it to 0 (sysctl kernel.yama.ptrace_scope=0), or start the server under "
                    "`crashpilot run`",
                    (*scope)[0]);
  } else {
    why += ": the process belongs to another user, or this container lacks CAP_SYS_PTRACE";
  }
  return why;
}

// Waits until every thread in `pending` has reported a stop, folding in what else happens
// meanwhile: a thread that exits is dropped, a thread cloned during the freeze is added (it starts
// with a stop of its own). Polls with WNOHANG so a thread stuck in the kernel cannot block us past
// the deadline.
struct StopRecord {
  pid_t tid = 0;
  int signal = 0;     // to deliver again on release
  bool group = false; // a group-stop (SIGSTOP & co)
};

std::vector<StopRecord> wait_for_stops(std::set<pid_t>& pending, std::vector<std::string>& problems,
                                       Clock::time_point deadline) {
  std::vector<StopRecord> stopped;
  while (!pending.empty()) {
    bool progressed = false;
    for (auto it = pending.begin(); it != pending.end();) {
      pid_t tid = *it;
      int status = 0;
      pid_t r = ::waitpid(tid, &status, __WALL | WNOHANG);
      if (r == 0) {
        ++it;
        continue;
      }
      progressed = true;
      if (r < 0 || WIFEXITED(status) || WIFSIGNALED(status)) {
        it = pending.erase(it); // gone while we were stopping it
        continue;
      }
      int sig = WSTOPSIG(status);
      int event = ptrace_event(status);
      if (event == PTRACE_EVENT_STOP) {
        stopped.push_back({tid, 0, is_group_stop_signal(sig)});
      } else if (event == PTRACE_EVENT_CLONE) {
        if (auto msg = ptrace_event_message(tid)) {
          pending.insert(static_cast<pid_t>(*msg)); // a new thread; it reports its own first stop
        }
        stopped.push_back({tid, 0, false});
      } else if (event != 0) {
        stopped.push_back({tid, 0, false}); // exec, fork, exit: stopped, nothing to deliver
      } else {
        stopped.push_back({tid, sig, false}); // a signal on its way: delivered again on release
      }
      it = pending.erase(pending.find(tid));
    }
    if (pending.empty()) {
      break;
    }
    if (Clock::now() > deadline) {
      for (pid_t tid : pending) {
        problems.push_back(
            fmt::format("thread {} did not stop in time (uninterruptible sleep?)", tid));
      }
      pending.clear();
      break;
    }
    if (!progressed) {
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
  }
  return stopped;
}

} // namespace

Frozen::Frozen(Frozen&& other) noexcept
    : m_pid(other.m_pid), m_mode(other.m_mode), m_stopped(std::move(other.m_stopped)),
      m_problems(std::move(other.m_problems)), m_since(other.m_since),
      m_released(std::exchange(other.m_released, true)) {}

Frozen& Frozen::operator=(Frozen&& other) noexcept {
  if (this != &other) {
    release();
    m_pid = other.m_pid;
    m_mode = other.m_mode;
    m_stopped = std::move(other.m_stopped);
    m_problems = std::move(other.m_problems);
    m_since = other.m_since;
    m_released = std::exchange(other.m_released, true);
  }
  return *this;
}

Frozen::~Frozen() {
  release();
}

std::vector<pid_t> Frozen::threads() const {
  std::vector<pid_t> out;
  for (const auto& s : m_stopped) {
    out.push_back(s.tid);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void Frozen::set_resume_signal(pid_t tid, int signal) {
  for (auto& s : m_stopped) {
    if (s.tid == tid) {
      s.resume_signal = signal;
    }
  }
}

std::chrono::microseconds Frozen::release() {
  if (m_released) {
    return std::chrono::microseconds(0);
  }
  m_released = true;
  for (const auto& s : m_stopped) {
    // Errors here mean the thread already died (its process got a fatal signal): nothing to do.
    if (m_mode == Release::detach) {
      (void)ptrace_detach(s.tid, s.resume_signal);
    } else if (s.group_stop) {
      (void)ptrace_listen(s.tid);
    } else {
      (void)ptrace_cont(s.tid, s.resume_signal);
    }
  }
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - m_since);
}

util::Expected<Frozen> freeze_traced(pid_t pid, pid_t stopped_tid, int signal,
                                     const std::vector<pid_t>& known) {
  Frozen f;
  f.m_pid = pid;
  f.m_mode = Frozen::Release::resume;
  f.m_since = Clock::now();
  f.m_released = false;
  if (stopped_tid > 0) { // 0: nothing stopped yet (a hang snapshot)
    f.m_stopped.push_back({stopped_tid, signal, false});
  }

  std::set<pid_t> pending;
  for (pid_t tid : known) {
    if (tid != stopped_tid) {
      pending.insert(tid);
    }
  }
  for (pid_t tid : list_threads(pid)) { // threads whose clone event we have not seen yet
    if (tid != stopped_tid) {
      pending.insert(tid);
    }
  }
  for (auto it = pending.begin(); it != pending.end();) {
    if (!ptrace_interrupt(*it)) {
      it = pending.erase(it); // exited, or not ours
    } else {
      ++it;
    }
  }
  for (const auto& s :
       wait_for_stops(pending, f.m_problems, Clock::now() + std::chrono::seconds(2))) {
    f.m_stopped.push_back({s.tid, s.signal, s.group});
  }
  return f;
}

util::Expected<Frozen> freeze_foreign(pid_t pid, std::chrono::milliseconds timeout) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) {
    return util::error(denied_reason(pid, ESRCH));
  }
  Frozen f;
  f.m_pid = pid;
  f.m_mode = Frozen::Release::detach;
  f.m_since = Clock::now();
  f.m_released = false;
  auto deadline = Clock::now() + timeout;

  // Threads may be created while we seize: list again until a pass finds nothing new.
  std::set<pid_t> seized;
  for (int pass = 0; pass < 100; ++pass) {
    bool added = false;
    for (pid_t tid : list_threads(pid)) {
      if (seized.count(tid)) {
        continue;
      }
      if (::ptrace(PTRACE_SEIZE, tid, nullptr, PTRACE_O_TRACECLONE) != 0) {
        int err = errno;
        if (err == ESRCH) {
          continue; // the thread exited
        }
        for (pid_t t : seized) {
          (void)ptrace_detach(t, 0);
        }
        f.m_released = true;
        return util::error(denied_reason(pid, err));
      }
      seized.insert(tid);
      (void)ptrace_interrupt(tid);
      added = true;
    }
    if (!added) {
      break;
    }
  }
  if (seized.empty()) {
    f.m_released = true;
    return util::error(denied_reason(pid, ESRCH));
  }
  std::set<pid_t> pending = seized;
  for (const auto& s : wait_for_stops(pending, f.m_problems, deadline)) {
    f.m_stopped.push_back({s.tid, s.signal, s.group});
  }
  // Seized threads that never stopped are still ours: detach them too on release.
  for (pid_t tid : seized) {
    bool listed = std::any_of(f.m_stopped.begin(), f.m_stopped.end(),
                              [&](const auto& s) { return s.tid == tid; });
    if (!listed) {
      (void)ptrace_detach(tid, 0);
    }
  }
  return f;
}

} // namespace crashpilot::capture
