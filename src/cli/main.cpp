// SPDX-License-Identifier: MIT
#include <cli/main.hpp>

#include <cli/commands.hpp>
#include <cli/options.hpp>
#include <cli/terminal.hpp>

#include <exception>
#include <fmt/format.h>

extern char** environ;

namespace crashpilot::cli {

namespace {

constexpr const char* k_version = "0.1.0";

std::map<std::string, std::string> crashpilot_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (kv.starts_with("CRASHPILOT_")) {
      size_t eq = kv.find('=');
      if (eq != std::string_view::npos) {
        out.emplace(kv.substr(0, eq), kv.substr(eq + 1));
      }
    }
  }
  return out;
}

int run(const Invocation& inv) {
  if (inv.command == "version") {
    fmt::print("crashpilot {}\n", k_version);
    return exit_code::ok;
  }
  config::LoadOptions lo;
  lo.preset = inv.global.preset;
  lo.file = inv.global.config_file;
  lo.overrides = inv.global.sets;
  lo.environment = crashpilot_environment();
  if (auto it = lo.environment.find("CRASHPILOT_CONFIG"); it != lo.environment.end() && !lo.file) {
    lo.file = it->second;
  }
  auto config = config::Config::load(lo);
  if (!config) {
    print_error(config.error());
    return exit_code::usage;
  }
  if (inv.command == "triage") {
    return run_triage(inv, *config);
  }
  if (inv.command == "config") {
    return run_config(inv, *config);
  }
  if (inv.command == "ingest") {
    return run_ingest(inv, *config);
  }
  if (inv.command == "watch") {
    return run_watch(inv, *config);
  }
  if (inv.command == "queue") {
    return run_queue(inv, *config);
  }
  if (inv.command == "crashes") {
    return run_crashes(inv, *config);
  }
  if (inv.command == "stats") {
    return run_stats(inv, *config);
  }
  if (inv.command == "run") {
    return run_run(inv, *config);
  }
  if (inv.command == "snapshot") {
    return run_snapshot(inv, *config);
  }
  if (inv.command == "symbolize") {
    return run_symbolize(inv, *config);
  }
  if (inv.command == "schema") {
    return run_schema(inv, *config);
  }
  if (inv.command == "mcp") {
    return run_mcp(inv, *config);
  }
  if (inv.command == "analyze") {
    return run_analyze(inv, *config);
  }
  print_error(fmt::format("unknown command '{}'", inv.command));
  return exit_code::usage;
}

} // namespace

const char* version() { return k_version; }

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    auto inv = parse_args(args);
    if (!inv) {
      print_error(inv.error());
      fmt::print(stderr, "Run 'crashpilot --help' for usage.\n");
      return exit_code::usage;
    }
    if (!inv->help_text.empty()) {
      fmt::print("{}", inv->help_text);
      return exit_code::ok;
    }
    return run(*inv);
  } catch (const std::exception& e) {
    // Only bugs reach here: every expected failure is reported by the command itself.
    print_error(fmt::format("internal error: {}", e.what()));
    return exit_code::failure;
  }
}

} // namespace crashpilot::cli
