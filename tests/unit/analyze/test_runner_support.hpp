// SPDX-License-Identifier: MIT
#pragma once

// What the runner tests share: the fake agent's path, and a /proc scan for processes a run may
// have left behind (by a marker in their command line or environment).

#include <util/file.hpp>
#include <util/string.hpp>

#include <dirent.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace runner_test {

inline std::string fake_agent() {
  return std::string(CRASHPILOT_TEST_DATA) + "/../fake-agent/fake-claude";
}

// A marker no other process on the machine carries.
inline std::string unique_marker(const std::string& what) {
  return "cpmark-" + what + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(reinterpret_cast<uintptr_t>(&what) & 0xffff);
}

// Live processes (not zombies, not this one) whose command line or environment contains `marker`.
inline std::vector<std::string> processes_with(const std::string& marker) {
  std::vector<std::string> found;
  DIR* d = ::opendir("/proc");
  if (d == nullptr) {
    return found;
  }
  while (dirent* e = ::readdir(d)) {
    auto pid = crashpilot::util::parse_int(e->d_name);
    if (!pid || *pid == ::getpid()) {
      continue;
    }
    std::string base = std::string("/proc/") + e->d_name;
    auto stat = crashpilot::util::read_file(base + "/stat", {.max_bytes = 4096});
    if (!stat) {
      continue;
    }
    size_t close = stat->rfind(')');
    if (close != std::string::npos && close + 2 < stat->size() && (*stat)[close + 2] == 'Z') {
      continue;
    }
    for (const char* f : {"/cmdline", "/environ"}) {
      auto text = crashpilot::util::read_file(base + f, {.max_bytes = size_t{4} << 20});
      if (text && text->find(marker) != std::string::npos) {
        auto cmdline = crashpilot::util::read_file(base + "/cmdline");
        std::string cmd = cmdline ? *cmdline : std::string();
        for (char& c : cmd) {
          c = c == '\0' ? ' ' : c;
        }
        found.push_back(std::string(e->d_name) + ": " + cmd);
        break;
      }
    }
  }
  ::closedir(d);
  return found;
}

} // namespace runner_test
