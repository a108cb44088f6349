// SPDX-License-Identifier: MIT
#pragma once

// Running a helper program (git, a compiler, an agent CLI) without a shell: posix_spawn with an
// argv, so no argument is ever re-parsed, stdout/stderr captured through pipes with a byte cap, a
// wall-clock timeout, and a child that cannot outlive its owner: the ChildProcess destructor kills
// (SIGKILL to the child's own process group) and reaps it, so an early return or an exception
// leaves no orphan.

#include <util/expected.hpp>
#include <util/fd.hpp>

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::util {

struct RunOptions {
  std::string cwd;                            // "" = the caller's working directory
  std::map<std::string, std::string> env_set; // added to (or replacing in) the caller's environment
  std::string stdin_data;                     // written to the child's stdin, which is then closed
  size_t max_output_bytes = size_t{16} << 20; // per stream; the rest is read and dropped
  std::chrono::milliseconds timeout{60'000};  // wall clock; the process group is killed past it
};

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  int term_signal = 0; // the signal that ended it, 0 when it exited
  bool timed_out = false;
  std::string out;
  std::string err;
  size_t out_dropped = 0; // bytes read past max_output_bytes and dropped
  size_t err_dropped = 0;

  bool ok() const { return exit_code == 0 && !timed_out; }
};

// A running child. Move-only; the destructor kills and reaps a child that is still running.
class ChildProcess {
public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  // Starts argv[0] (looked up in PATH) in its own process group, with pipes for stdin, stdout and
  // stderr. Errors name the program and the reason (not found, spawn failure).
  static Expected<ChildProcess> spawn(const std::vector<std::string>& argv,
                                      const RunOptions& options);

  pid_t pid() const { return m_pid; }
  // Feeds `options.stdin_data`, collects output until both pipes close or the timeout passes, then
  // reaps the child. Call once.
  Expected<RunResult> communicate(const RunOptions& options);
  // SIGKILL to the process group, then reap. Safe to call more than once.
  void kill();

private:
  pid_t m_pid = -1;
  Fd m_in;
  Fd m_out;
  Fd m_err;
};

// spawn + communicate. A program that cannot be started is an error; a non-zero exit is a result.
Expected<RunResult> run_command(const std::vector<std::string>& argv,
                                const RunOptions& options = {});

} // namespace crashpilot::util
