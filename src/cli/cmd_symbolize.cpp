// SPDX-License-Identifier: MIT
// `crashpilot symbolize --core CORE [--exe BINARY] [--debug-dir DIR]...`: the crash a core file
// holds, every thread unwound and symbolized (function, file:line, inline frames), triaged, and
// printed as `triage` prints a report: a summary on a terminal, one JSON object with --json.
#include <cli/commands.hpp>
#include <cli/frame_text.hpp>
#include <cli/terminal.hpp>
#include <model/json.hpp>
#include <triage/triage.hpp>
#include <util/string.hpp>

#include <capture/freeze.hpp>
#include <capture/incident.hpp>
#include <capture/proc.hpp>
#include <capture/settings.hpp>
#include <capture/snapshot.hpp>
#include <fmt/format.h>
#include <symbolize/debug_cache.hpp>
#include <symbolize/session.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>

namespace crashpilot::cli {

namespace {

struct CoreCrash {
  model::Crash crash;
  symbolize::CoreInfo info;
  std::vector<symbolize::Module> modules;
  std::string build_id;
  std::string executable;
  std::vector<std::string> notes;
};

std::chrono::system_clock::time_point modified(const std::string& path) {
  std::error_code ec;
  auto t = std::filesystem::last_write_time(path, ec);
  return ec ? std::chrono::system_clock::now() : std::chrono::file_clock::to_sys(t);
}

// The core as an incident, so its crash has the same shape (kind, code, message, threads) as one
// `crashpilot run` captures live.
capture::Incident incident_of(const symbolize::CoreInfo& info, const std::string& core,
                              const std::string& exe, std::vector<model::Thread> threads) {
  capture::Incident in;
  in.outcome = info.signal == SIGABRT ? capture::Outcome::abort : capture::Outcome::crash;
  in.signal = info.signal;
  in.si_code = info.si_code;
  in.fault_address = info.fault_address;
  in.crashing_tid = info.crashing_tid;
  in.process.pid = info.pid;
  in.process.exe = exe;
  for (auto arg : util::split_whitespace(info.args)) {
    in.process.argv.emplace_back(arg);
  }
  in.time = modified(core); // the kernel writes the core at the crash
  capture::Snapshot snap;
  snap.pid = info.pid;
  snap.focus_tid = info.crashing_tid;
  snap.threads = std::move(threads);
  in.snapshot = std::move(snap);
  return in;
}

util::Expected<CoreCrash> read_core(symbolize::Session& session, const SymbolizeOptions& o,
                                    const triage::Rules& rules) {
  auto raw = session.unwind();
  if (!raw) {
    return util::error(fmt::format("{}: {}", o.core, raw.error()));
  }
  CoreCrash out;
  out.info = session.core_info().value_or(symbolize::CoreInfo{});
  out.notes = session.notes();
  bool truncated = session.threads_truncated();
  std::vector<model::Thread> threads;
  for (const auto& rt : *raw) {
    model::Thread t = session.symbolize(rt);
    t.crashing = rt.tid == out.info.crashing_tid;
    truncated = truncated || rt.truncated;
    if (!rt.error.empty()) {
      out.notes.push_back(fmt::format("thread {}: {}", rt.tid, rt.error));
    }
    threads.push_back(std::move(t));
  }
  std::stable_partition(threads.begin(), threads.end(),
                        [](const model::Thread& t) { return t.crashing; });
  out.modules = session.modules();
  out.build_id = session.main_build_id();
  out.executable = o.exe;
  for (const auto& m : out.modules) {
    if (out.executable.empty() && !out.build_id.empty() && m.build_id == out.build_id) {
      out.executable = m.path;
    }
  }
  out.crash = capture::to_crash(incident_of(out.info, o.core, out.executable, std::move(threads)));
  out.crash.formats = {"core"};
  if (truncated) {
    out.crash.add_problem(model::problem::truncated);
  }
  triage::triage(out.crash, rules);
  return out;
}

void print_json(const SymbolizeOptions& o, const CoreCrash& cc) {
  nlohmann::json line =
      model::to_json(cc.crash, {.include_raw = false, .include_all_threads = true});
  line["file"] = o.core;
  line["executable"] = cc.executable;
  line["build_id"] = cc.build_id;
  line["pid"] = cc.info.pid;
  line["crashing_tid"] = cc.info.crashing_tid;
  line["args"] = cc.info.args;
  nlohmann::json modules = nlohmann::json::array();
  for (const auto& m : cc.modules) {
    modules.push_back({{"name", m.name},
                       {"path", m.path},
                       {"build_id", m.build_id},
                       {"start", util::hex(m.start)},
                       {"end", util::hex(m.end)},
                       {"has_debuginfo", m.has_debuginfo}});
  }
  line["modules"] = std::move(modules);
  line["notes"] = cc.notes;
  fmt::print("{}\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void print_frames(const Terminal& t, const model::Crash& c, const model::Thread& th, size_t limit) {
  for (size_t i = 0; i < th.frames.size() && i < limit; ++i) {
    bool meaningful = th.crashing && static_cast<int>(i) == c.meaningful_frame;
    std::string line = fmt::format("#{:<2} {}", i, frame_text(th.frames[i], true));
    fmt::print("    {} {}\n", meaningful ? t.green(">") : " ", meaningful ? t.bold(line) : line);
  }
  if (th.frames.size() > limit) {
    fmt::print("      {}\n", t.dim(fmt::format("... {} more frames", th.frames.size() - limit)));
  }
}

void print_human(const Terminal& t, const SymbolizeOptions& o, const CoreCrash& cc) {
  const model::Crash& c = cc.crash;
  fmt::print(
      "{}  {}\n", t.bold(o.core),
      t.dim(fmt::format("pid {}{}", cc.info.pid, cc.info.args.empty() ? "" : ": " + cc.info.args)));
  fmt::print("  {} {}  {}  {}  {}\n", t.dim("signature"), t.bold(c.signature.id),
             model::to_string(c.kind), c.crash_category, t.severity(c.severity));
  fmt::print(
      "  {}     {}{}\n", t.dim("error"), c.exception_code,
      c.error_message.empty() || c.error_message == c.exception_code ? "" : "  " + c.error_message);
  fmt::print("  {}  {}  {}\n", t.dim("crash at"),
             t.cyan(c.crash_function.empty() ? "(unknown)" : c.crash_function), c.crash_location);
  if (c.is_bot_related) {
    fmt::print("  {}       {}\n", t.dim("bot"),
               t.yellow(c.bot_evidence.empty() ? "yes" : c.bot_evidence.front()));
  }
  fmt::print("  {}    {}\n", t.dim("because"), c.root_cause_hypothesis);
  for (const auto& s : c.fix_suggestions) {
    fmt::print("  {}    - {}\n", t.dim("fix    "), s);
  }
  if (const model::Thread* th = c.crashing_thread(); th && !th->frames.empty()) {
    fmt::print("  {} thread {}\n", t.dim("frames"), th->id);
    print_frames(t, c, *th, o.all_threads ? 1024 : 12);
  }
  if (o.all_threads) {
    for (const auto& th : c.threads) {
      if (&th != c.crashing_thread()) {
        fmt::print("  {} {}\n", t.dim("thread"), th.id);
        print_frames(t, c, th, 1024);
      }
    }
  } else if (c.threads.size() > 1) {
    fmt::print("  {}\n", t.dim(fmt::format("{} other thread(s): --all-threads shows them",
                                           c.threads.size() - 1)));
  }
  fmt::print("  {}  {}{}\n", t.dim("build-id"), cc.build_id.empty() ? "(none)" : cc.build_id,
             cc.executable.empty() ? "" : "  " + cc.executable);
  fmt::print("  {}   {}\n", t.dim("quality"),
             c.quality == "good" ? t.green(c.quality) : t.yellow(c.quality));
}

// $XDG_CACHE_HOME/crashpilot/debug, else ~/.cache/crashpilot/debug; "" when neither is known.
} // namespace

// --pid: the capture stage's freeze (every thread stopped at once, then resumed or detached) and
// the same printing as a core, so a live look and a post-mortem read alike.
static int symbolize_live(const Invocation& inv, const config::Config& config,
                          const triage::Rules& rules) {
  const SymbolizeOptions& o = inv.symbolize;
  auto options = capture::snapshot_settings(config);
  if (!options) {
    print_error(options.error());
    return exit_code::usage;
  }
  options->debug_dirs.insert(options->debug_dirs.end(), o.debug_dirs.begin(), o.debug_dirs.end());
  if (o.no_debug_cache) {
    options->debug_cache_dir.clear();
  } else if (!o.debug_cache.empty()) {
    options->debug_cache_dir = o.debug_cache;
  }
  auto frozen = capture::freeze_foreign(o.pid);
  if (!frozen) {
    print_error(frozen.error());
    return exit_code::failure;
  }
  auto snap = capture::take_snapshot(*frozen, 0, *options);
  if (!snap) {
    print_error(snap.error());
    return exit_code::failure;
  }
  CoreCrash cc;
  cc.info.pid = o.pid;
  cc.executable = capture::process_exe(o.pid);
  cc.modules = snap->modules;
  cc.build_id = snap->build_id;
  cc.notes = snap->problems;
  cc.crash.kind = model::Kind::freeze;
  cc.crash.exception_code = "SNAPSHOT";
  cc.crash.exception_name = "Live snapshot";
  cc.crash.error_message = fmt::format("live snapshot of process {} (stopped for {:.2f} ms)", o.pid,
                                       capture::as_ms(snap->frozen));
  cc.crash.threads = snap->threads;
  cc.crash.formats = {"live"};
  triage::triage(cc.crash, rules);
  SymbolizeOptions shown = o;
  shown.core = fmt::format("pid {}", o.pid);
  for (const auto& n : cc.notes) {
    print_warning(n);
  }
  if (inv.global.json) {
    print_json(shown, cc);
  } else {
    print_human(Terminal::detect(inv.global.color), shown, cc);
  }
  return exit_code::ok;
}

int run_symbolize(const Invocation& inv, const config::Config& config) {
  const SymbolizeOptions& o = inv.symbolize;
  if (o.core.empty() && o.pid == 0) {
    print_error("symbolize needs --core FILE (a core dump) or --pid PID (a running process)");
    return exit_code::usage;
  }
  for (const auto& d : o.debug_dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(d, ec)) {
      print_error(fmt::format("--debug-dir {}: no such directory", d));
      return exit_code::usage;
    }
  }
  auto rules = triage::Rules::from_config(config);
  if (!rules) {
    print_error(rules.error());
    return exit_code::usage;
  }
  if (o.pid > 0) {
    return symbolize_live(inv, config, *rules);
  }
  symbolize::SessionOptions so;
  so.debug_dirs = o.debug_dirs;
  so.debug_cache_dir = o.no_debug_cache         ? ""
                       : !o.debug_cache.empty() ? o.debug_cache
                                                : symbolize::default_debug_cache_dir();
  auto session = symbolize::Session::open_core(o.core, o.exe, so);
  if (!session) {
    print_error(session.error());
    return exit_code::no_crash;
  }
  auto cc = read_core(*session, o, *rules);
  if (!cc) {
    print_error(cc.error());
    return exit_code::failure;
  }
  for (const auto& n : cc->notes) {
    print_warning(n);
  }
  if (inv.global.json) {
    print_json(o, *cc);
  } else {
    print_human(Terminal::detect(inv.global.color), o, *cc);
  }
  return exit_code::ok;
}

} // namespace crashpilot::cli
