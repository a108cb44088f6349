// SPDX-License-Identifier: MIT
// `crashpilot run --mode review|auto`: the fix loop (src/loop), wired to the configuration and
// printed as it goes; `run --status`; `crashpilot apply ATTEMPT`.
#include <cli/agent_setup.hpp>
#include <cli/commands.hpp>
#include <cli/loop_cli.hpp>
#include <cli/terminal.hpp>
#include <cli/workspace.hpp>

#include <capture/supervisor.hpp>
#include <fix/fix_options.hpp>
#include <fix/land.hpp>
#include <fmt/format.h>
#include <loop/loop.hpp>
#include <store/json.hpp>
#include <unistd.h>

#include <csignal>

namespace crashpilot::cli {

namespace {

using json = nlohmann::json;

std::string stage_mark(const Terminal& t, const loop::Event& e) {
  if (e.kind == "masked" || e.kind == "failed" || e.kind == "error" || e.kind == "not_fixed" ||
      e.kind == "regressed" || e.kind == "moved" || e.kind == "revert_failed" ||
      e.kind == "crash" || e.kind == "abort" || e.kind == "hang") {
    return t.red("✖");
  }
  if (e.kind == "fixed" || e.kind == "landed" || e.kind == "built" || e.kind == "passed" ||
      e.kind == "answered" || e.kind == "ready" || e.kind == "applied" || e.kind == "rebuilt") {
    return t.green("✔");
  }
  return t.dim("·");
}

} // namespace

void print_loop_event(const Terminal& t, bool json_out, const loop::Event& e) {
  if (json_out) {
    json j = {{"event", e.kind},
              {"stage", e.stage},
              {"bucket", e.bucket},
              {"attempt", e.attempt},
              {"message", e.message},
              {"seconds", e.seconds},
              {"time", store::now_seconds()},
              {"data", e.data}};
    fmt::print("{}\n", j.dump(-1, ' ', false, json::error_handler_t::replace));
  } else {
    std::string who = e.bucket.empty() ? std::string() : t.bold(e.bucket) + " ";
    if (e.attempt > 0) {
      who += t.dim(fmt::format("#{} ", e.attempt));
    }
    fmt::print("{} {:<8} {}{}\n", stage_mark(t, e), t.cyan(e.stage), who, e.message);
    if (e.stage == "capture" && e.data.contains("report") &&
        !e.data["report"].get<std::string>().empty()) {
      fmt::print("           report: {}\n", e.data["report"].get<std::string>());
    }
  }
  std::fflush(stdout);
}

std::optional<loop::LoopSetup> loop_setup(const Invocation& inv, const config::Config& config,
                                          Workspace& ws, const std::string& mode,
                                          const std::string& agent, int& code) {
  loop::LoopSetup s;
  s.mode = mode == "auto"      ? loop::Mode::auto_merge
           : mode == "capture" ? loop::Mode::capture
                               : loop::Mode::review;
  s.config = &config;
  s.rules = &ws.rules;
  auto cap = capture::capture_settings(config, run_overrides(inv));
  if (!cap) {
    print_error(cap.error());
    code = exit_code::usage;
    return std::nullopt;
  }
  s.capture = *cap;
  auto fo = fix::from_config(config);
  if (!fo) {
    print_error(fo.error());
    code = exit_code::usage;
    return std::nullopt;
  }
  s.fix = *fo;
  s.verify_server_command = config.get_strings("verify.server_command");
  s.store_path = ws.store->path();
  auto so = store_options_from_config(config, ws.rules.similarity_threshold);
  if (!so) {
    print_error(so.error());
    code = exit_code::usage;
    return std::nullopt;
  }
  s.store_options = *so;
  s.queue = ws.queue->options();
  s.policy = ws.policy;
  s.host = ws.host;
  s.repo = ws.queue->options().repo_root;
  if (s.mode != loop::Mode::capture) {
    auto rs = runner_setup(inv, config, ws, agent, code);
    if (!rs) {
      return std::nullopt;
    }
    s.runner = std::move(*rs);
    // --analysis-timeout, else [loop] analysis_timeout_seconds, caps the agent's wall clock.
    int64_t limit = inv.run.analysis_timeout > 0
                        ? inv.run.analysis_timeout
                        : config.get_int("loop.analysis_timeout_seconds", 1800);
    s.runner.options.limits.wall =
        std::min(s.runner.options.limits.wall,
                 std::chrono::milliseconds(std::chrono::seconds(std::max<int64_t>(1, limit))));
  }
  s.agent = agent;
  s.max_iterations = inv.run.single_iteration ? 1 : inv.run.max_iterations;
  s.idle_exit_seconds = inv.run.idle_exit;
  s.tee_stdout = inv.global.json ? STDERR_FILENO : STDOUT_FILENO;
  s.tee_stderr = STDERR_FILENO;
  s.stop = &g_stop;
  return s;
}

int run_fix_loop(const Invocation& inv, const config::Config& config, const std::string& mode) {
  int code = exit_code::ok;
  auto ws = open_workspace(inv, config, {.store = true, .queue = true}, code);
  if (!ws) {
    return code;
  }
  if (ws->queue->options().repo_root.empty()) {
    print_error("the fix loop needs the server's source repository: give --trinity-root DIR or set "
                "[queue] repo_root (or use --mode capture to only capture)");
    return exit_code::usage;
  }
  std::string agent =
      !inv.run.agent.empty() ? inv.run.agent : config.get_string("loop.agent", "builtin");
  Terminal term = Terminal::detect(inv.global.color);
  if (mode == "auto" && !inv.run.yes && ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) {
    fmt::print("auto mode merges verified fixes into your current branch in {} and reverts them if "
               "the crash comes back. Continue? [y/N] ",
               ws->queue->options().repo_root);
    std::fflush(stdout);
    std::string answer;
    int c = 0;
    while ((c = std::getchar()) != EOF && c != '\n') {
      answer.push_back(static_cast<char>(c));
    }
    if (answer != "y" && answer != "Y" && answer != "yes") {
      fmt::print("not started\n");
      return exit_code::ok;
    }
  }
  auto setup = loop_setup(inv, config, *ws, mode, agent, code);
  if (!setup) {
    return code;
  }
  // The loop opens its own store and queue handles, one per thread; the rules stay here.
  ws->store.reset();
  ws->queue.reset();
  setup->on_event = [&](const loop::Event& e) { print_loop_event(term, inv.global.json, e); };
  block_child_signal();
  g_stop.store(false);
  StopSignals signals;
  auto summary = loop::run_loop(*setup);
  if (!summary) {
    print_error(summary.error());
    return exit_code::failure;
  }
  print_loop_summary(term, inv.global.json, *summary);
  return summary->interrupted ? exit_code::interrupted : exit_code::ok;
}

void print_loop_summary(const Terminal& t, bool json_out, const loop::LoopSummary& s) {
  if (json_out) {
    json attempts = json::array();
    for (const auto& a : s.attempts) {
      attempts.push_back({{"bucket", a.bucket},
                          {"attempt", a.attempt},
                          {"attempt_no", a.attempt_no},
                          {"branch", a.branch},
                          {"stage", a.stage},
                          {"verdict", a.verdict},
                          {"detail", a.detail},
                          {"seconds", a.seconds}});
    }
    fmt::print("{}\n", json{{"event", "summary"},
                            {"iterations", s.iterations},
                            {"captures", s.captures},
                            {"attempts", attempts},
                            {"stop_reason", s.stop_reason}}
                           .dump());
    return;
  }
  fmt::print("\n{} {} ({} capture(s), {} analysis iteration(s))\n", t.bold("loop stopped:"),
             s.stop_reason, s.captures, s.iterations);
  if (s.attempts.empty()) {
    return;
  }
  fmt::print("  {:<14} {:>7} {:<18} {:<12} {:>8} {:>7} {:>7} {:>7} {:>7}\n", "bucket", "attempt",
             "stage", "verdict", "analyze", "gate", "apply", "build", "verify");
  auto sec = [](const std::map<std::string, double>& m, const char* k) {
    auto it = m.find(k);
    return it == m.end() ? std::string("-") : fmt::format("{:.1f}s", it->second);
  };
  for (const auto& a : s.attempts) {
    fmt::print("  {:<14} {:>7} {:<18} {:<12} {:>8} {:>7} {:>7} {:>7} {:>7}\n", a.bucket, a.attempt,
               a.stage, a.verdict.empty() ? "-" : a.verdict, sec(a.seconds, "analyze"),
               sec(a.seconds, "gate"), sec(a.seconds, "apply"), sec(a.seconds, "build"),
               sec(a.seconds, "verify"));
  }
}

int run_status(const Invocation& inv, const config::Config& config) {
  int code = exit_code::ok;
  auto ws = open_workspace(inv, config, {.store = true, .queue = true}, code);
  if (!ws) {
    return code;
  }
  auto state = ws->store->get_state("loop");
  auto fixes = ws->store->list_fixes();
  auto audit = ws->store->list_audit(20);
  if (!fixes || !audit || !state) {
    print_error(!fixes ? fixes.error() : !audit ? audit.error() : state.error());
    return exit_code::failure;
  }
  json st = *state ? json::parse(**state, nullptr, false) : json(nullptr);
  bool alive = false;
  if (st.is_object() && st.contains("pid") && st["pid"].is_number_integer()) {
    alive = ::kill(st["pid"].get<pid_t>(), 0) == 0 && st.value("stage", "") != "stopped";
  }
  auto pending = ws->queue->list();
  if (inv.global.json) {
    json fx = json::array();
    for (const auto& f : *fixes) {
      fx.push_back({{"attempt", f.attempt},
                    {"bucket", f.bucket},
                    {"stage", f.stage},
                    {"verdict", f.verdict},
                    {"branch", f.branch},
                    {"risk", f.risk},
                    {"needs_approval", f.needs_approval},
                    {"landed_commit", f.landed_commit},
                    {"updated", f.updated}});
    }
    json au = json::array();
    for (const auto& a : *audit) {
      au.push_back({{"time", a.time},
                    {"action", a.action},
                    {"bucket", a.bucket},
                    {"attempt", a.attempt ? json(*a.attempt) : json(nullptr)},
                    {"detail", a.detail}});
    }
    fmt::print("{}\n", json{{"loop", st},
                            {"running", alive},
                            {"fixes", fx},
                            {"audit", au},
                            {"requests", pending ? pending->size() : 0}}
                           .dump());
    return exit_code::ok;
  }
  Terminal t = Terminal::detect(inv.global.color);
  if (st.is_object()) {
    fmt::print(
        "loop: {} (mode {}, stage {}{}, pid {})\n", alive ? t.green("running") : "not running",
        st.value("mode", "?"), st.value("stage", "?"),
        st.value("bucket", "").empty() ? "" : " on " + st.value("bucket", ""), st.value("pid", 0));
  } else {
    fmt::print("loop: never run with this store ({})\n", ws->store->path());
  }
  fmt::print("{} request(s) in the queue\n", pending ? pending->size() : 0);
  if (!fixes->empty()) {
    fmt::print("\n  {:>7} {:<14} {:<18} {:<12} {:<7} {}\n", "attempt", "bucket", "stage", "verdict",
               "risk", "branch");
    for (const auto& f : *fixes) {
      fmt::print("  {:>7} {:<14} {:<18} {:<12} {:<7} {}{}\n", f.attempt, f.bucket, f.stage,
                 f.verdict.empty() ? "-" : f.verdict, f.risk.empty() ? "-" : f.risk, f.branch,
                 f.stage == "ready" || f.stage == "awaiting_approval"
                     ? fmt::format("  → crashpilot apply {}", f.attempt)
                     : std::string());
    }
  }
  if (!audit->empty()) {
    fmt::print("\nrecent actions:\n");
    for (const auto& a : *audit) {
      fmt::print("  {} {:<18} {} {}\n", a.time, a.action, a.bucket, a.detail.substr(0, 100));
    }
  }
  return exit_code::ok;
}

int run_apply(const Invocation& inv, const config::Config& config) {
  int code = exit_code::ok;
  auto ws = open_workspace(inv, config, {.store = true, .queue = true}, code);
  if (!ws) {
    return code;
  }
  auto f = ws->store->get_fix(inv.apply.attempt);
  if (!f) {
    print_error(f.error());
    return exit_code::failure;
  }
  if (!*f) {
    print_error(fmt::format("no fix attempt {} in {} (crashpilot run --status lists them)",
                            inv.apply.attempt, ws->store->path()));
    return exit_code::not_found;
  }
  store::Fix fix = **f;
  std::string repo = ws->queue->options().repo_root;
  if (repo.empty()) {
    print_error("no source repository: set [queue] repo_root (or --trinity-root)");
    return exit_code::usage;
  }
  if (fix.branch.empty() || fix.commit.empty()) {
    print_error(fmt::format("attempt {} has no branch to merge (its stage is {}{})", fix.attempt,
                            fix.stage, fix.verdict.empty() ? "" : ", verdict " + fix.verdict));
    return exit_code::failure;
  }
  if (fix.stage == "landed" || fix.stage == "applied_by_user") {
    print_error(fmt::format("attempt {} is already merged ({})", fix.attempt, fix.landed_commit));
    return exit_code::failure;
  }
  if (fix.verdict != "fixed") {
    print_warning(
        fmt::format("attempt {}'s verdict is {}, not fixed; merging it anyway because you "
                    "asked for it by number",
                    fix.attempt, fix.verdict.empty() ? "none" : fix.verdict));
  }
  auto check = fix::check_landable(repo, fix.branch, fix.base_commit);
  if (!check) {
    print_error(check.error());
    return exit_code::failure;
  }
  if (inv.apply.dry_run) {
    fmt::print("attempt {} ({}) can be merged into {}\n", fix.attempt, fix.branch, repo);
    return exit_code::ok;
  }
  auto landed = fix::land(repo, fix.branch, fix.base_commit);
  if (!landed) {
    print_error(landed.error());
    return exit_code::failure;
  }
  fix.stage = "applied_by_user";
  fix.landed_commit = landed->head;
  fix.updated = store::now_seconds();
  (void)ws->store->put_fix(fix);
  (void)ws->store->set_status(fix.bucket, store::BucketStatus::fixed, fix.attempt);
  (void)ws->store->add_audit("applied", fix.bucket, fix.attempt, landed->head,
                             store::now_seconds());
  if (inv.global.json) {
    fmt::print("{}\n", json{{"attempt", fix.attempt},
                            {"branch", fix.branch},
                            {"previous", landed->previous},
                            {"head", landed->head},
                            {"fast_forward", landed->fast_forward}}
                           .dump());
  } else {
    fmt::print("merged attempt {} ({}) into your branch: {} → {}{}\n", fix.attempt, fix.branch,
               landed->previous.substr(0, 12), landed->head.substr(0, 12),
               landed->fast_forward ? " (fast-forward)" : "");
  }
  return exit_code::ok;
}

} // namespace crashpilot::cli
