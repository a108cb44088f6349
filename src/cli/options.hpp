// SPDX-License-Identifier: MIT
#pragma once

// The command line as plain data. parse_args() has no side effects, so tests feed it string
// vectors; run() in main.cpp acts on the result.

#include <util/expected.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crashpilot::cli {

struct GlobalOptions {
  std::optional<std::string> config_file; // --config FILE
  std::string preset;                     // --preset NAME
  std::vector<std::string> sets;          // --set KEY=VALUE (repeatable)
  bool json = false;                      // --json: machine output
  bool color = true;                      // --no-color turns it off (also NO_COLOR)
  std::string store;                      // --store FILE: overrides [store] path
  std::string queue_root;                 // --queue-root DIR: overrides [queue] root
};

struct TriageOptions {
  std::vector<std::string> inputs; // files, or "-" for stdin
  bool raw = false;                // include the raw report text in --json output
  bool all_threads = false;        // print every thread (human output)
  size_t max_input_mb = 1024;
};

struct IngestOptions {
  std::vector<std::string> inputs; // files, or "-" for stdin
  size_t max_input_mb = 1024;
};

struct WatchOptions {
  std::vector<std::string> dirs;
  bool once = false;      // one pass, then exit
  int interval_ms = 2000; // between polls
  size_t max_input_mb = 1024;
};

struct QueueCommandOptions {
  std::string action; // list, show, claim, release, check, gc
  std::string id;     // show/claim/release/check; "" for claim = the highest priority pending
  std::string holder; // claim: "" = user@host
  std::string reason; // release
  std::string lease;  // release: "" = the current lease
};

struct CrashesOptions {
  std::string bucket; // one bucket's details
  std::string status;
  std::string category;
  bool bot = false;
  std::string text;
  size_t limit = 0;
};

struct StatsOptions {
  int days = 14;
};

struct SchemaOptions {
  std::string name; // request or response
};

struct RunCommandOptions {
  std::string mode = "capture";     // capture (review and auto: the fix loop)
  std::vector<std::string> command; // the server's argv, after `--`; else [server] command
  int max_crashes = 0;              // stop after this many failures (0 = run until stopped)
  std::string crash_dir;            // overrides [capture] crash_dir
  std::string restart;              // overrides [capture] restart: never, on-failure, always
  int hang_seconds = -1;            // overrides [capture] hang_seconds (0 = no heartbeat watchdog)
  // The fix loop (review / auto).
  bool mode_given = false; // --mode was on the command line (else [loop] mode)
  bool single_iteration = false;
  int max_iterations = 0;
  int analysis_timeout = 0; // seconds; 0 = [loop] analysis_timeout_seconds
  std::string agent;        // "" = [loop] agent
  int idle_exit = 0;        // stop after this long with nothing left to do (0 = never)
  bool status = false;      // show the loop's state and exit
  bool yes = false;         // auto mode without the confirmation question
  // The seed's options, mapped onto configuration keys.
  std::string trinity_root;  // [queue] repo_root, [server] cwd default
  std::string server_exe;    // [server] command[0]
  std::string server_log;    // [[logs.source]] Server.log path
  std::string playerbot_log; // [[logs.source]] Playerbot.log path
  std::string crashes;       // [capture] crash_dir
};

struct ApplyCommandOptions {
  int64_t attempt = 0;
  bool dry_run = false;
};

struct DemoCommandOptions {
  std::string agent; // "" = the recorded session
  std::string dir;   // "" = a new temporary directory
  bool keep = false; // keep the directory
};

struct SnapshotCommandOptions {
  int pid = 0;
};

struct SymbolizeOptions {
  std::string core;                    // --core FILE
  std::string exe;                     // --exe FILE; "" = the path the core's file notes name
  int pid = 0;                         // --pid PID: a live process instead of a core
  std::vector<std::string> debug_dirs; // --debug-dir DIR (repeatable): separate debug files
  std::string debug_cache;             // --debug-cache DIR; "" = $XDG_CACHE_HOME/crashpilot/debug
  bool no_debug_cache = false;         // --no-debug-cache
  bool all_threads = false;            // human output: every thread's stack
};

struct McpCommandOptions {
  std::string request; // serve only this request ("" = all); the headless runner's setting
  std::string holder;  // lease holder when the client names none ("" = user@host)
};

struct AnalyzeCommandOptions {
  std::string agent;   // a preset under [agents], or "builtin"
  std::string request; // one request ("" = the highest-priority pending one, or --all)
  bool all = false;    // every pending request
  int parallel = 1;    // agents at once
};

struct ConfigOptions {
  std::string action = "print"; // print
  bool origins = true;
};

struct InitCommandOptions {
  std::string agent = "claude"; // claude, codex, gemini, aider
  std::string dir;              // the tree ("" = the git work tree of the current directory)
  bool force = false;           // overwrite files init did not write (keeping backups)
  bool dry_run = false;         // decide and print, write nothing
};

struct Invocation {
  // "triage", "ingest", "watch", "queue", "crashes", "stats", "schema", "config", "version"; ""
  // when only --help/--version was asked
  std::string command;
  GlobalOptions global;
  TriageOptions triage;
  IngestOptions ingest;
  WatchOptions watch;
  QueueCommandOptions queue;
  CrashesOptions crashes;
  StatsOptions stats;
  SchemaOptions schema;
  ConfigOptions config;
  McpCommandOptions mcp;
  AnalyzeCommandOptions analyze;
  RunCommandOptions run;
  ApplyCommandOptions apply;
  DemoCommandOptions demo;
  SnapshotCommandOptions snapshot;
  SymbolizeOptions symbolize;
  InitCommandOptions init;
  std::string help_text; // set when the user asked for help: print it and exit 0
};

// Parses argv (without the program name). Usage errors come back as an error with CLI11's message.
util::Expected<Invocation> parse_args(const std::vector<std::string>& args);

} // namespace crashpilot::cli
