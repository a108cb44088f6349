// SPDX-License-Identifier: MIT
#pragma once

// Running a helper program (git, a compiler, an agent CLI) without a shell: posix_spawn with an
// argv, so no argument is ever re-parsed, stdout/stderr captured through pipes with a byte cap, a
// wall-clock timeout, and a child that cannot outlive its owner: the ChildProcess destructor kills
// (SIGKILL to the child's own process group) and reaps it, so an early return or an exception
// leaves no orphan.
//
// For untrusted children (coding agents) a few more knobs: a new session, an environment built from
// an allow-list only, an idle timeout, SIGTERM with a grace period before SIGKILL, and a bounded
// wait for pipes that helpers left behind keep open after the child itself exited.

#include <util/expected.hpp>
#include <util/fd.hpp>

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
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
  // setsid() instead of setpgid(): own session and process group, no controlling terminal, so a
  // terminal's signals (Ctrl-C, SIGHUP) never reach it and it cannot open /dev/tty.
  bool new_session = false;
  // The child's environment is env_set alone (the caller's allow-list), not the caller's plus it.
  bool clear_env = false;
  // No byte on stdout or stderr for this long counts as a timeout too (idle_timed_out); 0 = off.
  std::chrono::milliseconds idle_timeout{0};
  // On a timeout: SIGTERM to the group, then SIGKILL once this passed; 0 = SIGKILL at once.
  std::chrono::milliseconds kill_grace{0};
  // Once the child exited, read its pipes at most this long more, then SIGKILL what is left of its
  // process group and stop: helpers it started may hold the pipes open forever. nullopt = read
  // until both pipes close (or the timeout).
  std::optional<std::chrono::milliseconds> exit_drain;
  // Set from elsewhere (a signal handler, another thread): ends the run as a timeout would, with
  // `cancelled` in the result. Checked at least every 100 ms.
  const std::atomic<bool>* cancel = nullptr;
};

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal
  int term_signal = 0; // the signal that ended it, 0 when it exited
  bool timed_out = false;
  bool idle_timed_out = false; // the timeout was the idle one (implies timed_out)
  bool cancelled = false;      // RunOptions::cancel was set (implies timed_out)
  bool pipes_held_after_exit =
      false; // the child exited but something kept its pipes open (exit_drain)
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
  // SIGTERM to the process group, SIGKILL to it once `grace` passed without the child exiting,
  // then reap; returns the wait status. Safe to call more than once (later calls return 0).
  int terminate(std::chrono::milliseconds grace);

private:
  int reap(); // blocking waitpid; the wait status
  pid_t m_pid = -1;
  Fd m_in;
  Fd m_out;
  Fd m_err;
};

// Whether `pid` is a child some ChildProcess started and has not reaped yet. A process that is a
// subreaper (PR_SET_CHILD_SUBREAPER) uses this to tell its own children from adopted orphans.
bool is_spawned_child(pid_t pid);

// spawn + communicate. A program that cannot be started is an error; a non-zero exit is a result.
Expected<RunResult> run_command(const std::vector<std::string>& argv,
                                const RunOptions& options = {});

} // namespace crashpilot::util
