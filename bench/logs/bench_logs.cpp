// SPDX-License-Identifier: MIT
// The log follower against `tail -F -n0 FILE | grep -E 'ERROR|WARN'`, in one run, on the same
// writer (issue 4: ">= 1 M lines/s at <= 10% of a core, as a ratio against tail -F | grep").
//
// Writer (a child process): appends TrinityCore-like lines (~110 bytes: 4% ERROR and 3.5% WARN by
// level, 20% INFO/DEBUG lines carrying "[sql.sql] [ERROR]:", the rest plain INFO/DEBUG) to a file
// in 1 ms batches at --rate lines/s (0 = as fast as it can) for --seconds.
//
// Phase 1, crashpilot: a logs::Follower in this process follows the file with the trinitycore
// preset's [logs] patterns plus a heartbeat regex (0.1% of the lines are heartbeats). CPU = this
// process's rusage minus the main thread's own (the follower thread is the only other one); lag =
// when the follower had read every line, after the writer's last write; backlog sampled every 10
// ms. Phase 2, the same writer with `tail -F -n0 FILE | grep -E 'ERROR|WARN' > out` (both spawned
// here, rusage from wait4); done = tail's file offset at the end of the file, then grep's exit
// after tail is stopped. Both phases check the counts: every line read, every match found (the
// exit status is 1 otherwise). Then the processing alone: CPU ns per line through LineBuffer and
// Intake in this thread, no file, no wake-ups (steadier than the live figure on a busy machine).
//
// Run: build/release/bench/bench_logs [--seconds S] [--rate LINES_PER_S] (default 2 s at 1 M/s;
// the figure is --seconds 10); --follower-only / --processing-only for profiling.
#include <config/config.hpp>
#include <util/temp_dir.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <logs/follower.hpp>
#include <logs/intake.hpp>
#include <logs/line_buffer.hpp>
#include <logs/matcher.hpp>
#include <logs/options.hpp>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using namespace crashpilot;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double now_s() {
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

