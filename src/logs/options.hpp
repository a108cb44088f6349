// SPDX-License-Identifier: MIT
#pragma once

// What to follow and how much to keep, from the `[logs]` section:
//
//   [logs]
//   dir = "/srv/tc/logs"          # relative source paths start here
//   ring_lines = 2000             # per source: the last N lines ...
//   ring_seconds = 300            # ... that arrived in the last S seconds
//   ring_bytes = 1048576          # ... and at most this much text
//   alert_lines = 500             # warnings and errors kept apart, per source
//   max_line_bytes = 4096         # longer lines are cut
//   context_lines = 50            # per context list (server, playerbot)
//   max_errors = 50               # errors_before_crash
//   max_warnings = 50             # warnings_before_crash
//   dedup_window_ms = 2000        # the same line in two sources this close is one line
//   error_patterns = ['\[ERROR\]']
//   warn_patterns = ['\[WARN\]']
//   freeze_regex = 'World Thread hangs'
//   heartbeat_regex = ''          # with heartbeat_source: the watchdog's "still alive" line
//   heartbeat_source = ''
//   [[logs.source]]
//   name = "Server.log"           # unique; defaults to the file name
//   path = "Server.log"           # a file ...
//   stream = "stdout"             # ... or the server's "stdout" / "stderr" (exactly one of them)
//   role = "server"               # "server" or "playerbot": which context list it feeds
//   start = "end"                 # "end": only what is written from now on; "start": the whole
//   file heartbeat = ''                # this source's own heartbeat regex

#include <util/expected.hpp>

#include <logs/classifier.hpp>
#include <logs/intake.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace crashpilot::config {
class Config;
}

namespace crashpilot::logs {

enum class SourceKind { file, stream };
enum class StartAt { end, beginning };

struct SourceSpec {
  std::string name;
  SourceKind kind = SourceKind::file;
  std::string path;   // file: absolute, or relative to the working directory
  std::string stream; // stream: "stdout" or "stderr" (which pipe of the server feeds it)
  std::string role = "server";
  StartAt start = StartAt::end;
  std::string heartbeat; // RE2; "" = none
};

struct ContextOptions {
  size_t context_lines = 50;
  size_t max_errors = 50;
  size_t max_warnings = 50;
  std::chrono::milliseconds dedup_window{2000};
};

struct Options {
  std::vector<SourceSpec> sources;
  IntakeLimits limits;
  std::vector<std::string> error_patterns;
  std::vector<std::string> warn_patterns;
  std::string freeze_regex;
  ContextOptions context;
  size_t read_bytes = size_t{256} << 10; // one read(2), and the reading buffer per open file
};

// Reads `[logs]`. Relative source paths are resolved against `dir`, and a relative `dir` against
// `base_dir` ("" = the working directory). Errors name the key: "logs.source[1].role: ...".
util::Expected<Options> from_config(const config::Config& cfg, const std::string& base_dir = "");

} // namespace crashpilot::logs
