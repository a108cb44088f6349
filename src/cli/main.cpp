// SPDX-License-Identifier: MIT
#include <cli/commands.hpp>
#include <cli/main.hpp>
#include <cli/options.hpp>
#include <cli/terminal.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <exception>

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
  if (inv.command == "init") {
    return run_init(inv);
  }
  config::LoadOptions lo;
  lo.preset = inv.global.preset;
  lo.file = inv.global.config_file;
  lo.overrides = inv.global.sets;
  if (inv.command == "run") {
    // The seed's options are configuration keys under other names.
    const RunCommandOptions& r = inv.run;
    auto quoted = [](const std::string& v) { return nlohmann::json(v).dump(); };
    if (!r.trinity_root.empty()) {
      lo.overrides.push_back("queue.repo_root=" + quoted(r.trinity_root));
    }
    if (!r.server_exe.empty()) {
      lo.overrides.push_back("server.command=[" + quoted(r.server_exe) + "]");
    }
    if (!r.crashes.empty()) {
      lo.overrides.push_back("capture.crash_dir=" + quoted(r.crashes));
    }
    std::string sources;
    if (!r.server_log.empty()) {
      sources += "{name=\"server-log\", path=" + quoted(r.server_log) + ", role=\"server\"}";
    }
    if (!r.playerbot_log.empty()) {
      sources += std::string(sources.empty() ? "" : ", ") +
                 "{name=\"playerbot-log\", path=" + quoted(r.playerbot_log) +
                 ", role=\"playerbot\"}";
    }
    if (!sources.empty()) {
      lo.overrides.push_back("logs.source_add=[" + sources + "]");
    }
  }
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
  if (inv.command == "apply") {
    return run_apply(inv, *config);
  }
  if (inv.command == "demo") {
    return run_demo(inv, *config);
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

const char* version() {
  return k_version;
}

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
