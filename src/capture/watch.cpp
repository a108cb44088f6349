// SPDX-License-Identifier: MIT
#include <triage/triage.hpp>

#include <capture/proc.hpp>
#include <capture/server_output.hpp>
#include <capture/watch.hpp>
#include <fmt/format.h>

#include <chrono>

namespace crashpilot::capture {

namespace {

using Clock = std::chrono::steady_clock;

// "Main thread used no CPU for N seconds": a hang a server without a heartbeat line still shows.
class CpuStallWatch {
public:
  explicit CpuStallWatch(int seconds) : m_limit(std::chrono::seconds(seconds)) {}
  std::optional<std::string> check(pid_t pid) {
    if (m_limit.count() == 0) {
      return std::nullopt;
    }
    auto ticks = thread_cpu_ticks(pid, pid);
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

util::Expected<RunSummary> watch(const WatchOptions& options, WatchHooks& wh) {
  if (options.config == nullptr || options.rules == nullptr) {
    return util::error("capture::watch needs the configuration and the triage rules");
  }
  auto made = ServerOutput::from_config(*options.config, options.settings.hang_seconds,
                                        options.tee_stdout, options.tee_stderr, options.cwd);
  if (!made) {
    return util::error(made.error());
  }
  std::unique_ptr<ServerOutput> output = std::move(*made);
  SupervisorOptions sup = options.settings.supervisor;
  // Pipes nobody reads would block the server once full: without stream sources it keeps ours.
  sup.launch.capture_output = output->captures_output();
  CpuStallWatch stall(options.settings.cpu_stall_seconds);

  Hooks hooks;
  hooks.started = [&](Launched& l) {
    output->attach(l);
    if (wh.started) {
      wh.started(l);
    }
  };
  hooks.note = [&](std::string_view event, std::string_view detail) {
    if (wh.note) {
      wh.note(event, detail);
    }
  };
  hooks.hung = [&](pid_t pid) -> std::optional<std::string> {
    if (auto reason = output->hung()) {
      return reason;
    }
    return stall.check(pid);
  };
  hooks.incident = [&](Incident& in) -> std::string {
    output->fill(in);
    if (in.outcome == Outcome::clean_exit) {
      if (wh.exited) {
        wh.exited(in);
      }
      return "";
    }
    Captured c{in, to_crash(in), std::nullopt, ""};
    triage::triage(c.crash, *options.rules);
    if (options.write_reports) {
      if (auto paths = write_report(options.settings.crash_dir, in, c.crash)) {
        c.report = std::move(*paths);
      } else {
        c.report_error = paths.error();
      }
    }
    if (wh.captured) {
      wh.captured(c);
    }
    return c.crash.signature.id;
  };
  auto summary = supervise(sup, hooks);
  output->stop();
  return summary;
}

} // namespace crashpilot::capture
