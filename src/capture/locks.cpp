// SPDX-License-Identifier: MIT
#include <capture/locks.hpp>
#include <capture/proc.hpp>
#include <sys/syscall.h>

#include <string>
#include <string_view>

namespace crashpilot::capture {

namespace {

// glibc's struct __pthread_mutex_s starts with int __lock; unsigned __count; int __owner.
constexpr uint64_t mutex_owner_offset = 2 * sizeof(int);

bool is_lock_function(std::string_view f) {
  for (std::string_view name :
       {"__lll_lock_wait", "pthread_mutex_lock", "__pthread_mutex_lock", "___pthread_mutex_lock",
        "__pthread_mutex_lock_full", "pthread_mutex_timedlock", "__pthread_mutex_clocklock_common",
        "std::mutex::lock", "std::recursive_mutex::lock", "std::timed_mutex::lock",
        "__gthread_mutex_lock"}) {
    if (f.substr(0, name.size()) == name &&
        (f.size() == name.size() || f[name.size()] == '(' || f[name.size()] == ' ')) {
      return true;
    }
  }
  return false;
}

} // namespace

WaitFacts wait_facts(pid_t pid, pid_t tid) {
  WaitFacts facts;
  auto sc = thread_syscall(pid, tid);
  if (!sc) {
    return facts;
  }
  facts.in_syscall = true;
  facts.in_futex = sc->number == SYS_futex;
  if (facts.in_futex && sc->arg0 != 0) {
    int owner = 0;
    if (read_memory(pid, sc->arg0 + mutex_owner_offset, &owner, sizeof owner) && owner > 0) {
      facts.futex_owner = owner;
    }
  }
  return facts;
}

void classify_wait(model::Thread& thread, const WaitFacts& facts) {
  if (!facts.in_syscall) {
    thread.state = "running";
    return;
  }
  thread.state = "sleeping";
  if (!facts.in_futex) {
    return;
  }
  // Only the innermost few frames: a lock taken by a caller far up is not what blocks the thread.
  size_t checked = 0;
  for (const auto& f : thread.frames) {
    if (checked++ == 6) {
      break;
    }
    if (is_lock_function(f.function)) {
      thread.state = "lock_wait";
      break;
    }
  }
  if (thread.state == "lock_wait" && facts.futex_owner > 0) {
    thread.lock_owner =
        std::to_string(facts.futex_owner); // checked against the threads by the caller
  }
}

} // namespace crashpilot::capture
