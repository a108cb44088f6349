// SPDX-License-Identifier: MIT
#pragma once

// A supervised server, its output and logs, and its incidents turned into triaged crashes with
// report files: what `run` does for the user's server and what the fix stage does for a patched
// build under verification. Recording in the store and the queue is the caller's (hooks.captured).

#include <config/config.hpp>
#include <model/crash.hpp>
#include <triage/rules.hpp>
#include <util/expected.hpp>

#include <capture/incident.hpp>
#include <capture/report.hpp>
#include <capture/settings.hpp>
#include <capture/supervisor.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace crashpilot::capture {

struct WatchOptions {
  CaptureSettings settings;
  const config::Config* config = nullptr; // [logs] sources, heartbeat and freeze patterns
  const triage::Rules* rules = nullptr;
  std::string cwd;    // where relative log paths start ("" = [server] cwd)
  int tee_stdout = 1; // where the server's stdout is copied (-1 = nowhere)
  int tee_stderr = 2; // and its stderr
  bool write_reports = true;
};

struct Captured {
  Incident& incident;
  model::Crash crash; // triaged
  std::optional<ReportPaths> report;
  std::string report_error; // why there is no report
};

struct WatchHooks {
  std::function<void(const Launched&)> started;
  std::function<void(std::string_view event, std::string_view detail)> note;
  // A crash, abort or hang, triaged and written. The return value is ignored; the signature id is
  // what the crash-loop detector counts.
  std::function<void(Captured&)> captured;
  // The server ended without an incident (a clean exit, or stopped by us).
  std::function<void(const Incident&)> exited;
};

util::Expected<RunSummary> watch(const WatchOptions& options, WatchHooks& hooks);

} // namespace crashpilot::capture
