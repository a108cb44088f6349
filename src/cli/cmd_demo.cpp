// SPDX-License-Identifier: MIT
// `crashpilot demo`: the whole loop on the bundled sample game server (examples/sample-server), in
// a directory of its own: a git repository with a short history, built, supervised in auto mode
// with the recorded agent session (or a real agent), until both of its bugs are fixed.
#include <cli/agent_setup.hpp>
#include <cli/commands.hpp>
#include <cli/loop_cli.hpp>
#include <cli/terminal.hpp>
#include <cli/workspace.hpp>
#include <util/child_process.hpp>
#include <util/file.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <loop/loop.hpp>
#include <store/store.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>

#ifndef CRASHPILOT_SOURCE_DIR
#define CRASHPILOT_SOURCE_DIR ""
#endif

namespace crashpilot::cli {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// examples/sample-server: beside the binary's source tree (a build directory inside it), or where
// the build came from.
std::string find_examples() {
  if (const char* env = std::getenv("CRASHPILOT_EXAMPLES"); env != nullptr && *env != '\0') {
    return env;
  }
  fs::path p = fs::path(self_exe()).parent_path();
  for (int i = 0; i < 5 && !p.empty(); ++i, p = p.parent_path()) {
    if (fs::exists(p / "examples/sample-server/history.sh")) {
      return (p / "examples/sample-server").string();
    }
  }
  fs::path src = fs::path(CRASHPILOT_SOURCE_DIR) / "examples/sample-server";
  return fs::exists(src / "history.sh") ? src.string() : std::string();
}

std::string toml_string(const std::string& s) {
  return nlohmann::json(s).dump();
}

std::string demo_config(const std::string& examples, const std::string& dir,
                        const std::string& agent) {
  std::string server = dir + "/server";
  std::string recorded = examples + "/recorded";
  return fmt::format(
      R"toml(# Written by `crashpilot demo`: the sample server's settings over the TrinityCore preset.
preset = "trinitycore"

[server]
command = ["build/worldserver", "--bots", "64"]
cwd = {server}

[capture]
crash_dir = {dir_crashes}
backoff_initial_ms = 200
crash_loop_count = 3

[queue]
root = {dir_queue}
repo_root = {server}

[store]
path = {dir_db}

[policy]
allowed_paths = ['src/modules/**', 'src/server/game/**']
forbidden_paths = ['.git/**', 'src/server/shared/**']

[fix]
build = [["make", "-C", "{{worktree}}", "-j", "{{jobs}}"]]
worktree_dir = {dir_worktrees}
build_timeout_seconds = 600

[verify]
server_command = []
soak_confidence = 0.95
soak_min_seconds = 3
soak_max_seconds = 30

[analyze]
run_dir = {dir_runs}
max_attempts_per_bucket = 4

[loop]
mode = "auto"
agent = {agent}

[agents.recorded]
argv = [{agent_exe}, "--session", {session}, "--state", {state}, "--request", "{{request_file}}", "--response", "{{response_path}}"]
prompt = "stdin"
output = "text"
edits = false
mcp = false
)toml",
      fmt::arg("server", toml_string(server)),
      fmt::arg("dir_crashes", toml_string(dir + "/crashes")),
      fmt::arg("dir_queue", toml_string(dir + "/queue")),
      fmt::arg("dir_db", toml_string(dir + "/crashpilot.db")),
      fmt::arg("dir_worktrees", toml_string(dir + "/worktrees")),
      fmt::arg("dir_runs", toml_string(dir + "/runs")), fmt::arg("agent", toml_string(agent)),
      fmt::arg("agent_exe", toml_string(recorded + "/agent")),
      fmt::arg("session", toml_string(recorded + "/session.json")),
      fmt::arg("state", toml_string(dir + "/recorded-state")));
}

// With --json, stdout carries the loop's events only; the story goes to stderr.
FILE* g_human = stdout;

bool step(const Terminal& t, const std::string& what, const std::vector<std::string>& argv,
          const std::string& cwd, double& seconds) {
  auto start = Clock::now();
  util::RunOptions o;
  o.cwd = cwd;
  o.timeout = std::chrono::minutes(10);
  auto r = util::run_command(argv, o);
  seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (!r || !r->ok()) {
    print_error(fmt::format("demo: {} failed: {}", what,
                            !r               ? r.error()
                            : r->err.empty() ? r->out
                                             : r->err));
    return false;
  }
  fmt::print(g_human, "{} {:<8} {} ({:.1f} s)\n", t.green("✔"), t.cyan("setup"), what, seconds);
  std::fflush(g_human);
  return true;
}

} // namespace

