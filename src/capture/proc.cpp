// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/string.hpp>

#include <capture/proc.hpp>
#include <dirent.h>
#include <fmt/format.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace crashpilot::capture {

namespace {

std::string read_small(const std::string& path) {
  auto text = util::read_file(path, {.max_bytes = 1 << 20});
  return text ? *text : std::string();
}

std::string read_link(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

} // namespace

std::vector<pid_t> list_threads(pid_t pid) {
  std::vector<pid_t> tids;
  std::string dir = fmt::format("/proc/{}/task", pid);
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    return tids;
  }
  while (dirent* e = ::readdir(d)) {
    char* end = nullptr;
    long tid = std::strtol(e->d_name, &end, 10);
    if (tid > 0 && end && *end == '\0') {
      tids.push_back(static_cast<pid_t>(tid));
    }
  }
  ::closedir(d);
  std::sort(tids.begin(), tids.end());
  return tids;
}

std::string thread_name(pid_t pid, pid_t tid) {
  std::string name = read_small(fmt::format("/proc/{}/task/{}/comm", pid, tid));
  while (!name.empty() && (name.back() == '\n' || name.back() == '\0')) {
    name.pop_back();
  }
  return name;
}

std::vector<std::string> process_cmdline(pid_t pid) {
  std::string raw = read_small(fmt::format("/proc/{}/cmdline", pid));
  std::vector<std::string> args;
  size_t start = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\0') {
      args.emplace_back(raw, start, i - start);
      start = i + 1;
    }
  }
  if (start < raw.size()) {
    args.emplace_back(raw, start);
  }
  return args;
}

std::string process_cwd(pid_t pid) {
  return read_link(fmt::format("/proc/{}/cwd", pid));
}

std::string process_exe(pid_t pid) {
  return read_link(fmt::format("/proc/{}/exe", pid));
}

std::optional<Syscall> thread_syscall(pid_t pid, pid_t tid) {
  // "202 0x7f... 0x80 ..." while blocked in a syscall; "-1 sp pc" or "running" otherwise.
  std::string text = read_small(fmt::format("/proc/{}/task/{}/syscall", pid, tid));
  auto fields = util::split_whitespace(text);
  if (fields.size() < 2) {
    return std::nullopt;
  }
  char* end = nullptr;
  long number = std::strtol(std::string(fields[0]).c_str(), &end, 10);
  if (number < 0 || !end || *end != '\0') {
    return std::nullopt;
  }
  auto arg0 = util::parse_hex(fields[1]);
  return Syscall{number, arg0.value_or(0)};
}

std::optional<uint64_t> thread_cpu_ticks(pid_t pid, pid_t tid) {
  std::string text = read_small(fmt::format("/proc/{}/task/{}/stat", pid, tid));
  // The name field may hold spaces and parentheses: fields are counted after the last ')'.
  size_t close = text.rfind(')');
  if (close == std::string::npos) {
    return std::nullopt;
  }
  auto fields = util::split_whitespace(std::string_view(text).substr(close + 1));
  // After ')': state(0) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime(11) stime(12)
  if (fields.size() < 13) {
    return std::nullopt;
  }
  uint64_t utime = std::strtoull(std::string(fields[11]).c_str(), nullptr, 10);
  uint64_t stime = std::strtoull(std::string(fields[12]).c_str(), nullptr, 10);
  return utime + stime;
}

bool read_memory(pid_t pid, uint64_t address, void* out, size_t size) {
  iovec local{out, size};
  iovec remote{reinterpret_cast<void*>(address), size};
  return ::process_vm_readv(pid, &local, 1, &remote, 1, 0) == static_cast<ssize_t>(size);
}

} // namespace crashpilot::capture
