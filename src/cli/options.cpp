// SPDX-License-Identifier: MIT
#include <cli/options.hpp>

#include <CLI/CLI.hpp>
#include <algorithm>

namespace crashpilot::cli {

namespace {

constexpr const char* k_description =
    "crashpilot: from a crashing C++ server to a verified fix.\n"
    "Parses and triages crash reports (Wheaty, gdb, sanitizers, assertions, freeze detectors, ...).";

void add_global(CLI::App& app, Invocation& inv) {
  app.add_option("--config", inv.global.config_file, "Configuration file (default: ./crashpilot.toml when present)");
  app.add_option("--preset", inv.global.preset, "Built-in rule preset: trinitycore (default) or generic");
  app.add_option("--set", inv.global.sets, "Override a configuration key: --set triage.signature_frames=4")
      ->type_name("KEY=VALUE");
  app.add_flag("--json", inv.global.json, "Machine-readable output (JSON Lines)");
  app.add_flag("--no-color{false}", inv.global.color, "No colours in human output");
  app.add_option("--store", inv.global.store, "Crash history database (overrides [store] path)")->type_name("FILE");
  app.add_option("--queue-root", inv.global.queue_root, "Analysis queue directory (overrides [queue] root)")
      ->type_name("DIR");
}

constexpr const char* k_exit_ingest =
    "Exit codes: 0 every input recorded, 3 some input held no crash (its line says why), 2 usage or\n"
    "configuration error, 1 the store or queue failed.\n";
constexpr const char* k_exit_watch =
    "Polls with stat(2) rather than inotify: crash directories are often network shares or copies from\n"
    "Windows servers, where inotify sees nothing. A file is ingested once its size stayed the same for\n"
    "one interval; .dmp files and temporary files are ignored. Ingested files are remembered in the\n"
    "store, so a restart does not ingest them again.\n"
    "Exit codes: 0 stopped by SIGINT/SIGTERM or --once done, 2 usage or configuration error, 1 the\n"
    "store or queue failed.\n";
constexpr const char* k_exit_queue =
    "Exit codes: 0 done, 4 no such request (claim: nothing pending, or another claimer won), 5 check:\n"
    "the response was rejected (moved to rejected/ with its reasons), 2 usage or configuration error,\n"
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
  CLI::App* ingest =
      app.add_subcommand("ingest", "Triage crash reports into the crash history and the analysis queue");
  ingest->add_option("inputs", inv.ingest.inputs, "Crash report files, or - for standard input")->required();
  ingest->add_option("--max-input-mb", inv.ingest.max_input_mb, "Refuse inputs larger than this")
      ->check(CLI::Range(1, 65536));
  ingest->footer(k_exit_ingest);
  add_global(*ingest, inv);

  CLI::App* watch = app.add_subcommand("watch", "Follow crash directories and ingest each new report once");
  watch->add_option("dirs", inv.watch.dirs, "Directories to follow (e.g. the server's Crashes/)")->required();
  watch->add_flag("--once", inv.watch.once, "One pass: ingest what is there and stable, then exit");
  watch->add_option("--interval-ms", inv.watch.interval_ms, "Time between polls (default 2000)")
      ->check(CLI::Range(10, 3600000));
  watch->add_option("--max-input-mb", inv.watch.max_input_mb, "Skip reports larger than this")
      ->check(CLI::Range(1, 65536));
  watch->footer(k_exit_watch);
  add_global(*watch, inv);
}

void add_queue(CLI::App& app, Invocation& inv) {
  CLI::App* queue = app.add_subcommand("queue", "The analysis queue: list, show, claim, release, check, gc");
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
  sub("show", "One request's JSON, state and lease")->add_option("id", inv.queue.id, "Request id")->required();
  CLI::App* claim = sub("claim", "Claim a request (default: the pending one with the highest priority)");
  claim->add_option("id", inv.queue.id, "Request id");
  claim->add_option("--holder", inv.queue.holder, "Who holds the lease (default: user@host)");
  CLI::App* release = sub("release", "Put a claimed request back into requests/");
  release->add_option("id", inv.queue.id, "Request id")->required();
  release->add_option("--reason", inv.queue.reason, "Why (recorded in the request)")->required();
  release->add_option("--lease", inv.queue.lease, "Lease id (default: the current lease)");
  sub("check", "Validate responses/response_ID.json; a rejected one moves to rejected/ with reasons")
      ->add_option("id", inv.queue.id, "Request id")
      ->required();
  sub("gc", "Remove temporary files of dead writers; put requests with expired leases back");
}

void add_queries(CLI::App& app, Invocation& inv) {
  CLI::App* crashes = app.add_subcommand("crashes", "Crash buckets, or one bucket's occurrences and requests");
  crashes->add_option("--bucket", inv.crashes.bucket, "One bucket (signature id)")->type_name("SIG");
  crashes->add_option("--status", inv.crashes.status, "open, fixing, fixed, regressed or ignored");
  crashes->add_option("--category", inv.crashes.category, "Only this crash category");
  crashes->add_flag("--bot", inv.crashes.bot, "Only bot-related buckets");
  crashes->add_option("--text", inv.crashes.text, "Substring of the signature, function or location");
  crashes->add_option("--limit", inv.crashes.limit, "At most this many buckets (0: all)");
  crashes->footer(k_exit_query);
  add_global(*crashes, inv);

  CLI::App* stats = app.add_subcommand("stats", "Crashes per day, open buckets, time to fix, fix rate per category");
  stats->add_option("--days", inv.stats.days, "Days of crash counts (default 14)")->check(CLI::Range(1, 3660));
  stats->footer(k_exit_query);
  add_global(*stats, inv);

  CLI::App* schema = app.add_subcommand("schema", "Published JSON Schemas");
  schema->require_subcommand(1);
  add_global(*schema, inv);
  CLI::App* print = schema->add_subcommand("print", "Print the JSON Schema of the request or the response (v2)");
  print->add_option("name", inv.schema.name, "request or response")
      ->required()
      ->check(CLI::IsMember({"request", "response"}));
  print->footer("Exit codes: 0 printed, 2 usage error.\n");
  add_global(*print, inv);
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

  CLI::App* triage = app.add_subcommand("triage", "Parse and triage crash reports: FILE... or - for stdin");
  triage->add_option("inputs", inv.triage.inputs, "Crash report files, or - for standard input")->required();
  triage->add_flag("--raw", inv.triage.raw, "Include the raw report text in --json output");
  triage->add_flag("--all-threads", inv.triage.all_threads, "Show every thread's stack (human output)");
  triage->add_option("--max-input-mb", inv.triage.max_input_mb, "Refuse inputs larger than this")
      ->check(CLI::Range(1, 65536));
  add_global(*triage, inv);

  CLI::App* config = app.add_subcommand("config", "Show the merged configuration");
  CLI::App* print = config->add_subcommand("print", "Print the merged configuration as TOML with each value's origin");
  print->add_flag("--no-origins{false}", inv.config.origins, "Leave out the origin comments");
  config->require_subcommand(1);
  add_global(*config, inv);
  add_global(*print, inv);

  add_ingest(app, inv);
  add_queue(app, inv);
  add_queries(app, inv);
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
