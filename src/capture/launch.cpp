// SPDX-License-Identifier: MIT
#include <capture/launch.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace crashpilot::capture {

namespace {

// What the child reports through the error pipe before dying.
struct ChildError {
  int step; // 1 chdir, 2 exec, 3 dup2/setup
  int err;
};

std::string resolve(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return program;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) {
      end = dirs.size();
    }
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return program; // exec fails with ENOENT and the error names it
}

[[noreturn]] void child_fail(int fd, int step) {
  ChildError e{step, errno};
  (void)!::write(fd, &e, sizeof e);
  ::_exit(127);
}

} // namespace

unsigned long trace_options() {
  return PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
}

util::Expected<Launched> launch(const LaunchSpec& spec) {
  if (spec.argv.empty()) {
    return util::error("no server command: give it after `--` or set server.command in the config");
  }
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::string path = resolve(spec.argv[0]);
  std::vector<char*> argv;
  for (const auto& a : spec.argv) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::string key = kv.substr(0, kv.find('='));
    if (!spec.env_set.count(key)) {
      env_strings.push_back(std::move(kv));
    }
  }
  for (const auto& [k, v] : spec.env_set) {
    env_strings.push_back(k + "=" + v);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);

  int go[2], report[2], out[2] = {-1, -1}, err[2] = {-1, -1};
  if (::pipe2(go, O_CLOEXEC) != 0 || ::pipe2(report, O_CLOEXEC) != 0) {
    return util::error(fmt::format("cannot create pipes: {}", std::strerror(errno)));
  }
  util::Fd go_read(go[0]), go_write(go[1]), report_read(report[0]), report_write(report[1]);
  util::Fd out_read, out_write, err_read, err_write;
  if (spec.capture_output) {
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
      return util::error(fmt::format("cannot create pipes: {}", std::strerror(errno)));
    }
    out_read.reset(out[0]);
    out_write.reset(out[1]);
    err_read.reset(err[0]);
    err_write.reset(err[1]);
  }

  pid_t pid = ::fork();
  if (pid < 0) {
    return util::error(
        fmt::format("cannot start {}: fork: {}", spec.argv[0], std::strerror(errno)));
  }
  if (pid == 0) {
    // The child. Own process group: a Ctrl-C at the terminal reaches crashpilot, which stops the
    // server gracefully, instead of killing the server mid-write.
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) {
      ::signal(sig, SIG_DFL);
    }
    if (spec.capture_output) {
      if (::dup2(out_write.get(), STDOUT_FILENO) < 0 ||
          ::dup2(err_write.get(), STDERR_FILENO) < 0) {
        child_fail(report_write.get(), 3);
      }
    }
    if (spec.core_dumps) {
      rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
      if (::setrlimit(RLIMIT_CORE, &unlimited) != 0) {
        rlimit current{};
        ::getrlimit(RLIMIT_CORE, &current);
        current.rlim_cur = current.rlim_max;
        ::setrlimit(RLIMIT_CORE, &current);
      }
    }
    if (!spec.cwd.empty() && ::chdir(spec.cwd.c_str()) != 0) {
      child_fail(report_write.get(), 1);
    }
    char byte = 0;
    while (::read(go_read.get(), &byte, 1) < 0 && errno == EINTR) {
    }
    if (byte != 'g') {
      ::_exit(126); // the parent gave up on us
    }
    ::execve(path.c_str(), argv.data(), envp.data());
    child_fail(report_write.get(), 2);
  }

  Launched l;
  l.pid = pid;
  l.started = std::chrono::system_clock::now();
  ::setpgid(pid, pid); // also from here, so the group exists whichever side runs first
  go_read.reset();
  report_write.reset();
  out_write.reset();
  err_write.reset();

  auto abandon = [&](std::string message) -> util::Expected<Launched> {
    go_write.reset(); // the child reads EOF and exits 126
    int status = 0;
    while (::waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
    }
    return util::error(std::move(message));
  };
  if (spec.trace) {
    if (::ptrace(PTRACE_SEIZE, pid, nullptr, trace_options()) != 0) {
      int e = errno;
      return abandon(fmt::format("ptrace not permitted ({}): cannot supervise {} under ptrace",
                                 std::strerror(e), spec.argv[0]));
    }
    l.traced = true;
  }
  char g = 'g';
  if (::write(go_write.get(), &g, 1) != 1) {
    return abandon(fmt::format("cannot start {}: {}", spec.argv[0], std::strerror(errno)));
  }
  go_write.reset();
  // EOF on the report pipe = exec happened (close-on-exec). Under ptrace the exec stop may already
  // be waiting for us; that does not keep the pipe open.
  ChildError ce{};
  ssize_t n;
  while ((n = ::read(report_read.get(), &ce, sizeof ce)) < 0 && errno == EINTR) {
  }
  if (n == static_cast<ssize_t>(sizeof ce)) {
    const char* what = ce.step == 1   ? "cannot enter the working directory"
                       : ce.step == 2 ? "cannot execute"
                                      : "cannot set up";
    std::string target = ce.step == 1 ? spec.cwd : path;
    int status = 0;
    while (::waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
    }
    return util::error(
        fmt::format("server start-up failed: {} {}: {}", what, target, std::strerror(ce.err)));
  }
  l.out = std::move(out_read);
  l.err = std::move(err_read);
  return l;
}

} // namespace crashpilot::capture
