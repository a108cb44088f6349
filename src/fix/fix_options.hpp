// SPDX-License-Identifier: MIT
#pragma once

// The fix stage's settings from `[fix]` (build, branches, approval, the anti-mask gate) and
// `[verify]` (repro command, soak bound), checked once when the configuration is read so that a
// typo fails before an attempt starts, with the key named.

#include <config/config.hpp>
#include <util/expected.hpp>

#include <fix/risk.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace crashpilot::fix {

struct FixOptions {
  // argv templates run in order in the attempt's worktree; placeholders {worktree} {repo} {jobs}
  // {build_dir} {ccache} (checked here). Empty = no build step.
  std::vector<std::vector<std::string>> build;
  std::chrono::seconds build_timeout{1800}; // the whole build, over all commands
  int jobs = 0;                             // 0 = the number of CPUs (see effective_jobs)
  std::string build_dir;                    // the user's build directory, for {build_dir}
  int build_log_lines = 80;                 // lines of build log handed to the next attempt
  std::string branch_prefix = "crashpilot/";
  std::string worktree_dir = ".crashpilot/worktrees";
  std::optional<Risk> approval_risk = Risk::high; // nullopt = "none": never for risk alone
  int max_attempts_per_day = 20;
  std::vector<std::string> assert_macros; // identifiers
  std::vector<std::string> test_paths;    // globs (util/glob.hpp)
  int gate_window_lines = 25;

  // `jobs`, or the number of CPUs when it is 0.
  int effective_jobs() const;
};

struct VerifyOptions {
  std::vector<std::string> repro_command; // empty = soak instead; placeholders {worktree} {repo}
  // The patched server a soak runs; empty = [server] command moved into the worktree.
  // Placeholders {worktree} {repo}.
  std::vector<std::string> server_command;
  int repro_runs = 3;
  std::chrono::seconds repro_timeout{300};
  double soak_confidence = 0.95;       // in (0, 1)
  double soak_min = 10;                // seconds
  double soak_max = 3600;              // seconds, >= soak_min
  double default_crash_interval = 600; // seconds, > 0
};

// The placeholders a [fix] build command may use.
const std::vector<std::string>& build_placeholders();
// The placeholders [verify] repro_command and server_command may use.
const std::vector<std::string>& verify_placeholders();

// Every `[fix]` key, validated: types, ranges, approval_risk (low, medium, high, none), assert
// macro names, branch_prefix as a git ref prefix, and the placeholders of every build command.
util::Expected<FixOptions> fix_options_from_config(const config::Config& cfg);
// Every `[verify]` key, validated.
util::Expected<VerifyOptions> verify_options_from_config(const config::Config& cfg);

// Both, as the loop needs them.
struct Options {
  FixOptions fix;
  VerifyOptions verify;
};
util::Expected<Options> from_config(const config::Config& cfg);

} // namespace crashpilot::fix
