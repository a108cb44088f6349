// SPDX-License-Identifier: MIT
// `crashpilot analyze --agent NAME [--request ID | --all] [--parallel N]`: queued crashes answered
// by a headless coding agent, or by the built-in analyzer. The runner (analyze/runner.hpp) does
// the work; this file turns the command line and configuration into its setup, keeps SIGINT and
// SIGTERM from leaving agents behind, and prints one line per request.
#include <cli/agent_setup.hpp>
#include <cli/commands.hpp>
#include <cli/terminal.hpp>
#include <cli/workspace.hpp>

#include <analyze/agent_preset.hpp>
#include <analyze/builtin_analyzer.hpp>
#include <analyze/runner.hpp>
#include <analyze/runner_process.hpp>
#include <fmt/format.h>
#include <queue/ids.hpp>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>

namespace crashpilot::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json result_json(const analyze::RequestResult& r) {
  json j = {{"request_id", r.request_id}, {"agent", r.agent}};
  if (!r.skipped.empty()) {
    j["outcome"] = "skipped";
    j["reason"] = r.skipped;
    return j;
  }
  j["outcome"] = analyze::to_string(r.result.outcome);
  j["retryable"] = r.result.retryable;
  j["reason"] = r.result.reason;
  j["reasons"] = r.result.reasons;
  j["attempts"] = r.attempts;
  j["attempt_no"] = r.attempt_no;
  j["seconds"] = r.seconds;
  j["run_dir"] = r.run_dir;
  j["session_id"] = r.session_id.empty() ? json(nullptr) : json(r.session_id);
  j["cost_usd"] = r.cost_usd ? json(*r.cost_usd) : json(nullptr);
  j["turns"] = r.turns ? json(*r.turns) : json(nullptr);
  j["response_path"] = r.response_path.empty() ? json(nullptr) : json(r.response_path);
  j["warnings"] = r.warnings;
  return j;
}

void print_result(const Terminal& t, bool as_json, const analyze::RequestResult& r) {
  if (as_json) {
    fmt::print("{}\n", result_json(r).dump(-1, ' ', false, json::error_handler_t::replace));
    std::fflush(stdout);
    return;
  }
  if (!r.skipped.empty()) {
    fmt::print("{}  {}  {}\n", t.bold(r.request_id), t.dim("skipped"), r.skipped);
    std::fflush(stdout);
    return;
  }
  std::string outcome(analyze::to_string(r.result.outcome));
  outcome = r.result.outcome == analyze::Outcome::answered ? t.green(outcome) : t.red(outcome);
  std::string extra = fmt::format("attempt {}, {:.0f} s", r.attempt_no, r.seconds);
  if (r.cost_usd) {
    extra += fmt::format(", ${:.2f}", *r.cost_usd);
  }
  if (r.turns) {
    extra += fmt::format(", {} turns", *r.turns);
  }
  fmt::print("{}  {}  {} ({})\n", t.bold(r.request_id), outcome, r.agent, extra);
  if (!r.result.reason.empty()) {
    fmt::print("  {}{}\n", r.result.reason,
               r.result.retryable && r.result.outcome != analyze::Outcome::answered ? " (retryable)"
                                                                                    : "");
  }
  for (const auto& reason : r.result.reasons) {
    fmt::print("  - {}\n", reason);
  }
  for (const auto& w : r.warnings) {
    fmt::print("  {} {}\n", t.yellow("warning:"), w);
  }
  if (!r.response_path.empty()) {
    fmt::print("  response: {}\n", r.response_path);
  }
  fmt::print("  run files: {}\n", r.run_dir);
  std::fflush(stdout);
}

} // namespace

int run_analyze(const Invocation& inv, const config::Config& config) {
  const AnalyzeCommandOptions& o = inv.analyze;
  if (!o.request.empty() && !queue::is_valid_id(o.request)) {
    print_error(
        fmt::format("--request '{}' is not a request id ([A-Za-z0-9_-]{{1,64}})", o.request));
    return exit_code::usage;
  }
  int code = exit_code::ok;
  auto ws = open_workspace(inv, config, {.store = true, .queue = true}, code);
  if (!ws) {
    return code;
  }
  auto setup = runner_setup(inv, config, *ws, o.agent, code);
  if (!setup) {
    return code;
  }
  std::vector<std::string> ids;
  if (!o.request.empty()) {
    ids.push_back(o.request);
  } else {
    auto pending = analyze::pending_request_ids(*ws->queue);
    if (!pending) {
      print_error(pending.error());
      return exit_code::failure;
    }
    ids = std::move(*pending);
    if (!o.all && ids.size() > 1) {
      ids.resize(1);
    }
  }
  if (ids.empty()) {
    print_error(
        fmt::format("nothing to analyze: no pending request in {}", ws->queue->options().root));
    return exit_code::not_found;
  }
  ws.reset(); // the runner opens its own handles, one per worker thread

  g_stop.store(false);
  StopSignals signals;
  analyze::become_subreaper();
  Terminal t = Terminal::detect(inv.global.color);
  analyze::Runner runner(std::move(*setup));
  auto results = runner.run(ids, o.parallel, [&](const analyze::RequestResult& r) {
    print_result(t, inv.global.json, r);
  });
  // Orphans a run adopted that carried no marker (they cleared their environment).
  analyze::kill_adopted_orphans();

  bool rejected = false, failed = false, any_attempted = false;
  for (const auto& r : results) {
    if (!r.skipped.empty()) {
      continue; // said on its line; other requests may still have been answered
    }
    any_attempted = true;
    rejected = rejected || r.result.outcome == analyze::Outcome::rejected;
    failed = failed || (r.result.outcome != analyze::Outcome::answered &&
                        r.result.outcome != analyze::Outcome::rejected);
  }
  if (g_stop.load()) {
    return exit_code::interrupted;
  }
  if (failed) {
    return exit_code::agent_failed;
  }
  if (rejected) {
    return exit_code::rejected;
  }
  return any_attempted ? exit_code::ok : exit_code::not_found;
}

} // namespace crashpilot::cli
