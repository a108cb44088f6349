// SPDX-License-Identifier: MIT
// Symbolizing a core: crashpilot's Session (open_core + unwind + symbolize every thread) against
// `eu-stack -i -s --core` and `gdb -batch -ex 'thread apply all bt'` on the same core, in the same
// run, interleaved round by round so load from other processes hits every tool alike.
//
// Usage: bench_symbolize [--exe BINARY] [--args "ARGS"] [--core CORE] [--runs N] [--expect TEXT]
//                        [--debug-dir DIR]...
//   --exe      the program (default: tests/programs/symbolize_crash, run as `symbolize_crash
//   crash`);
//              for the reference case pass the bench-server:
//              --exe .../bench-server-220/server --args "--crash-after-ms 1000" --expect ChainStep
//   --args     its arguments, split on spaces
//   --core     an existing core of it (default: one is made with gdb's gcore in a temp directory)
//   --runs     measured runs per tool after one warm-up round (default 10); the table gives medians
//   --expect   text every tool's output must hold, so a tool that failed is not timed as fast
//
// Each crashpilot run is a forked child, so its peak RSS (wait4's ru_maxrss) is that run's alone;
// the first row gives what a child that does nothing costs. crashpilot runs twice per round:
// without a debug cache (what eu-stack and gdb do: inflate compressed debug files such as
// libc6-dbg's every time) and with one (debug_cache.hpp; warmed by the warm-up round). The tools
// run with DEBUGINFOD_URLS unset: none of them may wait on the network.
#include <util/temp_dir.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <symbolize/session.hpp>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

extern char** environ;

namespace {

using namespace crashpilot;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string exe = SYMBOLIZE_PROGRAM;
  std::vector<std::string> args = {"crash"};
  std::string core;
  int runs = 10;
  std::string expect = "symbolize_test::Damage";
  std::vector<std::string> debug_dirs;
};

struct Sample {
  double ms = 0;
  double rss_mb = 0;
};

struct Tool {
  std::string name;
  std::vector<std::string> argv; // empty: crashpilot in process
  std::vector<Sample> samples;
  std::string cache_dir; // crashpilot in process: the debug cache ("" = none)
};

[[noreturn]] void die(const std::string& message) {
  fmt::print(stderr, "bench_symbolize: error: {}\n", message);
  std::exit(2);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) {
      j = s.size();
    }
    if (j > i) {
      out.push_back(s.substr(i, j - i));
    }
    i = j + 1;
  }
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  bool custom_exe = false;
  bool custom_expect = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        die(a + " needs a value");
      }
      return argv[++i];
    };
    if (a == "--exe") {
      o.exe = value();
      custom_exe = true;
    } else if (a == "--args") {
      o.args = split(value());
    } else if (a == "--core") {
      o.core = value();
    } else if (a == "--runs") {
      o.runs = std::atoi(value().c_str());
    } else if (a == "--expect") {
      o.expect = value();
      custom_expect = true;
    } else if (a == "--debug-dir") {
      o.debug_dirs.push_back(value());
    } else {
      die("unknown argument '" + a +
          "' (see the comment at the top of bench/symbolize/bench_symbolize.cpp)");
    }
  }
  if (custom_exe && !custom_expect) {
    o.expect.clear();
  }
  if (o.runs < 1) {
    die("--runs must be at least 1");
  }
  return o;
}

std::vector<char*> environment_without_debuginfod() {
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "DEBUGINFOD_URLS=", 16) != 0) {
      env.push_back(*e);
    }
  }
  env.push_back(nullptr);
  return env;
}

// Runs argv with stdout to `out_path`; wall time and the peak RSS of the process.
Sample run_process(const std::vector<std::string>& argv, const std::string& out_path) {
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  auto env = environment_without_debuginfod();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  auto start = Clock::now();
  if (posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), env.data()) != 0) {
    die("cannot start " + argv[0]);
  }
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  Sample s;
  s.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  s.rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;
  return s;
}

