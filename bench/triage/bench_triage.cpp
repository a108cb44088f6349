// SPDX-License-Identifier: MIT
// Parse + triage throughput against `wc -l` on the same files, in the same run.
//
// Inputs (generated, deterministic): a 5 MB all-threads WheatyExceptionReport and a 50 MB server log
// with one report inside. For each file three timings: crashpilot's parse+triage in this process,
// the `crashpilot triage` command as a process, and `wc -l` as a process. Target: <= 3x wc -l.
#include "generate.hpp"

#include <config/config.hpp>
#include <parse/parser.hpp>
#include <triage/triage.hpp>
#include <util/file.hpp>

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <fcntl.h>
#include <fmt/format.h>
#include <map>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

using namespace crashpilot;

struct Input {
  std::string name;
  std::string path;
  std::string text;
};

std::vector<Input>& inputs() {
  static std::vector<Input> all;
  return all;
}

const triage::Rules& rules() {
  static triage::Rules compiled = [] {
    config::LoadOptions o;
    o.search_default_file = false;
    auto c = config::Config::load(o);
    auto r = triage::Rules::from_config(*c);
    return std::move(r.value());
  }();
  return compiled;
}

void run_process(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  if (posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) {
    std::abort();
  }
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  waitpid(pid, &status, 0);
}

void bm_in_process(benchmark::State& state, size_t which) {
  const Input& in = inputs()[which];
  size_t crashes = 0;
  for (auto _ : state) {
    auto result = parse::parse_text(in.text);
    for (auto& c : result.crashes) {
      triage::triage(c, rules());
    }
    crashes = result.crashes.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["crashes"] = static_cast<double>(crashes);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(in.text.size()));
}

void bm_command(benchmark::State& state, size_t which) {
  for (auto _ : state) {
    run_process({CRASHPILOT_BINARY, "triage", "--json", inputs()[which].path});
  }
}

void bm_wc(benchmark::State& state, size_t which) {
  for (auto _ : state) {
    run_process({"wc", "-l", inputs()[which].path});
  }
}

// Collects each run's wall time per iteration so the ratios can be printed after the table.
class RatioReporter : public benchmark::ConsoleReporter {
public:
  std::map<std::string, double> seconds;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs) {
      seconds[r.run_name.function_name] = r.GetAdjustedRealTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

} // namespace

int main(int argc, char** argv) {
  std::string dir = fmt::format("/tmp/crashpilot-bench-{}", getpid());
  std::system(fmt::format("mkdir -p {}", dir).c_str());
  inputs().push_back({"wheaty_5MB", dir + "/wheaty.txt", bench::wheaty_all_threads(size_t{5} << 20)});
  inputs().push_back({"log_50MB", dir + "/server.log", bench::log_with_report(size_t{50} << 20)});
  for (const auto& in : inputs()) {
    if (!util::write_file_atomic(in.path, in.text)) {
      fmt::print(stderr, "cannot write {}\n", in.path);
      return 1;
    }
  }
  for (size_t i = 0; i < inputs().size(); ++i) {
    const std::string& n = inputs()[i].name;
    benchmark::RegisterBenchmark((n + "/parse+triage (in process)").c_str(), bm_in_process, i)->Unit(benchmark::kMillisecond)->MinTime(1.0);
    benchmark::RegisterBenchmark((n + "/crashpilot triage (process)").c_str(), bm_command, i)->Unit(benchmark::kMillisecond)->MinTime(1.0)->UseRealTime();
    benchmark::RegisterBenchmark((n + "/wc -l (process)").c_str(), bm_wc, i)->Unit(benchmark::kMillisecond)->MinTime(1.0)->UseRealTime();
  }
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  fmt::print("\nratios against wc -l on the same file (target <= 3.0):\n");
  for (const auto& in : inputs()) {
    auto get = [&](const std::string& what) {
      auto it = reporter.seconds.find(in.name + "/" + what);
      return it == reporter.seconds.end() ? 0.0 : it->second;
    };
    double wc = get("wc -l (process)");
    if (wc <= 0) {
      continue;
    }
    fmt::print("  {:<11} parse+triage in process {:6.2f}x   crashpilot triage command {:6.2f}x   (wc -l {:.2f} ms)\n",
               in.name, get("parse+triage (in process)") / wc, get("crashpilot triage (process)") / wc, wc);
  }
  std::system(fmt::format("rm -rf {}", dir).c_str());
  return 0;
}