double cpu_s(const rusage& r) {
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

rusage usage(int who) {
  rusage r{};
  ::getrusage(who, &r);
  return r;
}

// ---- the lines ------------------------------------------------------------------------------

struct Corpus {
  std::vector<std::string> lines; // each starts with a 19-byte timestamp, ends with '\n'
  uint64_t matching = 0;          // lines containing ERROR or WARN, per lines.size()
  double mean_bytes = 0;
};

Corpus make_corpus() {
  Corpus c;
  uint64_t x = 0x2545F4914F6CDD1DULL;
  auto rnd = [&](uint64_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % n;
  };
  const char* spells[] = {"Frostbolt", "Fireball", "Shadow Bolt", "Heroic Strike", "Holy Light"};
  const char* reasons[] = {"SPELL_FAILED_OUT_OF_RANGE", "SPELL_FAILED_NOT_READY",
                           "SPELL_FAILED_LINE_OF_SIGHT", "SPELL_FAILED_NO_POWER"};
  size_t total = 0;
  for (int i = 0; i < 4000; ++i) {
    uint64_t kind = rnd(1000);
    std::string s = "2026-11-24_03:15:02 ";
    if (kind < 40) { // 4.0% ERROR by level
      s += fmt::format("ERROR [spells] Spell {} ({}) cast by Player-0x{:016X} failed: {}",
                       rnd(90000), spells[rnd(5)], rnd(1ULL << 40), reasons[rnd(4)]);
    } else if (kind < 75) { // 3.5% WARN by level
      s += fmt::format("WARN  [maps] Grid[{},{}] on map {} unloaded with {} active objects, "
                       "delayed by {} ms",
                       rnd(64), rnd(64), rnd(800), rnd(100), rnd(10000));
    } else if (kind < 275) { // 20% "[ERROR]:" inside INFO / DEBUG lines
      s += fmt::format("{} [sql.sql] [ERROR]: Table 'characters.character_aura' query {} "
                       "failed, retry {} of 3",
                       rnd(2) ? "INFO " : "DEBUG", rnd(1000000), rnd(3) + 1);
    } else if (kind < 276) { // 0.1%: the heartbeat line the watchdog waits for
      s += fmt::format("INFO  [server.worldserver] Heartbeat: world tick {}, {} sessions online, "
                       "{} maps active",
                       rnd(1000000), rnd(3000), rnd(60));
    } else if (kind < 640) {
      s += fmt::format("INFO  [server.worldserver] Update diff {} ms, sessions {}, bots {}, "
                       "maps {} updated fine",
                       rnd(200), rnd(3000), rnd(5000), rnd(60));
    } else {
      s += fmt::format("DEBUG [entities.unit] Creature {} (entry {}) moved to {}.{} {}.{} on "
                       "map {} by path",
                       rnd(900000), rnd(40000), rnd(9000), rnd(10), rnd(9000), rnd(10), rnd(800));
    }
    s += '\n';
    if (s.find("ERROR") != std::string::npos || s.find("WARN") != std::string::npos) {
      ++c.matching;
    }
    total += s.size();
    c.lines.push_back(std::move(s));
  }
  c.mean_bytes = static_cast<double>(total) / static_cast<double>(c.lines.size());
  return c;
}

uint64_t matching_in_first(const Corpus& c, uint64_t n) {
  uint64_t per_round = c.matching;
  uint64_t rounds = n / c.lines.size();
  uint64_t out = rounds * per_round;
  for (uint64_t i = 0; i < n % c.lines.size(); ++i) {
    const std::string& s = c.lines[i];
    out += (s.find("ERROR") != std::string::npos || s.find("WARN") != std::string::npos) ? 1u : 0u;
  }
  return out;
}

// ---- the writer (a child process) -----------------------------------------------------------

struct Shared {
  std::atomic<uint64_t> written{0};
  std::atomic<bool> done{false};
  double start = 0;
  double end = 0;
};

struct Writer {
  pid_t pid = -1;
  int go = -1; // write one byte to start it
};

// Forked while this process has one thread (before the follower starts, after it stopped).
Writer fork_writer(const std::string& path, const Corpus& corpus, double rate, double seconds,
                   Shared* shared) {
  int p[2];
  if (::pipe(p) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(1);
  }
  if (pid > 0) {
    ::close(p[0]);
    return {pid, p[1]};
  }
  ::close(p[1]);
  // The parent has no other thread at the fork: allocating here is safe, and keeps the buffer out
  // of the parent's peak RSS.
  std::vector<char> batch(size_t{64} << 20);
  char c = 0;
  if (::read(p[0], &c, 1) != 1) {
    ::_exit(1);
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) {
    ::_exit(1);
  }
  char stamp[20] = {};
  std::time_t stamp_second = 0;
  shared->start = now_s();
  double end_at = shared->start + seconds;
  uint64_t written = 0;
  timespec next{};
  ::clock_gettime(CLOCK_MONOTONIC, &next);
  while (true) {
    double t = now_s();
    if (t >= end_at) {
      break;
    }
    uint64_t due = rate > 0 ? static_cast<uint64_t>(rate * (t - shared->start)) : written + 20000;
    uint64_t n = due > written ? due - written : 0;
    std::time_t wall = std::time(nullptr);
    if (wall != stamp_second) {
      std::tm tm{};
      ::localtime_r(&wall, &tm);
      std::strftime(stamp, sizeof stamp, "%Y-%m-%d_%H:%M:%S", &tm);
      stamp_second = wall;
    }
    size_t len = 0;
    for (uint64_t k = 0; k < n && len + 512 < batch.size(); ++k, ++written) {
      const std::string& line = corpus.lines[written % corpus.lines.size()];
      std::memcpy(batch.data() + len, line.data(), line.size());
      std::memcpy(batch.data() + len, stamp, 19);
      len += line.size();
    }
    for (size_t off = 0; off < len;) {
      ssize_t w = ::write(fd, batch.data() + off, len - off);
      if (w <= 0) {
        ::_exit(2);
      }
      off += static_cast<size_t>(w);
    }
    shared->written.store(written);
    if (rate > 0) {
      next.tv_nsec += 1'000'000;
      if (next.tv_nsec >= 1'000'000'000) {
        next.tv_nsec -= 1'000'000'000;
        ++next.tv_sec;
      }
      ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr);
    }
  }
  shared->end = now_s();
  shared->done.store(true);
  ::close(fd);
  ::_exit(0);
}

void start_writer(Writer& w) {
  char c = 'g';
  if (::write(w.go, &c, 1) != 1) {
    std::perror("start writer");
    std::exit(1);
  }
  ::close(w.go);
}

void reap(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fmt::print(stderr, "writer failed (status {})\n", status);
    std::exit(1);
  }
}

struct Result {
  uint64_t lines = 0;
  uint64_t expected_lines = 0;
  uint64_t matched = 0;
  uint64_t expected_matches = 0;
  double writer_seconds = 0;
  double wall = 0; // writer start -> every line read (and matched)
  double lag = 0;  // after the writer's last write
  double cpu = 0;  // seconds
  double max_backlog_ms = 0;
  long rss_kb = 0;
};

