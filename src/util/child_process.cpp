// SPDX-License-Identifier: MIT
#include <util/child_process.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

extern char** environ;

namespace crashpilot::util {

namespace {

struct PipePair {
  Fd read;
  Fd write;
};

Expected<PipePair> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return error(fmt::format("pipe failed: {}", std::strerror(errno)));
  }
  return PipePair{Fd(fds[0]), Fd(fds[1])};
}

// posix_spawn_file_actions_t / posix_spawnattr_t need destroy calls on every path.
struct SpawnActions {
  posix_spawn_file_actions_t actions{};
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
};

struct SpawnAttr {
  posix_spawnattr_t attr{};
  SpawnAttr() { posix_spawnattr_init(&attr); }
  ~SpawnAttr() { posix_spawnattr_destroy(&attr); }
  SpawnAttr(const SpawnAttr&) = delete;
  SpawnAttr& operator=(const SpawnAttr&) = delete;
};

// Children started and not yet reaped, for is_spawned_child().
std::mutex g_children_mutex;
std::set<pid_t> g_children;

void note_spawned(pid_t pid) {
  std::lock_guard lock(g_children_mutex);
  g_children.insert(pid);
}

void note_reaped(pid_t pid) {
  std::lock_guard lock(g_children_mutex);
  g_children.erase(pid);
}

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& set,
                                            bool clear) {
  std::vector<std::string> env;
  for (char** e = environ; !clear && e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string name(entry.substr(0, entry.find('=')));
    if (set.find(name) == set.end()) {
      env.emplace_back(entry);
    }
  }
  for (const auto& [k, v] : set) {
    env.push_back(k + "=" + v);
  }
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) {
    out.push_back(s.data());
  }
  out.push_back(nullptr);
  return out;
}

void set_nonblocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

} // namespace

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)), m_in(std::move(other.m_in)),
      m_out(std::move(other.m_out)), m_err(std::move(other.m_err)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill();
    m_pid = std::exchange(other.m_pid, -1);
    m_in = std::move(other.m_in);
    m_out = std::move(other.m_out);
    m_err = std::move(other.m_err);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  kill();
}

bool is_spawned_child(pid_t pid) {
  std::lock_guard lock(g_children_mutex);
  return g_children.count(pid) != 0;
}

int ChildProcess::reap() {
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
  note_reaped(m_pid);
  m_pid = -1;
  return status;
}

void ChildProcess::kill() {
  if (m_pid <= 0) {
    return;
  }
  ::kill(-m_pid, SIGKILL); // the whole group: helpers the child started die with it
  ::kill(m_pid, SIGKILL);
  reap();
}

int ChildProcess::terminate(std::chrono::milliseconds grace) {
  if (m_pid <= 0) {
    return 0;
  }
  ::kill(-m_pid, SIGTERM);
  ::kill(m_pid, SIGTERM);
  auto until = std::chrono::steady_clock::now() + grace;
  int status = 0;
  while (std::chrono::steady_clock::now() < until) {
    pid_t r = ::waitpid(m_pid, &status, WNOHANG);
    if (r == m_pid) {
      // The leader obeyed; members of its group that ignore SIGTERM still get SIGKILL.
      ::kill(-m_pid, SIGKILL);
      note_reaped(m_pid);
      m_pid = -1;
      return status;
    }
    if (r < 0 && errno != EINTR) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(-m_pid, SIGKILL);
  ::kill(m_pid, SIGKILL);
  return reap();
}

Expected<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv,
                                           const RunOptions& options) {
  if (argv.empty()) {
    return error("run_command: empty argv");
  }
  auto in = make_pipe();
  auto out = make_pipe();
  auto err = make_pipe();
  if (!in || !out || !err) {
    return error(fmt::format("{}: {}", argv[0],
                             !in    ? in.error()
                             : !out ? out.error()
                                    : err.error()));
  }
  SpawnActions fa;
  posix_spawn_file_actions_adddup2(&fa.actions, in->read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&fa.actions, out->write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa.actions, err->write.get(), STDERR_FILENO);
  if (!options.cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&fa.actions, options.cwd.c_str());
  }
  SpawnAttr attr;
  // Own process group, default signal dispositions: the child can be killed as a group and does not
  // inherit an ignored SIGPIPE/SIGCHLD from us.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGCHLD);
  posix_spawnattr_setsigdefault(&attr.attr, &defaults);
  // setsid() makes the child a group leader too; glibc's setpgid after it would fail with EPERM.
  if (options.new_session) {
    posix_spawnattr_setflags(&attr.attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF);
  } else {
    posix_spawnattr_setpgroup(&attr.attr, 0);
    posix_spawnattr_setflags(&attr.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  }

  std::vector<std::string> args = argv;
  std::vector<char*> c_args = c_strings(args);
  std::vector<std::string> env = merged_environment(options.env_set, options.clear_env);
  std::vector<char*> c_env = c_strings(env);
  pid_t pid = -1;
  int rc =
      ::posix_spawnp(&pid, argv[0].c_str(), &fa.actions, &attr.attr, c_args.data(), c_env.data());
  if (rc != 0) {
    return error(fmt::format("{}: cannot start: {}", argv[0], std::strerror(rc)));
  }
  note_spawned(pid);
  ChildProcess child;
  child.m_pid = pid;
  child.m_in = std::move(in->write);
  child.m_out = std::move(out->read);
  child.m_err = std::move(err->read);
  return child;
}

