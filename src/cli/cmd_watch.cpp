// SPDX-License-Identifier: MIT
// `crashpilot watch DIR... [--once] [--interval-ms N]`: follow crash directories (TrinityCore's
// Crashes/ with Wheaty .txt + .dmp pairs, a directory of gdb logs) and ingest each new report once,
// after it stopped growing. Ingested files are remembered in the store, so a restart skips them.
#include <cli/commands.hpp>
#include <cli/ingest.hpp>
#include <util/file.hpp>
#include <util/stable_files.hpp>
#include <util/string.hpp>

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <set>

namespace crashpilot::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int /*signal*/) {
  g_stop = 1;
}

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; // no SA_RESTART: a sleep ends at once
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

// Sleeps `ms` unless a stop signal comes first.
void sleep_ms(int ms) {
  timespec ts{ms / 1000, static_cast<long>(ms % 1000) * 1000000L};
  while (!g_stop && ::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

// Report files only: not the minidumps beside Wheaty reports, not hidden files, not temporary files
// (crashpilot's own `<name>.tmp.<pid>.<n>`, editors' and copiers' `.tmp`, `.part`, `~`).
bool is_report_name(std::string_view name) {
  std::string lower = util::to_lower(name);
  if (name.starts_with('.') || name.ends_with('~') || util::atomic_temp_owner(name)) {
    return false;
  }
  for (std::string_view ext :
       {".dmp", ".mdmp", ".tmp", ".part", ".partial", ".crdownload", ".swp", ".lock", ".core"}) {
    if (lower.ends_with(ext)) {
      return false;
    }
  }
  return true;
}

struct Watcher {
  const Invocation& inv;
  Workspace& ws;
  Terminal t;
  bool progress = false;
  size_t ingested = 0;
  size_t crashes = 0;

  // Ingests one stable file unless the store already has this version of it.
  util::Expected<void> handle(const util::FileVersion& f) {
    auto known = ws.store->file_ingested(f.path, f.size, f.mtime_ns);
    if (!known) {
      return util::error(known.error());
    }
    if (*known) {
      return {};
    }
    clear_progress();
    TriagedInput triaged =
        triage_input(f.path, InputOptions{inv.watch.max_input_mb, true}, ws.rules);
    if (triaged.crashes.empty()) {
      print_not_ingested(t, inv.global.json, f.path, triaged);
    } else {
      auto done = ingest_input(ws, triaged, f.path);
      if (!done) {
        return util::error(done.error());
      }
      for (const auto& ic : *done) {
        print_ingested(t, inv.global.json, f.path, triaged, ic);
      }
      crashes += done->size();
    }
    std::fflush(stdout);
    ++ingested;
    return ws.store->mark_file_ingested(f.path, f.size, f.mtime_ns,
                                        static_cast<int64_t>(triaged.crashes.size()),
                                        store::now_seconds());
  }

  void show_progress(size_t pending) {
    if (progress) {
      fmt::print(
          stderr,
          "\rcrashpilot: watching {} dir(s): {} report(s) ingested, {} crash(es), {} settling   ",
          inv.watch.dirs.size(), ingested, crashes, pending);
      std::fflush(stderr);
    }
  }
  void clear_progress() {
    if (progress) {
      fmt::print(stderr, "\r\033[K");
    }
  }
};

} // namespace

int run_watch(const Invocation& inv, const config::Config& config) {
  for (const std::string& dir : inv.watch.dirs) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      print_error(fmt::format("{}: not a directory", dir));
      return exit_code::usage;
    }
  }
  int code = exit_code::ok;
  auto ws = open_workspace(inv, config, {}, code);
  if (!ws) {
    return code;
  }
  install_stop_handlers();
  Watcher w{inv,
            *ws,
            Terminal::detect(inv.global.color),
            !inv.global.json && ::isatty(STDERR_FILENO) == 1,
            0,
            0};
  util::StableFiles files(is_report_name);
  std::set<std::string> warned;
  // --once looks twice (stability needs two looks), ingests what settled, and stops.
  for (int pass = 0; !g_stop; ++pass) {
    std::vector<std::string> errors;
    for (const util::FileVersion& f : files.poll(inv.watch.dirs, errors)) {
      if (g_stop) {
        break;
      }
      if (auto r = w.handle(f); !r) {
        w.clear_progress();
        print_error(r.error());
        return exit_code::failure;
      }
    }
    for (const auto& e : errors) {
      if (warned.insert(e).second) {
        w.clear_progress();
        print_warning(e);
      }
    }
    w.show_progress(files.pending());
    if (inv.watch.once && pass >= 1) {
      break;
    }
    sleep_ms(inv.watch.interval_ms);
  }
  w.clear_progress();
  if (!inv.global.json) {
    fmt::print(stderr, "crashpilot: watch: {} report(s) ingested, {} crash(es) recorded\n",
               w.ingested, w.crashes);
  }
  return exit_code::ok;
}

} // namespace crashpilot::cli