// ---- phase 1: crashpilot's follower ---------------------------------------------------------

// The trinitycore preset's [logs] section.
logs::Options trinitycore_options() {
  config::LoadOptions lo;
  lo.preset = "trinitycore";
  lo.search_default_file = false;
  auto cfg = config::Config::load(lo);
  if (!cfg) {
    fmt::print(stderr, "config: {}\n", cfg.error());
    std::exit(1);
  }
  auto options = logs::from_config(*cfg);
  if (!options) {
    fmt::print(stderr, "config: {}\n", options.error());
    std::exit(1);
  }
  return *options;
}

Result run_follower(const std::string& dir, const Corpus& corpus, double rate, double seconds,
                    Shared* shared) {
  std::string path = dir + "/world.log";
  std::ofstream(path).close();
  Writer w = fork_writer(path, corpus, rate, seconds, shared);

  auto options = trinitycore_options();
  logs::SourceSpec spec;
  spec.name = "world.log";
  spec.path = path;
  spec.heartbeat = "Heartbeat: world tick \\d+";
  options.sources = {spec};
  auto follower = logs::Follower::create(options);
  if (!follower || !follower->start() || !follower->sync(std::chrono::seconds(5))) {
    fmt::print(stderr, "follower did not start\n");
    std::exit(1);
  }
  rusage self0 = usage(RUSAGE_SELF);
  rusage main0 = usage(RUSAGE_THREAD);
  start_writer(w);
  Result r;
  double backlog_max = 0;
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    uint64_t read = follower->status()[0].lines.lines;
    uint64_t written = shared->written.load();
    if (written > read && rate > 0) {
      backlog_max = std::max(backlog_max, static_cast<double>(written - read) / rate * 1000);
    }
    if (shared->done.load() && read >= written) {
      break;
    }
  }
  double caught_up = now_s();
  rusage self1 = usage(RUSAGE_SELF);
  rusage main1 = usage(RUSAGE_THREAD);
  reap(w.pid);
  auto st = follower->status()[0];
  r.lines = st.lines.lines;
  r.expected_lines = shared->written.load();
  r.matched = st.lines.errors + st.lines.warnings;
  r.expected_matches = matching_in_first(corpus, r.expected_lines);
  r.writer_seconds = shared->end - shared->start;
  r.wall = caught_up - shared->start;
  r.lag = caught_up - shared->end;
  r.cpu = (cpu_s(self1) - cpu_s(self0)) - (cpu_s(main1) - cpu_s(main0));
  r.max_backlog_ms = backlog_max;
  r.rss_kb = self1.ru_maxrss;
  if (!follower->last_match_time("world.log")) {
    fmt::print(stderr, "the heartbeat was never seen\n");
    std::exit(1);
  }
  follower->stop();
  fs::remove(path);
  return r;
}

// ---- the processing alone: no file, no thread ----------------------------------------------

// CPU nanoseconds per line for cleaning, stamping, classifying and keeping lines handed over in
// 256 KiB reads, the best of five passes over the corpus repeated to `lines` lines. Separates the
// follower's own work from reading and waking up, and is steadier than the live run on a busy box.
double process_ns_per_line(const Corpus& corpus, const logs::Options& options, uint64_t lines) {
  std::string text;
  for (uint64_t i = 0; i < lines; ++i) {
    text += corpus.lines[i % corpus.lines.size()];
  }
  double best = 1e18;
  for (int pass = 0; pass < 5; ++pass) {
    std::vector<logs::TaggedPattern> tagged;
    for (const auto& p : options.error_patterns) {
      tagged.push_back({p, logs::tag_error, "e"});
    }
    for (const auto& p : options.warn_patterns) {
      tagged.push_back({p, logs::tag_warn, "w"});
    }
    tagged.push_back({options.freeze_regex, logs::tag_freeze, "f"});
    tagged.push_back({"Heartbeat: world tick \\d+", logs::tag_heartbeat, "h"});
    auto matcher = logs::Matcher::compile(tagged);
    uint64_t seq = 0;
    logs::Intake intake("bench", &*matcher, options.limits, &seq);
    logs::LineBuffer buffer(options.read_bytes, options.limits.max_line_bytes);
    timespec t0{};
    timespec t1{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    intake.set_arrival(std::chrono::system_clock::now());
    for (size_t off = 0; off < text.size();) {
      auto space = buffer.space();
      size_t n = std::min(options.read_bytes, std::min(space.size(), text.size() - off));
      std::memcpy(space.data(), text.data() + off, n);
      buffer.commit(n, intake);
      off += n;
    }
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double ns = static_cast<double>(t1.tv_sec - t0.tv_sec) * 1e9 +
                static_cast<double>(t1.tv_nsec - t0.tv_nsec);
    best = std::min(best, ns / static_cast<double>(lines));
  }
  return best;
}

void print_processing(const Corpus& corpus) {
  double ns = process_ns_per_line(corpus, trinitycore_options(), 2'000'000);
  fmt::print("processing alone (one thread, no I/O, best of 5): {:.0f} ns per line = {:.1f}% of a "
             "core at 1 M lines/s\n",
             ns, ns / 10);
}

// ---- phase 2: tail -F | grep ----------------------------------------------------------------

pid_t spawn(const std::vector<std::string>& argv, int in, int out) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (in >= 0) {
    posix_spawn_file_actions_adddup2(&fa, in, 0);
  }
  if (out >= 0) {
    posix_spawn_file_actions_adddup2(&fa, out, 1);
  }
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    fmt::print(stderr, "cannot run {}: {}\n", argv[0], std::strerror(rc));
    std::exit(1);
  }
  return pid;
}