std::string read_all(const std::string& path) {
  std::string out;
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) {
    return out;
  }
  char buf[65536];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) {
    out.append(buf, n);
  }
  std::fclose(f);
  return out;
}

struct Breakdown {
  double open_ms = 0, unwind_ms = 0, symbolize_ms = 0, cached_ms = 0;
  size_t threads = 0, frames = 0;
};

// The in-process measurement itself: every step on a fresh Session. The text of all frames goes to
// `out` so it is checked like the other tools' output.
Breakdown symbolize_core(const Options& o, const std::string& core, const std::string& cache_dir,
                         std::string* out) {
  auto ms = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  Breakdown b;
  auto t0 = Clock::now();
  auto session = symbolize::Session::open_core(core, o.exe,
                                               symbolize::SessionOptions{o.debug_dirs, cache_dir});
  if (!session) {
    die(session.error());
  }
  auto t1 = Clock::now();
  auto raw = session->unwind();
  if (!raw) {
    die(raw.error());
  }
  auto t2 = Clock::now();
  for (const auto& rt : *raw) {
    model::Thread t = session->symbolize(rt);
    b.frames += t.frames.size();
    for (const auto& f : t.frames) {
      if (out != nullptr) {
        *out += fmt::format("{} {}:{}\n", f.function, f.file, f.line);
      }
    }
  }
  auto t3 = Clock::now();
  for (const auto& rt : *raw) {
    session->symbolize(rt);
  }
  auto t4 = Clock::now();
  b.threads = raw->size();
  b.open_ms = ms(t0, t1);
  b.unwind_ms = ms(t1, t2);
  b.symbolize_ms = ms(t2, t3);
  b.cached_ms = ms(t3, t4);
  return b;
}

