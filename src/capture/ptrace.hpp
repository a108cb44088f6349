// SPDX-License-Identifier: MIT
#pragma once

// Thin wrappers over the ptrace requests the capture stage uses, each returning an error that names
// the request, the thread and errno's text, so a failure at the CLI says what the kernel refused.
// Only PTRACE_SEIZE-mode requests: SEIZE gives PTRACE_INTERRUPT and PTRACE_LISTEN, and a tracee
// that runs at full speed until a signal, a clone or an exec (never PTRACE_SYSCALL).

#include <util/expected.hpp>

#include <sys/types.h>

#include <csignal>
#include <cstdint>

namespace crashpilot::capture {

util::Expected<void> ptrace_seize(pid_t tid, unsigned long options);
util::Expected<void> ptrace_interrupt(pid_t tid);
// Resumes a stopped thread, delivering `signal` (0 = none).
util::Expected<void> ptrace_cont(pid_t tid, int signal);
// Resumes a thread in group-stop without letting it run (it stays stopped, we keep getting events).
util::Expected<void> ptrace_listen(pid_t tid);
util::Expected<void> ptrace_detach(pid_t tid, int signal);
util::Expected<siginfo_t> ptrace_siginfo(pid_t tid);
util::Expected<unsigned long> ptrace_event_message(pid_t tid);

// The event number of a ptrace stop status (PTRACE_EVENT_*), 0 for a plain signal stop.
inline int ptrace_event(int status) {
  return (status >> 16) & 0xffff;
}

// True when the ptrace error means "not allowed here" (Yama, no CAP_SYS_PTRACE, a container's
// seccomp profile), as opposed to a thread that went away.
bool ptrace_denied(int err);

} // namespace crashpilot::capture