// The descriptor `pid` has `path` open on, or -1.
int fd_of(pid_t pid, const std::string& path) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fmt::format("/proc/{}/fd", pid), ec)) {
    std::error_code ec2;
    if (fs::read_symlink(e.path(), ec2) == path) {
      return std::atoi(e.path().filename().c_str());
    }
  }
  return -1;
}

// Peak resident set of a running process (after its exec), in KiB.
long peak_rss_kb(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string key;
  while (in >> key) {
    if (key == "VmHWM:") {
      long kb = 0;
      in >> kb;
      return kb;
    }
  }
  return 0;
}

uint64_t offset_of(pid_t pid, int fd) {
  std::ifstream in(fmt::format("/proc/{}/fdinfo/{}", pid, fd));
  std::string key;
  uint64_t pos = 0;
  while (in >> key) {
    if (key == "pos:") {
      in >> pos;
      return pos;
    }
  }
  return 0;
}

Result run_tail_grep(const std::string& dir, const Corpus& corpus, double rate, double seconds,
                     Shared* shared) {
  std::string path = dir + "/world-tail.log";
  std::string out_path = dir + "/matches.txt";
  std::ofstream(path).close();
  Writer w = fork_writer(path, corpus, rate, seconds, shared);
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    std::perror("pipe");
    std::exit(1);
  }
  int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  pid_t tail = spawn({"tail", "-F", "-n0", path}, -1, p[1]);
  pid_t grep = spawn({"grep", "-E", "ERROR|WARN"}, p[0], out);
  ::close(p[0]);
  ::close(p[1]);
  ::close(out);
  int tail_fd = -1;
  for (int i = 0; i < 500 && tail_fd < 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    tail_fd = fd_of(tail, fs::canonical(path).string());
  }
  if (tail_fd < 0) {
    fmt::print(stderr, "tail did not open {}\n", path);
    std::exit(1);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100)); // its inotify watch is set up
  start_writer(w);
  Result r;
  double backlog_max = 0;
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    uint64_t size = fs::file_size(path);
    uint64_t pos = offset_of(tail, tail_fd);
    if (size > pos && rate > 0) {
      double lines_behind = static_cast<double>(size - pos) / corpus.mean_bytes;
      backlog_max = std::max(backlog_max, lines_behind / rate * 1000);
    }
    if (shared->done.load() && pos >= fs::file_size(path)) {
      break;
    }
  }
  reap(w.pid);
  // wait4's ru_maxrss would count this process too (posix_spawn shares it until exec).
  r.rss_kb = peak_rss_kb(tail) + peak_rss_kb(grep);
  // tail has read everything; stopping it lets grep see the end of its input and flush.
  ::kill(tail, SIGTERM);
  rusage tail_use{};
  rusage grep_use{};
  int status = 0;
  ::wait4(tail, &status, 0, &tail_use);
  ::wait4(grep, &status, 0, &grep_use);
  double done = now_s();
  r.expected_lines = shared->written.load();
  r.lines = r.expected_lines; // tail's offset reached the end of the file
  std::ifstream in(out_path);
  std::string line;
  while (std::getline(in, line)) {
    ++r.matched;
  }
  r.expected_matches = matching_in_first(corpus, r.expected_lines);
  r.writer_seconds = shared->end - shared->start;
  r.wall = done - shared->start;
  r.lag = done - shared->end;
  r.cpu = cpu_s(tail_use) + cpu_s(grep_use);
  r.max_backlog_ms = backlog_max;
  fs::remove(path);
  fs::remove(out_path);
  return r;
}