Expected<RunResult> ChildProcess::communicate(const RunOptions& options) {
  RunResult result;
  if (m_pid <= 0) {
    return error("communicate: no running child");
  }
  using Clock = std::chrono::steady_clock;
  const pid_t group = m_pid;
  auto deadline = Clock::now() + options.timeout;
  auto last_output = Clock::now();
  std::optional<Clock::time_point> drain_until; // set once the child exited (exit_drain only)
  std::optional<int> exit_status;
  std::string_view pending_in = options.stdin_data;
  if (pending_in.empty()) {
    m_in.reset();
  } else {
    set_nonblocking(m_in.get());
  }
  set_nonblocking(m_out.get());
  set_nonblocking(m_err.get());

  auto drain = [&](Fd& fd, std::string& into, size_t& dropped) {
    char buf[1 << 15];
    while (true) {
      ssize_t n = ::read(fd.get(), buf, sizeof buf);
      if (n > 0) {
        size_t got = static_cast<size_t>(n);
        size_t room =
            options.max_output_bytes > into.size() ? options.max_output_bytes - into.size() : 0;
        into.append(buf, std::min(room, got));
        dropped += got - std::min(room, got);
        last_output = Clock::now();
        continue;
      }
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n == 0 || errno != EAGAIN) {
        fd.reset(); // EOF or a dead pipe
      }
      return;
    }
  };

  while (m_out.valid() || m_err.valid() || m_in.valid()) {
    auto now = Clock::now();
    if (options.cancel != nullptr && options.cancel->load() && !drain_until) {
      result.timed_out = true;
      result.cancelled = true;
      break;
    }
    if (drain_until) {
      if (now >= *drain_until) {
        result.pipes_held_after_exit = true;
        break;
      }
    } else if (now >= deadline) {
      result.timed_out = true;
      break;
    } else if (options.idle_timeout.count() > 0 && now - last_output >= options.idle_timeout) {
      result.timed_out = true;
      result.idle_timed_out = true;
      break;
    }
    auto until = drain_until ? *drain_until : deadline;
    if (!drain_until && options.idle_timeout.count() > 0) {
      until = std::min(until, last_output + options.idle_timeout);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
    // With exit_drain the child's exit is noticed by polling waitpid, so wake up often.
    long long cap = (options.exit_drain && !drain_until) || options.cancel != nullptr ? 100 : 1000;
    pollfd fds[3];
    nfds_t n = 0;
    if (m_in.valid()) {
      fds[n++] = {m_in.get(), POLLOUT, 0};
    }
    if (m_out.valid()) {
      fds[n++] = {m_out.get(), POLLIN, 0};
    }
    if (m_err.valid()) {
      fds[n++] = {m_err.get(), POLLIN, 0};
    }
    int ready = ::poll(fds, n, static_cast<int>(std::clamp<long long>(left.count() + 1, 1, cap)));
    if (ready < 0 && errno != EINTR) {
      return error(fmt::format("poll failed: {}", std::strerror(errno)));
    }
    for (nfds_t i = 0; i < n && ready > 0; ++i) {
      if (fds[i].revents == 0) {
        continue;
      }
      if (m_in.valid() && fds[i].fd == m_in.get()) {
        ssize_t w = ::write(m_in.get(), pending_in.data(), pending_in.size());
        if (w > 0) {
          pending_in.remove_prefix(static_cast<size_t>(w));
        }
        if (pending_in.empty() || (w < 0 && errno != EAGAIN && errno != EINTR)) {
          m_in.reset(); // all written, or the child closed its stdin (EPIPE)
        }
      } else if (m_out.valid() && fds[i].fd == m_out.get()) {
        drain(m_out, result.out, result.out_dropped);
      } else if (m_err.valid() && fds[i].fd == m_err.get()) {
        drain(m_err, result.err, result.err_dropped);
      }
    }
    if (options.exit_drain && !drain_until) {
      int status = 0;
      if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        note_reaped(m_pid);
        m_pid = -1;
        exit_status = status;
        drain_until = Clock::now() + *options.exit_drain;
        m_in.reset(); // nobody reads it any more
      }
    }
  }
  m_in.reset();
  m_out.reset();
  m_err.reset();
  if (result.timed_out) {
    int status = options.kill_grace.count() > 0 ? terminate(options.kill_grace) : (kill(), 0);
    result.term_signal =
        options.kill_grace.count() > 0 && WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
    return result;
  }
  if (result.pipes_held_after_exit) {
    // The leader is gone; what still holds the pipes is in its group (or escaped it, which the
    // caller has to handle: a new session is out of reach of a group kill).
    ::kill(-group, SIGKILL);
  }
  int status = 0;
  if (exit_status) {
    status = *exit_status;
  } else {
    while (::waitpid(m_pid, &status, 0) < 0) {
      if (errno != EINTR) {
        note_reaped(m_pid);
        m_pid = -1;
        return error(fmt::format("waitpid failed: {}", std::strerror(errno)));
      }
    }
    note_reaped(m_pid);
    m_pid = -1;
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
  }
  return result;
}

Expected<RunResult> run_command(const std::vector<std::string>& argv, const RunOptions& options) {
  auto child = ChildProcess::spawn(argv, options);
  if (!child) {
    return error(child.error());
  }
  return child->communicate(options);
}

} // namespace crashpilot::util
