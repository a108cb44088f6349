// SPDX-License-Identifier: MIT
#include <model/json.hpp>
#include <model/symbol.hpp>
#include <util/file.hpp>
#include <util/string.hpp>

#include <capture/report.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace crashpilot::capture {

namespace {

std::string iso(std::chrono::system_clock::time_point t) {
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(t)), ms);
}

nlohmann::json snapshot_json(const Snapshot& s) {
  nlohmann::json modules = nlohmann::json::array();
  for (const auto& m : s.modules) {
    modules.push_back({{"name", m.name},
                       {"path", m.path},
                       {"build_id", m.build_id},
                       {"start", util::hex(m.start)},
                       {"end", util::hex(m.end)},
                       {"has_debuginfo", m.has_debuginfo}});
  }
  return {{"build_id", s.build_id},
          {"modules", std::move(modules)},
          {"problems", s.problems},
          {"timing_us",
           {{"frozen", s.frozen.count()},
            {"unwind", s.unwind.count()},
            {"symbolize", s.symbolize.count()}}}};
}

// One frame in gdb's words: "#3  0x... in ns::f (args) at file:line" ("from module" when no file).
std::string frame_line(const model::Frame& f, size_t index) {
  std::string name =
      f.function.empty() ? std::string("??") : std::string(model::function_name_part(f.function));
  std::string line = fmt::format("#{:<2} ", index);
  if (f.address && !f.inlined) {
    line += fmt::format("0x{:016x} in ", *f.address);
  }
  line += fmt::format("{} ({})", name, f.arguments);
  if (!f.file.empty()) {
    line += fmt::format(" at {}:{}", f.file, f.line);
  } else if (!f.module.empty()) {
    line += fmt::format(" from {}", f.module);
  }
  return line;
}

} // namespace

nlohmann::json report_json(const Incident& in, const model::Crash& crash) {
  nlohmann::json j = {
      {"crashpilot_report", 1},
      {"outcome", to_string(in.outcome)},
      {"time", iso(in.time)},
      {"process",
       {{"pid", in.process.pid},
        {"exe", in.process.exe},
        {"argv", in.process.argv},
        {"cwd", in.process.cwd},
        {"started", iso(in.process.started)},
        {"uptime_ms", in.uptime.count()}}},
      {"signal",
       {{"number", in.signal},
        {"name", in.signal ? signal_name(in.signal) : ""},
        {"si_code", in.si_code},
        {"si_code_name", in.signal ? si_code_name(in.signal, in.si_code) : ""},
        {"fault_address",
         in.fault_address ? nlohmann::json(util::hex(*in.fault_address)) : nlohmann::json(nullptr)},
        {"sender_pid", in.sender_pid}}},
      {"crashing_thread", {{"tid", in.crashing_tid}, {"name", in.crashing_thread_name}}},
      {"exit",
       {{"code", in.exit_code},
        {"signal", in.term_signal},
        {"core_dumped", in.core_dumped},
        {"core", in.core_path}}},
      {"hang_reason", in.hang_reason},
      {"startup_error", in.startup_error},
      {"snapshot_error", in.snapshot_error},
      {"snapshot", in.snapshot ? snapshot_json(*in.snapshot) : nlohmann::json(nullptr)},
      {"context", model::to_json(in.context)},
      {"output_tail", in.output_tail},
      {"crash", model::to_json(crash, {.include_raw = false, .include_all_threads = true})},
  };
  return j;
}

std::string report_text(const Incident& in, const model::Crash& crash) {
  std::string out;
  out += fmt::format("crashpilot capture: {} of {} (pid {}) at {}, up {} ms\n",
                     to_string(in.outcome), in.process.exe.empty() ? "the server" : in.process.exe,
                     in.process.pid, iso(in.time), in.uptime.count());
  out += fmt::format("command: {}\ncwd: {}\n", util::join(in.process.argv, " "), in.process.cwd);
  if (in.snapshot && !in.snapshot->build_id.empty()) {
    out += fmt::format("build-id: {}\n", in.snapshot->build_id);
  }
  if (!crash.signature.id.empty()) {
    out += fmt::format("signature: {} ({}, {})\n", crash.signature.id, crash.crash_category,
                       crash.severity);
  }
  if (!crash.crash_location.empty() || !crash.crash_function.empty()) {
    out += fmt::format("location: {} at {}\n", crash.crash_function, crash.crash_location);
  }
  if (in.outcome == Outcome::hang) {
    out += fmt::format("hang: {}\n", in.hang_reason);
  }
  if (!in.snapshot_error.empty()) {
    out += fmt::format("no trace: {}\n", in.snapshot_error);
  }
  if (crash.assertion) {
    out += fmt::format("assertion: {} at {}:{}\n", crash.assertion->condition,
                       crash.assertion->file, crash.assertion->line);
  }
  out += "\n";
  if (in.signal) {
    out += fmt::format("Program terminated with signal {}, {}.\n", signal_name(in.signal),
                       signal_description(in.signal));
    if (in.fault_address) {
      out += fmt::format("Fault address: {} ({})\n", util::hex(*in.fault_address),
                         si_code_name(in.signal, in.si_code));
    }
  }
  if (in.snapshot) {
    for (const auto& t : in.snapshot->threads) {
      out += fmt::format("\nThread {} (LWP {}) \"{}\"{}:\n", t.id, t.id, t.name,
                         t.crashing ? " [crashing]"
                         : t.state == "lock_wait"
                             ? fmt::format(" [lock_wait{}]",
                                           t.lock_owner.empty() ? "" : ", held by " + t.lock_owner)
                             : "");
      for (size_t i = 0; i < t.frames.size(); ++i) {
        out += frame_line(t.frames[i], i) + "\n";
      }
    }
  }
  if (!in.output_tail.empty()) {
    out += "\nLast output of the server:\n";
    for (const auto& l : in.output_tail) {
      out += "  " + l + "\n";
    }
  }
  return out;
}

util::Expected<ReportPaths> write_report(const std::string& dir, const Incident& in,
                                         const model::Crash& crash) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return util::error(
        fmt::format("cannot create the crash directory {}: {}", dir, std::strerror(errno)));
  }
  auto t = std::chrono::system_clock::to_time_t(in.time);
  std::string base = fmt::format("{}/{:%Y%m%d-%H%M%S}-{}-{}", dir, fmt::gmtime(t), in.process.pid,
                                 to_string(in.outcome));
  ReportPaths paths{base + ".json", base + ".txt"};
  if (auto ok = util::write_file_atomic(paths.text, report_text(in, crash)); !ok) {
    return util::error(ok.error());
  }
  if (auto ok = util::write_file_atomic(paths.json, report_json(in, crash).dump(2) + "\n"); !ok) {
    return util::error(ok.error());
  }
  return paths;
}

} // namespace crashpilot::capture