void print(const char* name, const Result& r) {
  fmt::print("{:<26} {:>11.0f} {:>8.1f}% {:>9.0f} {:>10.0f} {:>8} {:>10}/{:<10} {:>8}\n", name,
             static_cast<double>(r.lines) / r.wall, 100.0 * r.cpu / r.wall, r.lag * 1000,
             r.max_backlog_ms, r.rss_kb / 1024, r.matched, r.expected_matches,
             r.lines == r.expected_lines && r.matched == r.expected_matches ? "ok" : "MISMATCH");
}

} // namespace

int main(int argc, char** argv) {
  double seconds = 2;
  double rate = 1'000'000;
  bool tail_too = true;         // --follower-only: skip the tail | grep phase (for profiling)
  bool processing_only = false; // --processing-only: the in-thread figure alone (for profiling)
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (a == "--rate" && i + 1 < argc) {
      rate = std::atof(argv[++i]);
    } else if (a == "--follower-only") {
      tail_too = false;
    } else if (a == "--processing-only") {
      processing_only = true;
    } else {
      fmt::print(stderr,
                 "usage: bench_logs [--seconds S] [--rate LINES_PER_SECOND (0: unthrottled)] "
                 "[--follower-only | --processing-only]\n");
      return 2;
    }
  }
  auto dir = util::TempDir::create("crashpilot-bench-logs-");
  if (!dir) {
    fmt::print(stderr, "{}\n", dir.error());
    return 1;
  }
  Corpus corpus = make_corpus();
  auto* shared = static_cast<Shared*>(
      ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  if (shared == MAP_FAILED) {
    std::perror("mmap");
    return 1;
  }
  fmt::print("writer: {} lines/s for {} s, {:.0f} bytes/line, {:.1f}% of lines match ERROR|WARN\n",
             rate > 0 ? fmt::format("{:.0f}", rate) : "unthrottled", seconds, corpus.mean_bytes,
             100.0 * static_cast<double>(corpus.matching) /
                 static_cast<double>(corpus.lines.size()));

  new (shared) Shared();
  if (processing_only) {
    print_processing(corpus);
    return 0;
  }
  Result ours = run_follower(dir->path(), corpus, rate, seconds, shared);
  double ours_rate = static_cast<double>(ours.expected_lines) / ours.writer_seconds;
  if (!tail_too) {
    print("crashpilot logs::Follower", ours);
    print_processing(corpus);
    return 0;
  }
  new (shared) Shared();
  Result ref = run_tail_grep(dir->path(), corpus, rate, seconds, shared);
  double ref_rate = static_cast<double>(ref.expected_lines) / ref.writer_seconds;

  fmt::print("writer achieved: {:.0f} lines/s (follower run), {:.0f} lines/s (tail|grep run)\n\n",
             ours_rate, ref_rate);
  fmt::print("{:<26} {:>11} {:>9} {:>9} {:>10} {:>8} {:>21} {:>8}\n", "reader", "lines/s", "CPU",
             "lag ms", "backlog ms", "RSS MB", "matched/expected", "counts");
  print("crashpilot logs::Follower", ours);
  print("tail -F | grep -E", ref);
  print_processing(corpus);
  double ours_cpu = ours.cpu / ours.wall;
  double ref_cpu = ref.cpu / ref.wall;
  fmt::print("\nCPU ratio follower / (tail + grep): {:.2f}x; lag ratio: {:.2f}x\n",
             ours_cpu / ref_cpu, ours.lag / ref.lag);
  if (rate <= 0) {
    fmt::print("unthrottled: the writer sets the pace; the target is judged at --rate 1000000\n");
  } else {
    bool fast = static_cast<double>(ours.lines) / ours.wall >= 0.99 * std::min(rate, 1e6);
    fmt::print("target >= 1 M lines/s at <= 10% of a core: {:.2f} M lines/s at {:.1f}%: {}\n",
               static_cast<double>(ours.lines) / ours.wall / 1e6, 100 * ours_cpu,
               rate >= 1e6 && fast && ours_cpu <= 0.10 ? "met" : "not met");
  }
  bool counts_ok = ours.lines == ours.expected_lines && ours.matched == ours.expected_matches &&
                   ref.matched == ref.expected_matches;
  ::munmap(shared, sizeof(Shared));
  return counts_ok ? 0 : 1;
}
