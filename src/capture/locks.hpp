// SPDX-License-Identifier: MIT
#pragma once

// Which threads of a hung process wait for a lock, and who holds it. A thread blocked in the futex
// syscall under a mutex-locking function is a lock waiter; the futex address is the mutex, and
// glibc's pthread_mutex_t keeps the owner's thread id in `__owner`, the third int of the struct on
// every Linux ABI glibc supports. The owner is trusted only when it names a thread of the process.

#include <model/crash.hpp>

#include <sys/types.h>

#include <optional>

namespace crashpilot::capture {

struct WaitFacts {
  bool in_syscall = false;
  bool in_futex = false;
  pid_t futex_owner = 0; // the candidate owner read from the futex word's mutex, 0 = none
};

// Read while the thread is stopped (memory may be gone once the process is released).
WaitFacts wait_facts(pid_t pid, pid_t tid);

// Sets thread.state ("running", "sleeping", "lock_wait") and thread.lock_owner from the facts and
// the thread's symbolized frames.
void classify_wait(model::Thread& thread, const WaitFacts& facts);

} // namespace crashpilot::capture
