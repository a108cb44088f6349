// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/string.hpp>

#include <analyze/runner_process.hpp>
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <optional>
#include <thread>

extern char** environ;

namespace crashpilot::analyze {

namespace {

std::vector<pid_t> all_pids() {
  std::vector<pid_t> pids;
  DIR* d = ::opendir("/proc");
  if (d == nullptr) {
    return pids;
  }
  while (dirent* e = ::readdir(d)) {
    if (auto n = util::parse_int(e->d_name)) {
      pids.push_back(static_cast<pid_t>(*n));
    }
  }
  ::closedir(d);
  return pids;
}

// The parent pid from /proc/<pid>/stat ("pid (comm) state ppid ..."; comm may hold spaces and
// parentheses, so parse after the last ')').
std::optional<pid_t> parent_of(pid_t pid) {
  auto stat = util::read_file("/proc/" + std::to_string(pid) + "/stat", {.max_bytes = 4096});
  if (!stat) {
    return std::nullopt;
  }
  size_t close = stat->rfind(')');
  if (close == std::string::npos) {
    return std::nullopt;
  }
  auto fields = util::split_whitespace(std::string_view(*stat).substr(close + 1));
  if (fields.size() < 2) {
    return std::nullopt;
  }
  auto ppid = util::parse_int(fields[1]);
  return ppid ? std::optional<pid_t>(static_cast<pid_t>(*ppid)) : std::nullopt;
}

bool environment_has(pid_t pid, const std::string& entry) {
  auto env =
      util::read_file("/proc/" + std::to_string(pid) + "/environ", {.max_bytes = size_t{4} << 20});
  if (!env) {
    return false; // gone, a zombie, or not ours to read
  }
  for (std::string_view e : util::split(*env, '\0')) {
    if (e == entry) {
      return true;
    }
  }
  return false;
}

// Reaps `pid` when it is an adopted child of ours (never a ChildProcess's own, which its owner
// reaps).
void reap_if_adopted(pid_t pid) {
  if (util::is_spawned_child(pid) || parent_of(pid) != ::getpid()) {
    return;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

} // namespace

void become_subreaper() {
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

bool env_allowed(std::string_view name, const std::vector<std::string>& allow) {
  for (const auto& a : allow) {
    if (!a.empty() && a.back() == '*') {
      if (name.substr(0, a.size() - 1) == std::string_view(a).substr(0, a.size() - 1)) {
        return true;
      }
    } else if (name == a) {
      return true;
    }
  }
  return false;
}

std::map<std::string, std::string> allowed_environment(const std::vector<std::string>& allow) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    if (env_allowed(entry.substr(0, eq), allow)) {
      env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
    }
  }
  return env;
}

size_t kill_marked_processes(const std::string& name, const std::string& value) {
  const std::string entry = name + "=" + value;
  const pid_t self = ::getpid();
  size_t killed = 0;
  for (int pass = 0; pass < 50; ++pass) {
    std::vector<pid_t> found;
    for (pid_t pid : all_pids()) {
      if (pid != self && environment_has(pid, entry)) {
        found.push_back(pid);
      }
    }
    if (found.empty()) {
      break;
    }
    for (pid_t pid : found) {
      if (::kill(pid, SIGKILL) == 0) {
        ++killed;
      }
    }
    for (pid_t pid : found) {
      reap_if_adopted(pid);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return killed;
}

size_t kill_adopted_orphans() {
  const pid_t self = ::getpid();
  size_t killed = 0;
  for (int pass = 0; pass < 50; ++pass) {
    std::vector<pid_t> found;
    for (pid_t pid : all_pids()) {
      if (pid != self && parent_of(pid) == self && !util::is_spawned_child(pid)) {
        found.push_back(pid);
      }
    }
    if (found.empty()) {
      break;
    }
    for (pid_t pid : found) {
      ::kill(pid, SIGKILL);
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      ++killed;
    }
  }
  return killed;
}

AgentRun run_agent(const AgentSpawn& spawn) {
  AgentRun run;
  util::RunOptions o;
  o.cwd = spawn.cwd;
  o.env_set = spawn.env;
  o.clear_env = true;
  o.new_session = true;
  o.stdin_data = spawn.stdin_data;
  o.max_output_bytes = spawn.limits.max_output_bytes;
  o.timeout = spawn.limits.wall;
  o.idle_timeout = spawn.limits.idle;
  o.kill_grace = spawn.limits.kill_grace;
  o.exit_drain = spawn.limits.exit_drain;
  o.cancel = spawn.cancel;
  auto start = std::chrono::steady_clock::now();
  auto child = util::ChildProcess::spawn(spawn.argv, o);
  if (!child) {
    run.start_error = child.error();
    return run;
  }
  run.started = true;
  pid_t group = child->pid();
  auto result = child->communicate(o);
  // Whatever is left in the group (the leader exited and others did not hold the pipes), then
  // whatever left the group but kept the marker.
  ::kill(-group, SIGKILL);
  if (!spawn.marker_name.empty()) {
    run.escaped_killed = kill_marked_processes(spawn.marker_name, spawn.marker_value);
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!result) {
    run.start_error = result.error();
    return run;
  }
  run.result = std::move(*result);
  return run;
}

} // namespace crashpilot::analyze
