// SPDX-License-Identifier: MIT
#pragma once

// The `[server]` and `[capture]` configuration read into the capture stage's options, with the
// `run` flags on top. Errors name the key.

#include <cli/options.hpp>
#include <config/config.hpp>
#include <util/expected.hpp>

#include <capture/supervisor.hpp>

#include <string>

namespace crashpilot::cli {

struct CaptureSettings {
  capture::SupervisorOptions supervisor;
  std::string crash_dir;
  int hang_seconds = 0;      // no heartbeat line for this long = hung (0 = off)
  int cpu_stall_seconds = 0; // the main thread used no CPU for this long = hung (0 = off)
  bool record = true;        // record incidents in the store and queue them for analysis
};

util::Expected<CaptureSettings> capture_settings(const Invocation& inv, const config::Config& cfg);

// Snapshot options alone (`snapshot`, `symbolize --pid`).
util::Expected<capture::SnapshotOptions> snapshot_settings(const config::Config& cfg);

} // namespace crashpilot::cli
