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

  app.add_subcommand("version", "Print the version");

  // CLI11 wants argv order reversed when given a vector.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    inv.help_text = app.help();
    for (CLI::App* sub : app.get_subcommands()) {
      inv.help_text = sub->help();
    }
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
  }
  if (inv.command.empty()) {
    inv.help_text = app.help();
  }
  return inv;
}

} // namespace crashpilot::cli
