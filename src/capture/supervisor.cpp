// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/string.hpp>

#include <capture/core_file.hpp>
#include <capture/freeze.hpp>
#include <capture/proc.hpp>
#include <capture/ptrace.hpp>
#include <capture/supervisor.hpp>
#include <fmt/format.h>
#include <poll.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <set>

namespace crashpilot::capture {

namespace {

using Clock = std::chrono::steady_clock;

bool is_fatal(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGABRT ||
         sig == SIGSYS || sig == SIGTRAP;
}

bool is_group_stop_signal(int sig) {
  return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

// Whether the process installed a handler for `sig` (/proc/PID/status SigCgt): a SIGTRAP the
// program handles itself is not a crash.
bool catches(pid_t pid, int sig) {
  auto status = util::read_file(fmt::format("/proc/{}/status", pid), {.max_bytes = 1 << 16});
  if (!status) {
    return false;
  }
  for (auto line : util::split(*status, '\n')) {
    if (line.substr(0, 7) == "SigCgt:") {
      auto mask = util::parse_hex(util::trim(line.substr(7)));
      return mask && ((*mask >> (sig - 1)) & 1) != 0;
    }
  }
  return false;
}

std::chrono::milliseconds to_ms(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

// One run of the server, from launch to reaping.
class Run {
public:
  Run(const SupervisorOptions& options, Hooks& hooks, int signal_fd, Launched launched)
      : m_options(options), m_hooks(hooks), m_sfd(signal_fd), m_launched(std::move(launched)) {
    pid_t pid = m_launched.pid;
    m_tids.insert(pid);
    m_incident.process.pid = pid;
    m_incident.process.exe = process_exe(pid);
    m_incident.process.argv = process_cmdline(pid);
    m_incident.process.cwd = process_cwd(pid);
    m_incident.process.started = m_launched.started;
    if (m_incident.process.argv.empty()) {
      m_incident.process.argv = options.launch.argv;
    }
  }

  // Serves until the process is gone. Returns false when the incident should not be reported (a
  // stop we asked for).
  void serve(bool& stopping) {
    if (m_launched.traced) {
      // The exec stop is waiting: let the server run.
      drain();
    }
    while (!m_gone) {
      pollfd p{m_sfd, POLLIN, 0};
      int n = ::poll(&p, 1, static_cast<int>(m_options.tick.count()));
      if (n > 0) {
        signalfd_siginfo si{};
        while (::read(m_sfd, &si, sizeof si) == sizeof si) {
          if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM) {
            if (!stopping) {
              stopping = true;
              m_hooks.note("stopping",
                           fmt::format("forwarding SIGTERM to the server (pid {})", pid()));
            }
          }
        }
      }
      drain();
      if (m_gone) {
        break;
      }
      if (!stopping && m_options.stop && m_options.stop->load()) {
        stopping = true;
        m_hooks.note("stopping", fmt::format("stopping the server (pid {})", pid()));
      }
      auto now = Clock::now();
      if (stopping && !m_term_sent) {
        ::kill(pid(), SIGTERM);
        m_term_sent = true;
        m_term_at = now;
      }
      if (m_term_sent && !m_kill_sent && now - m_term_at > m_options.stop_grace) {
        m_hooks.note("stopping", fmt::format("the server did not stop within {} ms: SIGKILL",
                                             m_options.stop_grace.count()));
        kill_now();
      }
      if (m_captured && !m_kill_sent && now - m_captured_at > m_options.exit_grace) {
        m_hooks.note("killing", "the server is still alive after its fatal signal: SIGKILL");
        kill_now();
      }
      if (!m_captured && !stopping && m_hooks.hung) {
        if (auto reason = m_hooks.hung(pid())) {
          capture_hang(*reason);
        }
      }
    }
  }

  Incident& finish(bool stopping) {
    Incident& in = m_incident;
    in.uptime = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now() - in.process.started);
    if (!m_captured) {
      in.time = std::chrono::system_clock::now();
      if (in.term_signal != 0) {
        if (is_fatal(in.term_signal)) { // the fallback: no ptrace, the kernel's core is our source
          in.outcome = in.term_signal == SIGABRT ? Outcome::abort : Outcome::crash;
          in.signal = in.term_signal;
          core_snapshot(in, m_options.snapshot);
        } else if (stopping && (in.term_signal == SIGTERM || in.term_signal == SIGKILL)) {
          in.outcome = Outcome::clean_exit;
        } else {
          in.outcome = Outcome::killed;
        }
      } else if (in.exit_code == 0) {
        in.outcome = Outcome::clean_exit;
      } else {
        in.outcome = in.uptime < m_options.startup_window && !stopping ? Outcome::startup_failure
                                                                       : Outcome::abnormal_exit;
      }
    }
    return in;
  }

  Clock::duration uptime() const { return Clock::now() - m_start; }

private:
  pid_t pid() const { return m_launched.pid; }

  void kill_now() {
    ::kill(pid(), SIGKILL);
    m_kill_sent = true;
  }

  void drain() {
    if (!m_launched.traced) {
      int status = 0;
      pid_t r = ::waitpid(pid(), &status, WNOHANG);
      if (r == pid()) {
        exited(status);
      }
      return;
    }
    bool any = true;
    while (any && !m_gone) {
      any = false;
      std::vector<pid_t> tids(m_tids.begin(), m_tids.end());
      for (pid_t tid : tids) {
        int status = 0;
        pid_t r = ::waitpid(tid, &status, __WALL | WNOHANG);
        if (r == 0) {
          continue;
        }
        if (r < 0) {
          if (errno == ECHILD) {
            m_tids.erase(tid);
            if (tid == pid()) {
              m_gone = true; // reaped elsewhere; nothing more to learn
            }
          }
          continue;
        }
        any = true;
        handle(tid, status);
        if (m_gone) {
          break;
        }
      }
    }
  }

  void exited(int status) {
    if (WIFEXITED(status)) {
      m_incident.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      m_incident.term_signal = WTERMSIG(status);
      m_incident.core_dumped = WCOREDUMP(status);
    }
    m_gone = true;
  }

  void handle(pid_t tid, int status) {
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      m_tids.erase(tid);
      if (tid == pid()) {
        exited(status);
      }
      return;
    }
    if (!WIFSTOPPED(status)) {
      return;
    }
    int sig = WSTOPSIG(status);
    int event = ptrace_event(status);
    if (event == PTRACE_EVENT_CLONE) {
      if (auto msg = ptrace_event_message(tid)) {
        m_tids.insert(static_cast<pid_t>(*msg));
      }
      (void)ptrace_cont(tid, 0);
    } else if (event == PTRACE_EVENT_STOP) {
      if (is_group_stop_signal(sig)) {
        (void)ptrace_listen(tid);
      } else {
        (void)ptrace_cont(tid, 0);
      }
    } else if (event != 0) {
      (void)ptrace_cont(tid, 0); // exec, exit
    } else if (is_fatal(sig) && !m_captured && !(sig == SIGTRAP && catches(pid(), SIGTRAP))) {
      capture_crash(tid, sig);
    } else {
      (void)ptrace_cont(tid, sig); // not ours: the server's own signals pass through unchanged
    }
  }

