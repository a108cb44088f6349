// SPDX-License-Identifier: MIT
#pragma once

// Runs the configured build commands in an attempt's worktree: placeholders filled, each command
// without a shell, one wall-clock budget for the whole build, stop at the first failure. Every
// command's output goes to the build log under a header line, and a failed build's errors are
// picked out of it for the agent's next attempt (build_log.hpp).

#include <util/expected.hpp>

#include <fix/fix_options.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace crashpilot::fix {

struct BuildSpec {
  std::vector<std::vector<std::string>> commands; // argv templates ([fix] build)
  std::string cwd;                                // the worktree
  std::map<std::string, std::string> values;      // placeholder -> value (see build_values)
  std::chrono::seconds timeout{1800};             // the whole build
  std::string log_path;                           // written atomically after each command
  size_t feedback_lines = 80;                     // lines of errors / tail in the result
  size_t max_output_bytes = size_t{16} << 20;     // per command and stream; the rest is dropped
};

struct BuildResult {
  bool ok = false;
  int failed_command_index = -1; // -1 = none failed
  std::string failed_command;    // its argv, space-joined, for messages
  int exit_code = 0;             // of the failed command; -1 = killed or not started
  int term_signal = 0;
  bool not_started = false; // the failed command's program could not be started
  bool timed_out = false;
  bool cancelled = false;
  double seconds = 0;
  std::string log_path;
  std::vector<std::string> errors; // build_errors() of the log
  std::string tail;                // the log's last lines (feedback_lines)
  std::string message;             // one line saying what happened
};

// The path of `program` found in $PATH (an executable regular file), or "".
std::string find_in_path(const std::string& program);

// {worktree} {repo} {jobs} {build_dir} {ccache} for one attempt; {ccache} is ccache's path when it
// is installed, else "" (CMAKE_CXX_COMPILER_LAUNCHER= then means no launcher).
std::map<std::string, std::string>
build_values(const FixOptions& options, const std::string& worktree, const std::string& repo);

// The spec for one attempt from [fix].
BuildSpec build_spec(const FixOptions& options, const std::string& worktree,
                     const std::string& repo, const std::string& log_path);

// Errors (util::Expected's) are set-up problems found before anything ran: an unknown placeholder,
// an empty command, a log file that cannot be written. A command that fails, cannot be started or
// runs out of time is a result with ok = false. No commands = ok. `cancel` (may be null) stops the
// running command as a timeout would.
util::Expected<BuildResult> run_build(const BuildSpec& spec,
                                      const std::atomic<bool>* cancel = nullptr);

nlohmann::json to_json(const BuildResult& r);

} // namespace crashpilot::fix
