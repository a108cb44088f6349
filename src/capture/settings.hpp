// SPDX-License-Identifier: MIT
#pragma once

// The `[server]` and `[capture]` configuration read into the capture stage's options, with the
// command-line flags of `run` on top. Errors name the key.

#include <config/config.hpp>
#include <util/expected.hpp>

#include <capture/supervisor.hpp>

#include <string>
#include <vector>

namespace crashpilot::capture {

struct CaptureSettings {
  SupervisorOptions supervisor;
  std::string crash_dir;
  int hang_seconds = 0;      // no heartbeat line for this long = hung (0 = off)
  int cpu_stall_seconds = 0; // the main thread used no CPU for this long = hung (0 = off)
  bool record = true;        // record incidents in the store and queue them for analysis
};

// What the command line may say over the configuration (empty / negative = the config's value).
struct SettingsOverrides {
  std::vector<std::string> command;
  std::string restart;
  int hang_seconds = -1;
  int max_crashes = 0;
  std::string crash_dir;
};

util::Expected<CaptureSettings> capture_settings(const config::Config& cfg,
                                                 const SettingsOverrides& over = {});

// Snapshot options alone (`snapshot`, `symbolize --pid`).
util::Expected<SnapshotOptions> snapshot_settings(const config::Config& cfg);

} // namespace crashpilot::capture
