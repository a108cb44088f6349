// SPDX-License-Identifier: MIT
// `crashpilot run --mode capture [-- SERVER ARGS...]`: supervise the server; every crash, abort or
// hang becomes a report in the crash directory, a triaged crash, a bucket in the store and a
// request in the queue; one line per event (human, or JSON with --json).
#include <cli/capture_text.hpp>
#include <cli/commands.hpp>
#include <cli/ingest.hpp>
#include <cli/loop_cli.hpp>
#include <cli/terminal.hpp>
#include <cli/workspace.hpp>
#include <model/json.hpp>
#include <triage/triage.hpp>

#include <capture/proc.hpp>
#include <capture/report.hpp>
#include <capture/supervisor.hpp>
#include <capture/watch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>

namespace crashpilot::cli {

namespace {

void emit(bool json, const nlohmann::json& event, const std::string& human) {
  if (json) {
    fmt::print("{}\n", event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("{}\n", human);
  }
  std::fflush(stdout);
}

} // namespace

capture::SettingsOverrides run_overrides(const Invocation& inv) {
  return {inv.run.command, inv.run.restart, inv.run.hang_seconds, inv.run.max_crashes,
          inv.run.crash_dir};
}

int run_run(const Invocation& inv, const config::Config& config) {
  if (inv.run.status) {
    return run_status(inv, config);
  }
  // --mode wins; else [loop] mode, when there is a repository to fix; else capture only.
  std::string mode = inv.run.mode;
  if (!inv.run.mode_given) {
    std::string wanted = config.get_string("loop.mode", "review");
    if (wanted != "capture" && !config.get_string("queue.repo_root").empty()) {
      mode = wanted;
    }
  }
  if (mode != "capture") {
    return run_fix_loop(inv, config, mode);
  }
  auto settings = capture::capture_settings(config, run_overrides(inv));
  if (!settings) {
    print_error(settings.error());
    return exit_code::usage;
  }
  int ec = exit_code::ok;
  auto ws = open_workspace(inv, config, {.store = settings->record, .queue = settings->record}, ec);
  if (!ws) {
    return ec;
  }
  // Before any thread starts: only the supervisor's signalfd may see SIGINT/SIGTERM/SIGCHLD.
  capture::block_supervisor_signals();
  Terminal term = Terminal::detect(inv.global.color);
  bool json = inv.global.json;
  capture::WatchOptions wo;
  wo.settings = *settings;
  wo.config = &config;
  wo.rules = &ws->rules;
  // With --json our stdout carries events only: the server's stdout is shown on stderr.
  wo.tee_stdout = json ? STDERR_FILENO : STDOUT_FILENO;
  wo.tee_stderr = STDERR_FILENO;

  capture::WatchHooks hooks;
  hooks.started = [&](const capture::Launched& l) {
    emit(json, {{"event", "started"}, {"pid", l.pid}, {"traced", l.traced}},
         fmt::format("{} server started (pid {}{})", term.green("▶"), l.pid,
                     l.traced ? "" : ", no ptrace: cores"));
  };
  hooks.note = [&](std::string_view event, std::string_view detail) {
    emit(json, {{"event", event}, {"detail", detail}},
         fmt::format("{} {}: {}", term.dim("·"), event, detail));
  };
  hooks.exited = [&](const capture::Incident& in) {
    emit(json, {{"event", "exited"}, {"outcome", "clean_exit"}, {"pid", in.process.pid}},
         fmt::format("{} server exited cleanly (pid {}, up {} s)", term.dim("■"), in.process.pid,
                     in.uptime.count() / 1000));
  };
  hooks.captured = [&](capture::Captured& c) {
    const capture::Incident& in = c.incident;
    const model::Crash& crash = c.crash;
    if (!c.report) {
      print_error(c.report_error);
    }
    std::string report = c.report ? c.report->text : std::string();
    std::string recorded;
    if (settings->record && ws->store) {
      TriagedInput ti;
      ti.crashes.push_back(crash);
      ti.text = c.report ? capture::report_text(in, crash) : std::string();
      loop::OccurrenceExtras extras{
          in.context, in.snapshot ? in.snapshot->build_id : std::string(),
          std::chrono::duration_cast<std::chrono::seconds>(in.time.time_since_epoch()).count(), ""};
      auto ingested = ingest_input(*ws, ti, c.report ? c.report->json : std::string(), extras);
      if (!ingested) {
        print_error(fmt::format("the crash was captured ({}) but not recorded: {}", report,
                                ingested.error()));
      } else if (!ingested->empty() && (*ingested)[0].request) {
        recorded = (*ingested)[0].request->request_id;
      }
    }
    emit(json, capture_event(c, recorded), capture_line(term, c, recorded));
  };

  auto summary = capture::watch(wo, hooks);
  if (!summary) {
    print_error(summary.error());
    return exit_code::failure;
  }
  emit(json,
       {{"event", "stopped"},
        {"runs", summary->runs},
        {"failures", summary->failures},
        {"reason", summary->stop_reason},
        {"crash_loop", summary->crash_loop}},
       fmt::format("{} stopped: {} ({} run(s), {} failure(s))", term.dim("■"), summary->stop_reason,
                   summary->runs, summary->failures));
  return summary->crash_loop ? exit_code::crash_loop : exit_code::ok;
}

} // namespace crashpilot::cli