  void capture_crash(pid_t tid, int sig) {
    m_captured = true;
    m_captured_at = Clock::now();
    Incident& in = m_incident;
    in.time = std::chrono::system_clock::now();
    in.outcome = sig == SIGABRT ? Outcome::abort : Outcome::crash;
    in.signal = sig;
    in.crashing_tid = tid;
    in.crashing_thread_name = thread_name(pid(), tid);
    if (auto si = ptrace_siginfo(tid)) {
      in.si_code = si->si_code;
      if (si->si_code == SI_USER || si->si_code == SI_TKILL || si->si_code == SI_QUEUE) {
        in.sender_pid = si->si_pid == pid() ? 0 : si->si_pid; // abort() raises it itself
      } else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
                 sig == SIGTRAP) {
        in.fault_address = reinterpret_cast<uint64_t>(si->si_addr);
      }
    }
    std::vector<pid_t> known(m_tids.begin(), m_tids.end());
    auto frozen = freeze_traced(pid(), tid, sig, known);
    if (!frozen) {
      in.snapshot_error = frozen.error();
      (void)ptrace_cont(tid, sig);
      return;
    }
    auto snap =
        take_snapshot(*frozen, tid, m_options.snapshot); // releases: `sig` goes on to the server
    if (snap) {
      in.snapshot = std::move(*snap);
    } else {
      in.snapshot_error = snap.error();
    }
  }

  void capture_hang(const std::string& reason) {
    m_captured = true;
    m_captured_at = Clock::now();
    Incident& in = m_incident;
    in.time = std::chrono::system_clock::now();
    in.outcome = Outcome::hang;
    in.hang_reason = reason;
    m_hooks.note("hang", reason);
    auto frozen = m_launched.traced
                      ? freeze_traced(pid(), 0, 0, std::vector<pid_t>(m_tids.begin(), m_tids.end()))
                      : freeze_foreign(pid());
    if (frozen) {
      auto snap = take_snapshot(*frozen, 0, m_options.snapshot);
      if (snap) {
        in.snapshot = std::move(*snap);
      } else {
        in.snapshot_error = snap.error();
      }
    } else {
      in.snapshot_error = frozen.error();
    }
    if (m_launched.traced) {
      drain(); // the stops the freeze left behind, before the kill
    }
    kill_now(); // a hung server does not come back by itself
  }

