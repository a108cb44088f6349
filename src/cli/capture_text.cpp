// SPDX-License-Identifier: MIT
#include <cli/capture_text.hpp>
#include <model/json.hpp>

#include <fmt/format.h>

namespace crashpilot::cli {

nlohmann::json capture_event(const capture::Captured& c, const std::string& request_id) {
  const capture::Incident& in = c.incident;
  return {{"event", in.outcome == capture::Outcome::hang ? "hung" : "crashed"},
          {"outcome", capture::to_string(in.outcome)},
          {"pid", in.process.pid},
          {"uptime_ms", in.uptime.count()},
          {"report", c.report ? nlohmann::json(c.report->json) : nlohmann::json(nullptr)},
          {"report_text", c.report ? c.report->text : std::string()},
          {"request_id", request_id},
          {"snapshot_error", in.snapshot_error},
          {"timing_us", in.snapshot ? nlohmann::json{{"frozen", in.snapshot->frozen.count()},
                                                     {"unwind", in.snapshot->unwind.count()},
                                                     {"symbolize", in.snapshot->symbolize.count()}}
                                    : nlohmann::json(nullptr)},
          {"crash", model::to_json(c.crash, {.include_raw = false, .include_all_threads = false})}};
}

std::string capture_line(const Terminal& term, const capture::Captured& c,
                         const std::string& request_id) {
  const capture::Incident& in = c.incident;
  const model::Crash& crash = c.crash;
  std::string where = crash.crash_function.empty() ? std::string("?") : crash.crash_function;
  if (!crash.crash_location.empty()) {
    where += " at " + crash.crash_location;
  }
  return fmt::format("{} {} {} in {} [{} {}] signature {}{}\n  report: {}{}", term.red("✖"),
                     term.bold(std::string(capture::to_string(in.outcome))), crash.exception_code,
                     where, crash.crash_category, term.severity(crash.severity), crash.signature.id,
                     !in.snapshot ? fmt::format(" (no trace: {})", in.snapshot_error)
                     : !in.core_path.empty()
                         ? fmt::format(" (from the core {}, symbolized in {:.1f} ms)", in.core_path,
                                       capture::as_ms(in.snapshot->symbolize))
                         : fmt::format(" (stopped {:.1f} ms, symbolized in {:.1f} ms)",
                                       capture::as_ms(in.snapshot->frozen),
                                       capture::as_ms(in.snapshot->symbolize)),
                     c.report ? c.report->text : std::string(),
                     request_id.empty() ? "" : "\n  queued: " + request_id);
}

} // namespace crashpilot::cli
