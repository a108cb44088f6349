// SPDX-License-Identifier: MIT
#include <CLI/CLI.hpp>
#include <cli/options.hpp>

#include <algorithm>

namespace crashpilot::cli {

namespace {

constexpr const char* k_description = "crashpilot: from a crashing C++ server to a verified fix.\n"
                                      "Parses and triages crash reports (Wheaty, gdb, sanitizers, "
                                      "assertions, freeze detectors, ...).";

void add_global(CLI::App& app, Invocation& inv) {
  app.add_option("--config", inv.global.config_file,
                 "Configuration file (default: ./crashpilot.toml when present)");
  app.add_option("--preset", inv.global.preset,
                 "Built-in rule preset: trinitycore (default) or generic");
  app.add_option("--set", inv.global.sets,
                 "Override a configuration key: --set triage.signature_frames=4")
      ->type_name("KEY=VALUE");
  app.add_flag("--json", inv.global.json, "Machine-readable output (JSON Lines)");
  app.add_flag("--no-color{false}", inv.global.color, "No colours in human output");
  app.add_option("--store", inv.global.store, "Crash history database (overrides [store] path)")
      ->type_name("FILE");
  app.add_option("--queue-root", inv.global.queue_root,
                 "Analysis queue directory (overrides [queue] root)")
      ->type_name("DIR");
}

constexpr const char* k_exit_ingest = "Exit codes: 0 every input recorded, 3 some input held no "
                                      "crash (its line says why), 2 usage or\n"
                                      "configuration error, 1 the store or queue failed.\n";
constexpr const char* k_exit_watch = "Polls with stat(2) rather than inotify: crash directories "
                                     "are often network shares or copies from\n"
                                     "Windows servers, where inotify sees nothing. A file is "
                                     "ingested once its size stayed the same for\n"
                                     "one interval; .dmp files and temporary files are ignored. "
                                     "Ingested files are remembered in the\n"
                                     "store, so a restart does not ingest them again.\n"
                                     "Exit codes: 0 stopped by SIGINT/SIGTERM or --once done, 2 "
                                     "usage or configuration error, 1 the\n"
                                     "store or queue failed.\n";
constexpr const char* k_exit_queue = "Exit codes: 0 done, 4 no such request (claim: nothing "
                                     "pending, or another claimer won), 5 check:\n"
                                     "the response was rejected (moved to rejected/ with its "
                                     "reasons), 2 usage or configuration error,\n"
                                     "1 I/O failure.\n";
constexpr const char* k_exit_query =
    "Exit codes: 0 done, 4 no such bucket, 2 usage or configuration error, 1 the store failed.\n";

// The innermost subcommand the user named (queue → claim), or `app` itself.
CLI::App* innermost(CLI::App* app) {
  for (CLI::App* sub : app->get_subcommands()) {
    return innermost(sub);
  }
  return app;
}

void add_ingest(CLI::App& app, Invocation& inv) {
  CLI::App* ingest = app.add_subcommand(
      "ingest", "Triage crash reports into the crash history and the analysis queue");
  ingest->add_option("inputs", inv.ingest.inputs, "Crash report files, or - for standard input")
      ->required();
  ingest->add_option("--max-input-mb", inv.ingest.max_input_mb, "Refuse inputs larger than this")
      ->check(CLI::Range(1, 65536));
  ingest->footer(k_exit_ingest);
  add_global(*ingest, inv);

  CLI::App* watch =
      app.add_subcommand("watch", "Follow crash directories and ingest each new report once");
  watch->add_option("dirs", inv.watch.dirs, "Directories to follow (e.g. the server's Crashes/)")
      ->required();
  watch->add_flag("--once", inv.watch.once, "One pass: ingest what is there and stable, then exit");
  watch->add_option("--interval-ms", inv.watch.interval_ms, "Time between polls (default 2000)")
      ->check(CLI::Range(10, 3600000));
  watch->add_option("--max-input-mb", inv.watch.max_input_mb, "Skip reports larger than this")
      ->check(CLI::Range(1, 65536));
  watch->footer(k_exit_watch);
  add_global(*watch, inv);
}

void add_queue(CLI::App& app, Invocation& inv) {
  CLI::App* queue =
      app.add_subcommand("queue", "The analysis queue: list, show, claim, release, check, gc");
  queue->require_subcommand(1);
  queue->footer(k_exit_queue);
  add_global(*queue, inv);
  auto sub = [&](const char* name, const char* help) {
    CLI::App* s = queue->add_subcommand(name, help);
    s->footer(k_exit_queue);
    add_global(*s, inv);
    return s;
  };
  sub("list", "Requests with their state, priority and lease");
  sub("show", "One request's JSON, state and lease")
      ->add_option("id", inv.queue.id, "Request id")
      ->required();
  CLI::App* claim =
      sub("claim", "Claim a request (default: the pending one with the highest priority)");
  claim->add_option("id", inv.queue.id, "Request id");
  claim->add_option("--holder", inv.queue.holder, "Who holds the lease (default: user@host)");
  CLI::App* release = sub("release", "Put a claimed request back into requests/");
  release->add_option("id", inv.queue.id, "Request id")->required();
  release->add_option("--reason", inv.queue.reason, "Why (recorded in the request)")->required();
  release->add_option("--lease", inv.queue.lease, "Lease id (default: the current lease)");
  sub("check",
      "Validate responses/response_ID.json; a rejected one moves to rejected/ with reasons")
      ->add_option("id", inv.queue.id, "Request id")
      ->required();
  sub("gc", "Remove temporary files of dead writers; put requests with expired leases back");
}

void add_queries(CLI::App& app, Invocation& inv) {
  CLI::App* crashes =
      app.add_subcommand("crashes", "Crash buckets, or one bucket's occurrences and requests");
  crashes->add_option("--bucket", inv.crashes.bucket, "One bucket (signature id)")
      ->type_name("SIG");
  crashes->add_option("--status", inv.crashes.status, "open, fixing, fixed, regressed or ignored");
  crashes->add_option("--category", inv.crashes.category, "Only this crash category");
  crashes->add_flag("--bot", inv.crashes.bot, "Only bot-related buckets");
  crashes->add_option("--text", inv.crashes.text,
                      "Substring of the signature, function or location");
  crashes->add_option("--limit", inv.crashes.limit, "At most this many buckets (0: all)");
  crashes->footer(k_exit_query);
  add_global(*crashes, inv);

  CLI::App* stats = app.add_subcommand(
      "stats", "Crashes per day, open buckets, time to fix, fix rate per category");
  stats->add_option("--days", inv.stats.days, "Days of crash counts (default 14)")
      ->check(CLI::Range(1, 3660));
  stats->footer(k_exit_query);
  add_global(*stats, inv);

  CLI::App* schema = app.add_subcommand("schema", "Published JSON Schemas");
  schema->require_subcommand(1);
  add_global(*schema, inv);
  CLI::App* print =
      schema->add_subcommand("print", "Print the JSON Schema of the request or the response (v2)");
  print->add_option("name", inv.schema.name, "request or response")
      ->required()
      ->check(CLI::IsMember({"request", "response"}));
  print->footer("Exit codes: 0 printed, 2 usage error.\n");
  add_global(*print, inv);
}

constexpr const char* k_exit_run =
    "Starts the server (the command after --, or [server] command), supervises it under ptrace, "
    "and on\n"
    "each crash, abort or hang writes a report (JSON + text) to the crash directory, triages it "
    "and\n"
    "restarts the server by policy. SIGINT/SIGTERM stop the server gracefully (SIGKILL after\n"
    "[capture] stop_grace_seconds). Where ptrace is not allowed it falls back to core files.\n"
    "With --mode review|auto it is the whole loop: each queued crash is analyzed by the agent, "
    "the\n"
    "patch goes through the anti-mask gate, is applied on a branch crashpilot/<bucket>-<n> in a "
    "git\n"
    "worktree, built and verified; review stops at the branch (crashpilot apply ATTEMPT merges "
    "it),\n"
    "auto merges fixed patches the policy allows and reverts them if the crash comes back.\n"
    "Exit codes: 0 stopped by a signal, --max-crashes reached or the server exited cleanly; 6 "
    "crash\n"
    "loop (the same signature too often; restarts stopped); 1 the server could not be started;\n"
    "2 usage or configuration error; 130 interrupted (the loop resumes where it was).\n";

void add_capture(CLI::App& app, Invocation& inv) {
  CLI::App* run =
      app.add_subcommand("run", "Supervise a server: capture, triage and report every crash");
  run->add_option("--mode", inv.run.mode,
                  "capture: supervise and capture; review: also analyze, apply, build and verify, "
                  "and stop at a "
                  "branch; auto: also merge fixed patches the policy allows (default: [loop] mode)")
      ->check(CLI::IsMember({"capture", "review", "auto"}))
      ->each([&](const std::string&) { inv.run.mode_given = true; });
  run->add_flag("--single-iteration", inv.run.single_iteration,
                "Take one request through the loop, then stop");
  run->add_option("--max-iterations", inv.run.max_iterations, "Stop after this many requests")
      ->check(CLI::Range(0, 1000000));
  run->add_option("--analysis-timeout", inv.run.analysis_timeout, "Seconds one analysis may take")
      ->check(CLI::Range(1, 86400));
  run->add_option("--agent", inv.run.agent,
                  "Agent preset for the analysis (default: [loop] agent)");
  run->add_option("--idle-exit", inv.run.idle_exit,
                  "Stop once a fix is done and nothing happened for this many seconds")
      ->check(CLI::Range(0, 86400));
  run->add_flag("--status", inv.run.status,
                "Show the loop's state (stage, attempts, audit log) and exit");
  run->add_flag("--yes", inv.run.yes, "auto mode: do not ask for confirmation");
  run->add_option("--trinity-root", inv.run.trinity_root, "The source tree ([queue] repo_root)");
  run->add_option("--server-exe", inv.run.server_exe, "The server binary ([server] command)");
  run->add_option("--server-log", inv.run.server_log, "Server.log ([[logs.source]] Server.log)");
  run->add_option("--playerbot-log", inv.run.playerbot_log,
                  "Playerbot.log ([[logs.source]] Playerbot.log)");
  run->add_option("--crashes", inv.run.crashes, "Crash report directory ([capture] crash_dir)");
  run->add_option("--max-crashes", inv.run.max_crashes, "Stop after this many captured failures")
      ->check(CLI::Range(0, 1000000));
  run->add_option("--crash-dir", inv.run.crash_dir,
                  "Where reports are written (overrides [capture] crash_dir)");
  run->add_option("--restart", inv.run.restart, "Restart policy (overrides [capture] restart)")
      ->check(CLI::IsMember({"never", "on-failure", "always"}));
  run->add_option(
         "--hang-seconds", inv.run.hang_seconds,
         "Hung when no heartbeat line for this long (overrides [capture] hang_seconds; 0 = off)")
      ->check(CLI::Range(0, 86400));
  run->add_option("command", inv.run.command, "The server command line, after --");
  run->footer(k_exit_run);
  add_global(*run, inv);

  CLI::App* apply =
      app.add_subcommand("apply", "Merge a verified fix attempt's branch into your current branch");
  apply->add_option("attempt", inv.apply.attempt, "The attempt id (crashpilot run prints it)")
      ->required()
      ->check(CLI::PositiveNumber);
  apply->add_flag("--dry-run", inv.apply.dry_run, "Only check that it can be merged");
  apply->footer("Refuses a dirty tree, a detached HEAD, a merge in progress, or a branch that "
                "moved from the\n"
                "attempt's base so far that the fix no longer applies, and says what to do. Exit "
                "codes: 0 merged\n"
                "(or mergeable with --dry-run), 1 refused or failed (nothing changed), 2 usage, 4 "
                "no such attempt.\n");
  add_global(*apply, inv);

  CLI::App* demo = app.add_subcommand("demo", "The whole loop on the bundled sample game server");
  demo->add_option("--agent", inv.demo.agent,
                   "A real agent preset instead of the recorded session");
  demo->add_option("--dir", inv.demo.dir,
                   "Work in this (new or empty) directory instead of a temporary one");
  demo->add_flag("--keep", inv.demo.keep, "Keep the demo directory");
  demo->footer(
      "Copies examples/sample-server into a new git repository, builds it, and runs\n"
      "`crashpilot run --mode auto` on it: a real crash captured, triaged, queued, analyzed, "
      "patched in\n"
      "a worktree, built, verified and merged, then the second bug the first fix uncovers, to a\n"
      "fixed verdict for both. Without --agent the analysis is the recorded session shipped in\n"
      "examples/, labelled as recorded. Exit codes: 0 both bugs fixed, 1 the demo did not get "
      "there.\n");
  add_global(*demo, inv);

  CLI::App* snapshot = app.add_subcommand(
      "snapshot", "All-thread trace of a running (possibly hung) process, without killing it");
  snapshot->add_option("--pid", inv.snapshot.pid, "The process")
      ->required()
      ->check(CLI::PositiveNumber);
  snapshot->footer(
      "Stops every thread for the few milliseconds unwinding takes, then lets the process go and\n"
      "symbolizes. Prints how long the process was stopped. Exit codes: 0 done, 1 the process\n"
      "could not be traced (the message says why), 2 usage error.\n");
  add_global(*snapshot, inv);
}

constexpr const char* k_exit_mcp =
    "A Model Context Protocol server on standard input/output (newline-delimited JSON-RPC 2.0),\n"
    "speaking MCP 2025-11-25 (and older, via initialize) and 2026-07-28 (per-request _meta). "
    "Tools:\n"
    "list_crashes, claim_crash, get_crash, get_stack, get_source, get_logs, similar_crashes,\n"
    "submit_fix, get_fix_status, release_crash. Logs go to standard error only.\n"
    "Register it with Claude Code: claude mcp add crashpilot -- crashpilot mcp --config "
    "$PWD/crashpilot.toml\n"
    "Exit codes: 0 input closed or SIGTERM/SIGINT, 1 I/O failure or the store/queue cannot be\n"
    "opened, 2 usage or configuration error.\n";

void add_mcp(CLI::App& app, Invocation& inv) {
  CLI::App* mcp = app.add_subcommand(
      "mcp", "MCP server for coding agents (stdio): the analysis queue as tools");
  mcp->add_option("--request", inv.mcp.request,
                  "Serve only this request (the headless runner's setting)")
      ->type_name("ID");
  mcp->add_option("--holder", inv.mcp.holder,
                  "Lease holder when the client names none (default: user@host)");
  mcp->footer(k_exit_mcp);
  add_global(*mcp, inv);
}

constexpr const char* k_exit_analyze =
    "Per request: claim it, make a scratch git worktree at its base commit, render the prompt and "
    "an\n"
    "MCP config (crashpilot mcp + [analyze] extra_mcp_servers) into [analyze] run_dir, run the "
    "agent\n"
    "(no shell, own session, stdin closed after the prompt, allow-listed environment, wall-clock "
    "and\n"
    "idle timeouts, SIGTERM then SIGKILL to everything it started), then validate its response "
    "(from\n"
    "submit_fix, a response file, or the worktree's diff). Only a validated response counts as an\n"
    "answer. Retryable failures are retried with backoff within [analyze] "
    "max_attempts_per_bucket.\n"
    "Agents: the [agents.*] presets (claude, codex, gemini, aider, custom) or builtin (no agent: "
    "an\n"
    "analysis-only response from the triage facts and the crash history, never a patch).\n"
    "Exit codes: 0 every request it ran was answered, 4 nothing to analyze (none pending, or each\n"
    "skipped: attempt budget used up, claimed elsewhere), 5 a response was rejected, 7 an agent\n"
    "failed or timed out, 130 interrupted, 2 usage or configuration error, 1 I/O failure.\n";

void add_analyze(CLI::App& app, Invocation& inv) {
  CLI::App* analyze = app.add_subcommand(
      "analyze", "Have a coding agent (or the built-in analyzer) answer queued crashes");
  analyze
      ->add_option(
          "--agent", inv.analyze.agent,
          "Agent preset: claude, codex, gemini, aider, custom, builtin, or any [agents.NAME]")
      ->required();
  auto* request = analyze->add_option("--request", inv.analyze.request, "Analyze this request")
                      ->type_name("ID");
  analyze->add_flag("--all", inv.analyze.all, "Analyze every pending request")->excludes(request);
  analyze->add_option("--parallel", inv.analyze.parallel, "Agents running at once")
      ->check(CLI::Range(1, 64));
  analyze->footer(k_exit_analyze);
  add_global(*analyze, inv);
}

constexpr const char* k_exit_symbolize =
    "Unwinds every thread of the core and symbolizes it (function, file:line, inline frames) from "
    "the\n"
    "binaries' DWARF or separate debug files (build-id under /usr/lib/debug/.build-id, "
    ".gnu_debuglink,\n"
    "--debug-dir); never from the network (debuginfod is not asked). Then triages the crash and "
    "prints\n"
    "it as `triage` does. Distribution debug packages (libc6-dbg, *-dbgsym) are zlib-compressed; "
    "the\n"
    "first use keeps an uncompressed copy in the debug cache (by build-id, about 10 MB for glibc), "
    "which\n"
    "makes later runs about twice as fast.\n"
    "Exit codes: 0 done, 3 the core (or --exe) cannot be read as one: not ELF, not a core, "
    "truncated\n"
    "(the message says which), 1 unwinding failed, 2 usage or configuration error.\n";

void add_symbolize(CLI::App& app, Invocation& inv) {
  CLI::App* sym = app.add_subcommand(
      "symbolize", "All-thread symbolized stack of a core file or a live process, triaged");
  auto* core = sym->add_option("--core", inv.symbolize.core, "The core dump")->type_name("FILE");
  sym->add_option(
         "--pid", inv.symbolize.pid,
         "A running process instead: stopped for the milliseconds unwinding takes, then resumed")
      ->check(CLI::PositiveNumber)
      ->excludes(core);
  sym->add_option("--exe", inv.symbolize.exe,
                  "The crashed executable (default: the path the core names)")
      ->type_name("FILE");
  sym->add_option("--debug-dir", inv.symbolize.debug_dirs,
                  "Also look for separate debug files here (repeatable)")
      ->type_name("DIR");
  auto* cache = sym->add_option("--debug-cache", inv.symbolize.debug_cache,
                                "Uncompressed copies of compressed debug files (default: "
                                "$XDG_CACHE_HOME/crashpilot/debug)")
                    ->type_name("DIR");
  sym->add_flag("--no-debug-cache", inv.symbolize.no_debug_cache,
                "Inflate compressed debug files every time")
      ->excludes(cache);
  sym->add_flag("--all-threads", inv.symbolize.all_threads,
                "Show every thread's stack (human output)");
  sym->footer(k_exit_symbolize);
  add_global(*sym, inv);
}

constexpr const char* k_exit_init =
    "Writes crashpilot.toml for this repository (the git work tree; --dir for another directory):\n"
    "--preset defaults to the detected tree (TrinityCore/AzerothCore: trinitycore, else generic),\n"
    "with the worldserver, its conf and your build directory when found. Then the agent's glue, "
    "from\n"
    "the same prompt template as `crashpilot analyze`: claude: .claude/commands/analyze-crash.md,\n"
    ".mcp.json, .claude/settings.json (allow-list); gemini: .gemini/settings.json and\n"
    ".gemini/commands/analyze-crash.toml; codex: .crashpilot/agents/codex-{config.toml,prompt.md} "
    "to\n"
    "copy into ~/.codex; aider: .crashpilot/agents/aider-prompt.md (for --read). Files carry a\n"
    "generated-by marker; one without it, or changed since, is kept unless --force (which keeps\n"
    "<file>.bak.<time>). JSON files are merged: your keys and entries stay. --set applies to the\n"
    "rendering only. Exit codes: 0 done, 1 a file was skipped for lack of --force or could not be\n"
    "written, 2 usage error (not in a git work tree, unknown agent or preset).\n";

void add_init(CLI::App& app, Invocation& inv) {
  CLI::App* init =
      app.add_subcommand("init", "Set up crashpilot and a coding agent in this repository");
  init->add_option("--agent", inv.init.agent, "claude (default), codex, gemini or aider")
      ->check(CLI::IsMember({"claude", "codex", "gemini", "aider"}));
  init->add_option("--dir", inv.init.dir, "The tree to set up (default: the current git work tree)")
      ->type_name("DIR");
  init->add_flag("--force", inv.init.force,
                 "Overwrite files crashpilot did not write or you changed (keeps backups)");
  init->add_flag("--dry-run", inv.init.dry_run, "Show what would be written; write nothing");
  init->footer(k_exit_init);
  add_global(*init, inv);
}

} // namespace

util::Expected<Invocation> parse_args(const std::vector<std::string>& args) {
  Invocation inv;
  CLI::App app(k_description, "crashpilot");
  app.set_help_all_flag("--help-all", "Help for every subcommand");
  app.require_subcommand(0, 1);
  add_global(app, inv);
  bool version = false;
  app.add_flag("--version", version, "Print the version");

  CLI::App* triage =
      app.add_subcommand("triage", "Parse and triage crash reports: FILE... or - for stdin");
  triage->add_option("inputs", inv.triage.inputs, "Crash report files, or - for standard input")
      ->required();
  triage->add_flag("--raw", inv.triage.raw, "Include the raw report text in --json output");
  triage->add_flag("--all-threads", inv.triage.all_threads,
                   "Show every thread's stack (human output)");
  triage->add_option("--max-input-mb", inv.triage.max_input_mb, "Refuse inputs larger than this")
      ->check(CLI::Range(1, 65536));
  add_global(*triage, inv);

  CLI::App* config = app.add_subcommand("config", "Show the merged configuration");
  CLI::App* print = config->add_subcommand(
      "print", "Print the merged configuration as TOML with each value's origin");
  print->add_flag("--no-origins{false}", inv.config.origins, "Leave out the origin comments");
  config->require_subcommand(1);
  add_global(*config, inv);
  add_global(*print, inv);

  add_ingest(app, inv);
  add_queue(app, inv);
  add_queries(app, inv);
  add_mcp(app, inv);
  add_analyze(app, inv);
  add_capture(app, inv);
  add_symbolize(app, inv);
  add_init(app, inv);
  app.add_subcommand("version", "Print the version");

  // CLI11 wants argv order reversed when given a vector.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    inv.help_text = innermost(&app)->help();
    return inv;
  } catch (const CLI::CallForAllHelp&) {
    inv.help_text = app.help("", CLI::AppFormatMode::All);
    return inv;
  } catch (const CLI::ParseError& e) {
    return util::error(e.what());
  }
  if (version) {
    inv.command = "version";
    return inv;
  }
  for (CLI::App* sub : app.get_subcommands()) {
    inv.command = sub->get_name();
    if (inv.command == "queue") {
      inv.queue.action = innermost(sub)->get_name();
    }
  }
  if (inv.command.empty()) {
    inv.help_text = app.help();
  }
  return inv;
}

} // namespace crashpilot::cli