  const SupervisorOptions& m_options;
  Hooks& m_hooks;
  int m_sfd;
  Launched m_launched;
  std::set<pid_t> m_tids;
  Incident m_incident;
  Clock::time_point m_start = Clock::now();
  bool m_gone = false;
  bool m_captured = false;
  Clock::time_point m_captured_at;
  bool m_term_sent = false;
  bool m_kill_sent = false;
  Clock::time_point m_term_at;
};

// Sleeps `delay` unless SIGINT/SIGTERM arrives or `stop` is set; true when interrupted.
bool wait_interruptible(int sfd, std::chrono::milliseconds delay, const std::atomic<bool>* stop) {
  auto until = Clock::now() + delay;
  while (Clock::now() < until) {
    if (stop && stop->load()) {
      return true;
    }
    pollfd p{sfd, POLLIN, 0};
    int ms = static_cast<int>(
        std::clamp<long long>(to_ms(until - Clock::now()).count(), 1, stop ? 100 : 1 << 30));
    if (::poll(&p, 1, ms) > 0) {
      signalfd_siginfo si{};
      while (::read(sfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM) {
          return true;
        }
      }
    }
  }
  return false;
}

sigset_t supervisor_signals(bool own_signals = true) {
  sigset_t set;
  sigemptyset(&set);
  if (own_signals) {
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
  }
  sigaddset(&set, SIGCHLD);
  return set;
}

} // namespace

void block_supervisor_signals() {
  sigset_t set = supervisor_signals();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

util::Expected<RunSummary> supervise(const SupervisorOptions& options, Hooks& hooks) {
  block_supervisor_signals();
  sigset_t set = supervisor_signals(options.own_signals);
  util::Fd sfd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!sfd.valid()) {
    return util::error(fmt::format("signalfd: {}", std::strerror(errno)));
  }
  auto noop_note = [](std::string_view, std::string_view) {};
  if (!hooks.note) {
    hooks.note = noop_note;
  }
  RestartTracker tracker(options.restart);
  RunSummary summary;
  bool trace = options.launch.trace;
  bool stopping = false;
  while (true) {
    LaunchSpec spec = options.launch;
    spec.trace = trace;
    spec.core_dumps = spec.core_dumps || !trace;
    auto launched = launch(spec);
    if (!launched && trace && options.allow_core_fallback &&
        launched.error().rfind("ptrace not permitted", 0) == 0) {
      hooks.note("fallback",
                 launched.error() +
                     "; falling back to core files (RLIMIT_CORE raised for the server)");
      trace = false;
      continue;
    }
    if (!launched) {
      return util::error(launched.error());
    }
    ++summary.runs;
    if (hooks.started) {
      hooks.started(*launched);
    }
    Run run(options, hooks, sfd.get(), std::move(*launched));
    run.serve(stopping);
    Incident& incident = run.finish(stopping);
    std::string signature;
    if (!(stopping && incident.outcome == Outcome::clean_exit) && hooks.incident) {
      signature = hooks.incident(incident);
    }
    bool loop = false;
    if (is_failure(incident.outcome)) {
      ++summary.failures;
      std::string key = signature.empty() ? std::string(to_string(incident.outcome)) : signature;
      loop = tracker.record_crash(key, Clock::now());
    }
    if (stopping) {
      summary.interrupted = true;
      summary.stop_reason = options.stop && options.stop->load() ? "stopped" : "stopped by signal";
      break;
    }
    if (options.max_crashes > 0 && summary.failures >= options.max_crashes) {
      summary.stop_reason = fmt::format("{} failure(s) captured (--max-crashes)", summary.failures);
      break;
    }
    if (loop) {
      summary.crash_loop = true;
      summary.stop_reason =
          fmt::format("crash loop: the same failure {} times within {} s{}; not restarting",
                      options.restart.loop_count, options.restart.loop_window.count(),
                      signature.empty() ? "" : " (signature " + signature + ")");
      hooks.note("crash_loop", summary.stop_reason);
      break;
    }
    if (options.restart.mode == RestartMode::never ||
        (options.restart.mode == RestartMode::on_failure && !is_failure(incident.outcome))) {
      summary.stop_reason =
          is_failure(incident.outcome) ? "restart policy is 'never'" : "the server exited cleanly";
      break;
    }
    auto delay = tracker.next_delay(run.uptime());
    hooks.note("restart", fmt::format("in {} ms", delay.count()));
    if (wait_interruptible(sfd.get(), delay, options.stop)) {
      summary.interrupted = true;
      summary.stop_reason = options.stop && options.stop->load() ? "stopped" : "stopped by signal";
      break;
    }
  }
  return summary;
}

} // namespace crashpilot::capture
