// SPDX-License-Identifier: MIT
#pragma once

// Starting the server: fork, then in the child its own process group, pipes for stdout/stderr
// (the logs stage follows and tees them), the core limit, the working directory, and exec once the
// parent has seized it with ptrace. A handshake pipe makes the seize happen before the server runs
// a single instruction of its own; a close-on-exec error pipe turns a failed exec into a start-up
// error naming the program and errno, instead of a mysterious exit 127.

#include <util/expected.hpp>
#include <util/fd.hpp>

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace crashpilot::capture {

struct LaunchSpec {
  std::vector<std::string> argv;              // argv[0] is looked up in PATH when it has no '/'
  std::string cwd;                            // "" = ours
  std::map<std::string, std::string> env_set; // added to our environment
  bool trace = true;                          // false: no ptrace (the core-file fallback)
  bool capture_output = true;                 // false: the server inherits our stdout/stderr
  bool core_dumps = false;                    // RLIMIT_CORE unlimited (the fallback needs cores)
};

struct Launched {
  pid_t pid = -1;
  bool traced = false;
  util::Fd out; // the server's stdout, when captured
  util::Fd err; // the server's stderr, when captured
  std::chrono::system_clock::time_point started;
};

// The ptrace options of a supervised server: follow threads, see execs, never syscalls.
unsigned long trace_options();

// Starts the server. With spec.trace, a refused PTRACE_SEIZE is an error whose text starts with
// "ptrace not permitted" so the caller can fall back to cores.
util::Expected<Launched> launch(const LaunchSpec& spec);

} // namespace crashpilot::capture
