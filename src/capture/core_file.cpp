// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/string.hpp>

#include <capture/core_file.hpp>
#include <fmt/format.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace crashpilot::capture {

namespace {

std::string basename_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string glob_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

} // namespace

std::optional<std::string> expected_core_path(const ProcessInfo& process,
                                              const std::string& pattern_in, bool uses_pid,
                                              std::string& why) {
  std::string pattern(util::trim(pattern_in));
  if (pattern.empty()) {
    why = "kernel.core_pattern is empty: the kernel writes no core";
    return std::nullopt;
  }
  if (pattern[0] == '|') {
    why = fmt::format(
        "kernel.core_pattern pipes cores to a program ({}); crashpilot cannot read them there. "
        "Set it to a file pattern (e.g. sysctl kernel.core_pattern=core.%p) or allow ptrace",
        pattern.substr(1, pattern.find(' ') == std::string::npos ? std::string::npos
                                                                 : pattern.find(' ') - 1));
    return std::nullopt;
  }
  // Known values are filled in; values we cannot know exactly (time, the crashing thread's name,
  // ...) become a glob, resolved against the files that exist.
  std::string out;
  bool has_pid = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c != '%' || i + 1 == pattern.size()) {
      out += glob_escape(std::string(1, c));
      continue;
    }
    char spec = pattern[++i];
    switch (spec) {
    case '%':
      out += '%';
      break;
    case 'p':
    case 'P':
      out += std::to_string(process.pid);
      has_pid = true;
      break;
    case 'u':
      out += std::to_string(::getuid());
      break;
    case 'g':
      out += std::to_string(::getgid());
      break;
    case 'f':
      out += glob_escape(basename_of(process.exe));
      break;
    case 'E':
      out += glob_escape(util::replace_all(process.exe, "/", "!"));
      break;
    default:
      out += '*';
      break; // %e (thread name), %t, %s, %h, %i, %c, %d...
    }
  }
  if (uses_pid && !has_pid) {
    out += "." + std::to_string(process.pid);
  }
  if (out.empty() || out[0] != '/') {
    out = glob_escape(process.cwd.empty() ? std::string(".") : process.cwd) + "/" + out;
  }
  return out;
}

util::Expected<Snapshot> snapshot_from_core(const std::string& core, const std::string& exe,
                                            const SnapshotOptions& options,
                                            symbolize::CoreInfo* info_out) {
  auto start = std::chrono::steady_clock::now();
  auto session = symbolize::Session::open_core(
      core, exe, symbolize::SessionOptions{options.debug_dirs, options.debug_cache_dir});
  if (!session) {
    return util::error(session.error());
  }
  auto raw = session->unwind(options.limits);
  if (!raw) {
    return util::error(fmt::format("cannot unwind the core {}: {}", core, raw.error()));
  }
  Snapshot snap;
  auto info = session->core_info();
  if (info) {
    snap.pid = info->pid;
    snap.focus_tid = info->crashing_tid;
    if (info_out) {
      *info_out = *info;
    }
  }
  for (const auto& rt : *raw) {
    model::Thread t = session->symbolize(rt);
    t.crashing = rt.tid == snap.focus_tid;
    if (!rt.error.empty()) {
      snap.problems.push_back(fmt::format("thread {}: {}", rt.tid, rt.error));
    }
    snap.threads.push_back(std::move(t));
  }
  std::stable_sort(
      snap.threads.begin(), snap.threads.end(),
      [](const model::Thread& a, const model::Thread& b) { return a.crashing && !b.crashing; });
  for (const auto& n : session->notes()) {
    snap.problems.push_back(n);
  }
  snap.modules = session->modules();
  snap.build_id = session->main_build_id();
  snap.symbolize = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  return snap;
}

void core_snapshot(Incident& incident, const SnapshotOptions& options) {
  if (!incident.core_dumped) {
    incident.snapshot_error = "no core was written (RLIMIT_CORE, or core_pattern discards it)";
    return;
  }
  auto pattern = util::read_file("/proc/sys/kernel/core_pattern", {.max_bytes = 4096});
  auto uses_pid = util::read_file("/proc/sys/kernel/core_uses_pid", {.max_bytes = 64});
  std::string why;
  auto where = expected_core_path(incident.process, pattern ? *pattern : "core",
                                  uses_pid && !uses_pid->empty() && (*uses_pid)[0] == '1', why);
  if (!where) {
    incident.snapshot_error = why;
    return;
  }
  // The kernel has finished the core when the parent sees the exit; pick the newest match.
  std::string best;
  time_t best_time = 0;
  glob_t g{};
  if (::glob(where->c_str(), GLOB_NOSORT, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) {
      struct stat st {};
      // A core older than this run is another crash's.
      time_t started = std::chrono::system_clock::to_time_t(incident.process.started);
      if (::stat(g.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime >= started - 1 &&
          st.st_mtime >= best_time) {
        best = g.gl_pathv[i];
        best_time = st.st_mtime;
      }
    }
  }
  ::globfree(&g);
  if (best.empty()) {
    incident.snapshot_error = fmt::format("the core was not found at {}", *where);
    return;
  }
  incident.core_path = best;
  symbolize::CoreInfo info;
  auto snap = snapshot_from_core(best, incident.process.exe, options, &info);
  if (!snap) {
    incident.snapshot_error = snap.error();
    return;
  }
  incident.snapshot = std::move(*snap);
  incident.crashing_tid = incident.snapshot->focus_tid;
  incident.si_code = info.si_code;
  incident.fault_address = info.fault_address;
}

} // namespace crashpilot::capture
