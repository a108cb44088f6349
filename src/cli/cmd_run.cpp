// SPDX-License-Identifier: MIT
// `crashpilot run --mode capture [-- SERVER ARGS...]`: supervise the server; every crash, abort or
// hang becomes a report in the crash directory, a triaged crash, a bucket in the store and a
// request in the queue; one line per event (human, or JSON with --json).
#include <cli/capture_config.hpp>
#include <cli/commands.hpp>
#include <cli/ingest.hpp>
#include <cli/server_output.hpp>
#include <cli/terminal.hpp>
#include <cli/workspace.hpp>
#include <model/json.hpp>
#include <triage/triage.hpp>

#include <capture/proc.hpp>
#include <capture/report.hpp>
#include <capture/supervisor.hpp>
#include <fmt/format.h>

#include <chrono>

namespace crashpilot::cli {

namespace {

using Clock = std::chrono::steady_clock;

void emit(bool json, const nlohmann::json& event, const std::string& human) {
  if (json) {
    fmt::print("{}\n", event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("{}\n", human);
  }
  std::fflush(stdout);
}

// "Main thread used no CPU for N seconds": a hang a server without a heartbeat line still shows.
class CpuStallWatch {
public:
  explicit CpuStallWatch(int seconds) : m_limit(std::chrono::seconds(seconds)) {}
  std::optional<std::string> check(pid_t pid) {
    if (m_limit.count() == 0) {
      return std::nullopt;
    }
    auto ticks = capture::thread_cpu_ticks(pid, pid);
    auto now = Clock::now();
    if (!ticks || pid != m_pid || *ticks != m_ticks) {
      m_pid = pid;
      m_ticks = ticks.value_or(0);
      m_since = now;
      return std::nullopt;
    }
    if (now - m_since >= m_limit) {
      return fmt::format("the main thread used no CPU for {} s", m_limit.count());
    }
    return std::nullopt;
  }

private:
  std::chrono::seconds m_limit;
  pid_t m_pid = 0;
  uint64_t m_ticks = 0;
  Clock::time_point m_since;
};

} // namespace

int run_run(const Invocation& inv, const config::Config& config) {
  auto settings = capture_settings(inv, config);
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
  auto made = ServerOutput::from_config(config, settings->hang_seconds, json);
  if (!made) {
    print_error(made.error());
    return exit_code::usage;
  }
  std::unique_ptr<ServerOutput> output = std::move(*made);
  // Pipes nobody reads would block the server once full: without stream sources it keeps ours.
  settings->supervisor.launch.capture_output = output->captures_output();
  CpuStallWatch stall(settings->cpu_stall_seconds);
  int captured = 0;

  capture::Hooks hooks;
  hooks.started = [&](capture::Launched& l) {
    output->attach(l);
    emit(json, {{"event", "started"}, {"pid", l.pid}, {"traced", l.traced}},
         fmt::format("{} server started (pid {}{})", term.green("▶"), l.pid,
                     l.traced ? "" : ", no ptrace: cores"));
  };
  hooks.note = [&](std::string_view event, std::string_view detail) {
    emit(json, {{"event", event}, {"detail", detail}},
         fmt::format("{} {}: {}", term.dim("·"), event, detail));
  };
  hooks.hung = [&](pid_t pid) -> std::optional<std::string> {
    if (auto reason = output->hung()) {
      return reason;
    }
    return stall.check(pid);
  };
  hooks.incident = [&](capture::Incident& in) -> std::string {
    output->fill(in);
    if (in.outcome == capture::Outcome::clean_exit) {
      emit(json, {{"event", "exited"}, {"outcome", "clean_exit"}, {"pid", in.process.pid}},
           fmt::format("{} server exited cleanly (pid {}, up {} s)", term.dim("■"), in.process.pid,
                       in.uptime.count() / 1000));
      return "";
    }
    ++captured;
    model::Crash crash = capture::to_crash(in);
    triage::triage(crash, ws->rules);
    auto paths = capture::write_report(settings->crash_dir, in, crash);
    std::string report = paths ? paths->text : std::string();
    if (!paths) {
      print_error(paths.error());
    }
    std::string recorded;
    if (settings->record && ws->store) {
      TriagedInput ti;
      ti.crashes.push_back(crash);
      ti.text = paths ? capture::report_text(in, crash) : std::string();
      OccurrenceExtras extras{
          in.context, in.snapshot ? in.snapshot->build_id : std::string(),
          std::chrono::duration_cast<std::chrono::seconds>(in.time.time_since_epoch()).count()};
      auto ingested = ingest_input(*ws, ti, paths ? paths->json : std::string(), extras);
      if (!ingested) {
        print_error(fmt::format("the crash was captured ({}) but not recorded: {}", report,
                                ingested.error()));
      } else if (!ingested->empty() && (*ingested)[0].request) {
        recorded = (*ingested)[0].request->request_id;
      }
    }
    nlohmann::json event = {
        {"event", in.outcome == capture::Outcome::hang ? "hung" : "crashed"},
        {"outcome", capture::to_string(in.outcome)},
        {"pid", in.process.pid},
        {"report", paths ? nlohmann::json(paths->json) : nlohmann::json(nullptr)},
        {"report_text", report},
        {"request_id", recorded},
        {"snapshot_error", in.snapshot_error},
        {"timing_us", in.snapshot ? nlohmann::json{{"frozen", in.snapshot->frozen.count()},
                                                   {"unwind", in.snapshot->unwind.count()},
                                                   {"symbolize", in.snapshot->symbolize.count()}}
                                  : nlohmann::json(nullptr)},
        {"crash", model::to_json(crash, {.include_raw = false, .include_all_threads = false})}};
    std::string where = crash.crash_function.empty() ? std::string("?") : crash.crash_function;
    if (!crash.crash_location.empty()) {
      where += " at " + crash.crash_location;
    }
    std::string human = fmt::format(
        "{} {} {} in {} [{} {}] signature {}{}\n  report: {}{}", term.red("✖"),
        term.bold(std::string(capture::to_string(in.outcome))), crash.exception_code, where,
        crash.crash_category, term.severity(crash.severity), crash.signature.id,
        !in.snapshot            ? fmt::format(" (no trace: {})", in.snapshot_error)
        : !in.core_path.empty() ? fmt::format(" (from the core {}, symbolized in {:.1f} ms)",
                                              in.core_path, capture::as_ms(in.snapshot->symbolize))
                                : fmt::format(" (stopped {:.1f} ms, symbolized in {:.1f} ms)",
                                              capture::as_ms(in.snapshot->frozen),
                                              capture::as_ms(in.snapshot->symbolize)),
        report, recorded.empty() ? "" : "\n  queued: " + recorded);
    emit(json, event, human);
    return crash.signature.id;
  };

  auto summary = capture::supervise(settings->supervisor, hooks);
  output->stop();
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