int run_demo(const Invocation& inv, const config::Config& /*unused*/) {
  Terminal t = Terminal::detect(inv.global.color);
  g_human = inv.global.json ? stderr : stdout;
  std::string examples = find_examples();
  if (examples.empty()) {
    print_error("demo: examples/sample-server not found beside this crashpilot (set "
                "CRASHPILOT_EXAMPLES to its path)");
    return exit_code::failure;
  }
  std::string dir = inv.demo.dir;
  if (dir.empty()) {
    std::string templ = (fs::temp_directory_path() / "crashpilot-demo-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      print_error(
          fmt::format("demo: cannot create a temporary directory: {}", std::strerror(errno)));
      return exit_code::failure;
    }
    dir = templ;
  } else {
    std::error_code ec;
    if (fs::exists(dir) && !fs::is_empty(dir, ec)) {
      print_error(fmt::format("demo: {} is not empty; give a new or empty directory", dir));
      return exit_code::usage;
    }
    fs::create_directories(dir, ec);
  }
  dir = absolute_path(dir);
  bool recorded = inv.demo.agent.empty();
  std::string agent = recorded ? "recorded" : inv.demo.agent;
  fmt::print(g_human, "{}\n",
             t.bold("crashpilot demo: the whole loop on a sample game server with bots"));
  fmt::print(g_human, "  directory: {}\n  analysis:  {}\n\n", dir,
             recorded ? "RECORDED agent session (examples/sample-server/recorded), replayed; "
                        "run `crashpilot demo --agent claude` for a live agent"
                      : "live agent '" + agent + "'");
  double s_history = 0, s_build = 0;
  if (!step(t, "sample server copied into a git repository with its history",
            {"bash", examples + "/history.sh", dir + "/server"}, dir, s_history) ||
      !step(t, "sample server built (make)", {"make", "-C", dir + "/server", "-j2"}, dir,
            s_build)) {
    return exit_code::failure;
  }
  std::string toml = demo_config(examples, dir, agent);
  if (auto ok = util::write_file_atomic(dir + "/crashpilot.toml", toml, 0644); !ok) {
    print_error(ok.error());
    return exit_code::failure;
  }
  config::LoadOptions lo;
  lo.file = dir + "/crashpilot.toml";
  lo.search_default_file = false;
  auto config = config::Config::load(lo);
  if (!config) {
    print_error(config.error());
    return exit_code::failure;
  }
  std::error_code ec;
  fs::current_path(dir, ec);
  Invocation run_inv = inv;
  run_inv.command = "run";
  run_inv.run = RunCommandOptions{};
  run_inv.run.mode = "auto";
  run_inv.run.idle_exit = 4;
  run_inv.global.config_file = dir + "/crashpilot.toml";
  int code = exit_code::ok;
  auto ws = open_workspace(run_inv, *config, {.store = true, .queue = true}, code);
  if (!ws) {
    return code;
  }
  auto setup = loop_setup(run_inv, *config, *ws, "auto", agent, code);
  if (!setup) {
    return code;
  }
  ws->store.reset();
  ws->queue.reset();
  // The sample server's own output would bury the story: it goes to a file.
  util::Fd out(
      ::open((dir + "/server-output.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  setup->tee_stdout = out.get();
  setup->tee_stderr = out.get();
  setup->max_iterations = 8;
  setup->on_event = [&](const loop::Event& e) { print_loop_event(t, inv.global.json, e); };
  block_child_signal();
  g_stop.store(false);
  StopSignals signals;
  auto start = Clock::now();
  auto summary = loop::run_loop(*setup);
  double total = std::chrono::duration<double>(Clock::now() - start).count();
  if (!summary) {
    print_error(summary.error());
    return exit_code::failure;
  }
  print_loop_summary(t, inv.global.json, *summary);
  // The verdicts as the store has them now (a fix reverted later does not count).
  std::set<std::string> fixed;
  int masked = 0;
  if (auto st = store::Store::open(setup->store_path, setup->store_options)) {
    if (auto all = st->list_fixes()) {
      for (const auto& f : *all) {
        if (f.stage == "landed") {
          fixed.insert(f.bucket);
        }
        masked += f.stage == "masked" ? 1 : 0;
      }
    }
  }
  fmt::print(g_human,
             "\n  setup {:.1f} s (history {:.1f} s, build {:.1f} s), loop {:.1f} s; analysis {}\n",
             s_history + s_build, s_history, s_build, total,
             recorded ? "replayed from the RECORDED session" : "by " + agent);
  fmt::print(g_human, "  {} bucket(s) fixed and merged, {} masking patch(es) caught by the gate\n",
             fixed.size(), masked);
  fmt::print(g_human, "  the repository: {}/server (git log shows crashpilot's commits)\n", dir);
  bool ok = fixed.size() >= 2 && (!recorded || masked >= 1);
  fmt::print(g_human, "{}\n",
             ok ? t.green("demo: both bugs fixed")
                : t.red("demo: did not reach a fixed verdict for both bugs"));
  if (!inv.demo.keep && inv.demo.dir.empty() && ok) {
    fs::current_path("/", ec);
    // Worktrees are registered in the repository we remove with them: nothing is left behind.
    fs::remove_all(dir, ec);
  }
  if (summary->interrupted) {
    return exit_code::interrupted;
  }
  return ok ? exit_code::ok : exit_code::failure;
}

} // namespace crashpilot::cli
