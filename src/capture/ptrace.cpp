// SPDX-License-Identifier: MIT
#include <capture/ptrace.hpp>
#include <fmt/format.h>
#include <sys/ptrace.h>

#include <cerrno>
#include <cstring>

namespace crashpilot::capture {

namespace {

util::Expected<void> check(long rc, const char* request, pid_t tid) {
  if (rc == -1) {
    int err = errno;
    return util::error(
        fmt::format("ptrace({}) on thread {}: {}", request, tid, std::strerror(err)));
  }
  return {};
}

} // namespace

util::Expected<void> ptrace_seize(pid_t tid, unsigned long options) {
  return check(ptrace(PTRACE_SEIZE, tid, nullptr, options), "SEIZE", tid);
}

util::Expected<void> ptrace_interrupt(pid_t tid) {
  return check(ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr), "INTERRUPT", tid);
}

util::Expected<void> ptrace_cont(pid_t tid, int signal) {
  return check(ptrace(PTRACE_CONT, tid, nullptr, static_cast<long>(signal)), "CONT", tid);
}

util::Expected<void> ptrace_listen(pid_t tid) {
  return check(ptrace(PTRACE_LISTEN, tid, nullptr, nullptr), "LISTEN", tid);
}

util::Expected<void> ptrace_detach(pid_t tid, int signal) {
  return check(ptrace(PTRACE_DETACH, tid, nullptr, static_cast<long>(signal)), "DETACH", tid);
}

util::Expected<siginfo_t> ptrace_siginfo(pid_t tid) {
  siginfo_t info{};
  if (auto ok = check(ptrace(PTRACE_GETSIGINFO, tid, nullptr, &info), "GETSIGINFO", tid); !ok) {
    return util::error(ok.error());
  }
  return info;
}

util::Expected<unsigned long> ptrace_event_message(pid_t tid) {
  unsigned long msg = 0;
  if (auto ok = check(ptrace(PTRACE_GETEVENTMSG, tid, nullptr, &msg), "GETEVENTMSG", tid); !ok) {
    return util::error(ok.error());
  }
  return msg;
}

bool ptrace_denied(int err) {
  return err == EPERM || err == EACCES || err == ENOSYS;
}

} // namespace crashpilot::capture