// One crashpilot run in a forked child: the time comes back through a pipe, the RSS from wait4.
Sample run_in_child(const Options& o, const std::string& core, const std::string& out_path,
                    bool work, const std::string& cache_dir) {
  int fds[2];
  if (pipe(fds) != 0) {
    die("pipe failed");
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    double ms = 0;
    if (work) {
      std::string text;
      auto start = Clock::now();
      symbolize_core(o, core, cache_dir, &text);
      ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      FILE* f = std::fopen(out_path.c_str(), "w");
      if (f != nullptr) {
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
      }
    }
    if (write(fds[1], &ms, sizeof ms) != static_cast<ssize_t>(sizeof ms)) {
      _exit(1);
    }
    _exit(0);
  }
  close(fds[1]);
  Sample s;
  if (read(fds[0], &s.ms, sizeof s.ms) != static_cast<ssize_t>(sizeof s.ms)) {
    die("the measuring child died");
  }
  close(fds[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  s.rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;
  return s;
}

Sample median(std::vector<Sample> v) {
  auto mid = [&](auto key) {
    std::sort(v.begin(), v.end(),
              [&](const Sample& a, const Sample& b) { return key(a) < key(b); });
    return v.size() % 2 == 1 ? key(v[v.size() / 2])
                             : (key(v[v.size() / 2 - 1]) + key(v[v.size() / 2])) / 2;
  };
  Sample m;
  m.ms = mid([](const Sample& s) { return s.ms; });
  m.rss_mb = mid([](const Sample& s) { return s.rss_mb; });
  return m;
}

} // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  auto dir = util::TempDir::create("crashpilot-bench-symbolize-");
  if (!dir) {
    die(dir.error());
  }
  std::string core = o.core;
  if (core.empty()) {
    core = dir->path() + "/core";
    std::vector<std::string> gdb = {
        "gdb", "-batch",        "-nx",    "-iex", "set debuginfod enabled off", "-ex", "run",
        "-ex", "gcore " + core, "--args", o.exe};
    gdb.insert(gdb.end(), o.args.begin(), o.args.end());
    fmt::print("making a core of {} with gdb ...\n", o.exe);
    run_process(gdb, dir->path() + "/gdb-gcore.txt");
    if (access(core.c_str(), R_OK) != 0) {
      die("gdb made no core of " + o.exe + " (does it crash with these --args?)");
    }
  }
  Breakdown b = symbolize_core(o, core, "", nullptr);
  fmt::print("core {}: {} threads, {} frames (inline frames counted)\n", core, b.threads, b.frames);
  fmt::print("one crashpilot run in this process: open_core {:.2f} ms, unwind {:.2f} ms, symbolize "
             "{:.2f} ms, "
             "again from the caches {:.3f} ms\n\n",
             b.open_ms, b.unwind_ms, b.symbolize_ms, b.cached_ms);

  // The debug cache (uncompressed copies of compressed debug files) is warmed by round 0.
  std::string cache = dir->path() + "/debug-cache";
  std::vector<Tool> tools;
  tools.push_back({"(fork of this bench, no work)", {"-"}, {}, ""});
  tools.push_back({"crashpilot Session", {}, {}, ""});
  tools.push_back({"crashpilot Session, debug cache", {}, {}, cache});
  tools.push_back({"crashpilot symbolize --json",
                   {CRASHPILOT_BINARY, "symbolize", "--json", "--core", core, "--exe", o.exe,
                    "--debug-cache", cache},
                   {},
                   ""});
  tools.push_back({"eu-stack -i -s --core",
                   {"eu-stack", "-i", "-s", "--core", core, "--executable", o.exe},
                   {},
                   ""});
  tools.push_back({"gdb thread apply all bt",
                   {"gdb", "-batch", "-nx", "-iex", "set debuginfod enabled off", "-ex",
                    "thread apply all bt", o.exe, core},
                   {},
                   ""});
  for (const auto& d : o.debug_dirs) {
    tools[3].argv.push_back("--debug-dir");
    tools[3].argv.push_back(d);
    tools[4].argv.push_back("--debuginfo-path=+:.debug:/usr/lib/debug:" + d);
  }
  if (access(CRASHPILOT_BINARY, X_OK) != 0) {
    tools.erase(tools.begin() + 3);
  }
  for (int round = 0; round <= o.runs; ++round) {
    for (auto& tool : tools) {
      std::string out = dir->path() + "/out.txt";
      bool idle = !tool.argv.empty() && tool.argv[0] == "-";
      Sample s;
      if (tool.argv.empty() || idle) {
        s = run_in_child(o, core, out, !idle, tool.cache_dir);
      } else {
        s = run_process(tool.argv, out);
      }
      if (!o.expect.empty() && !idle && read_all(out).find(o.expect) == std::string::npos) {
        die(fmt::format("{}: the output lacks '{}' (its output: {})", tool.name, o.expect,
                        read_all(out).substr(0, 2000)));
      }
      if (round > 0) { // round 0 warms the page cache
        tool.samples.push_back(s);
      }
    }
  }

  fmt::print(
      "crashpilot Session = open_core + unwind + symbolize every thread, in a forked child\n\n");
  fmt::print("{:<34} {:>10} {:>17} {:>12}\n", "tool", "p50 ms", "min-max ms", "peak RSS MB");
  std::map<std::string, Sample> med;
  for (const auto& tool : tools) {
    Sample m = median(tool.samples);
    auto [lo, hi] =
        std::minmax_element(tool.samples.begin(), tool.samples.end(),
                            [](const Sample& x, const Sample& y) { return x.ms < y.ms; });
    fmt::print("{:<34} {:>10.1f} {:>8.1f}-{:<8.1f} {:>12.1f}\n", tool.name, m.ms, lo->ms, hi->ms,
               m.rss_mb);
    med[tool.name] = m;
  }
  const Sample& cp = med["crashpilot Session"];
  fmt::print("\nratios, crashpilot Session (no debug cache) = 1 ({} runs each, medians):\n",
             o.runs);
  for (const auto& tool : tools) {
    if (tool.name == "crashpilot Session" || (!tool.argv.empty() && tool.argv[0] == "-")) {
      continue;
    }
    const Sample& m = med[tool.name];
    fmt::print("  {:<32} {:6.2f}x the time   {:6.2f}x the peak RSS\n", tool.name, m.ms / cp.ms,
               m.rss_mb / cp.rss_mb);
  }
  return 0;
}
