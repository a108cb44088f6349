// SPDX-License-Identifier: MIT
// The process side of the runner: the ChildProcess extensions it relies on (new session, clean
// environment, idle timeout, SIGTERM grace, bounded drain after exit, cancel) and run_agent's
// cleanup of processes that escaped the group.
#include <util/child_process.hpp>

#include <analyze/runner_process.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "test_runner_support.hpp"

using namespace crashpilot;
using namespace std::chrono_literals;

namespace {
double since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
} // namespace

TEST(RunnerProcess, NewSessionAndCleanEnvironment) {
  util::RunOptions o;
  o.new_session = true;
  o.clear_env = true;
  o.env_set = {{"ONLY", "this"}, {"PATH", "/usr/bin:/bin"}};
  auto r =
      util::run_command({"sh", "-c", "env | sort; cut -d' ' -f6 /proc/$$/stat; echo pid $$"}, o);
  ASSERT_TRUE(r) << r.error();
  EXPECT_NE(r->out.find("ONLY=this\n"), std::string::npos) << r->out;
  EXPECT_EQ(r->out.find("HOME="), std::string::npos) << r->out;
  // The session id is the child's own pid: setsid() happened.
  auto lines = util::split_whitespace(r->out);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[lines.size() - 3], lines.back()) << r->out;
}

TEST(RunnerProcess, IdleTimeoutEndsASilentChild) {
  util::RunOptions o;
  o.idle_timeout = 300ms;
  o.timeout = 20s;
  auto start = std::chrono::steady_clock::now();
  auto r = util::run_command({"sh", "-c", "echo hi; sleep 30"}, o);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_TRUE(r->idle_timed_out);
  EXPECT_EQ(r->out, "hi\n");
  EXPECT_LT(since(start), 5.0);
}

TEST(RunnerProcess, OutputKeepsAnIdleChildAlive) {
  util::RunOptions o;
  o.idle_timeout = 400ms;
  o.timeout = 20s;
  auto r = util::run_command({"sh", "-c", "for i in 1 2 3 4 5; do echo $i; sleep 0.2; done"}, o);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->exit_code, 0);
}

TEST(RunnerProcess, SigtermFirstThenSigkill) {
  util::RunOptions o;
  o.timeout = 300ms;
  o.kill_grace = 3s;
  // Obeys SIGTERM: ends by it, well before the grace is over.
  auto start = std::chrono::steady_clock::now();
  auto r = util::run_command({"sleep", "30"}, o);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->term_signal, SIGTERM);
  EXPECT_LT(since(start), 2.5);
  // Ignores it: SIGKILL once the grace is over.
  o.kill_grace = 500ms;
  start = std::chrono::steady_clock::now();
  r = util::run_command({"sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"}, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->term_signal, SIGKILL);
  EXPECT_GE(since(start), 0.75);
}

TEST(RunnerProcess, PipesHeldAfterExitAreNotWaitedForever) {
  std::string marker = runner_test::unique_marker("held");
  util::RunOptions o;
  o.timeout = 30s;
  o.exit_drain = 300ms;
  auto start = std::chrono::steady_clock::now();
  // The background sleeper keeps stdout open after sh exits.
  auto r =
      util::run_command({"bash", "-c", "(exec -a " + marker + " sleep 30) & echo done; exit 4"}, o);
  ASSERT_TRUE(r) << r.error();
  EXPECT_FALSE(r->timed_out);
  EXPECT_TRUE(r->pipes_held_after_exit);
  EXPECT_EQ(r->exit_code, 4);
  EXPECT_EQ(r->out, "done\n");
  EXPECT_LT(since(start), 5.0);
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(runner_test::processes_with(marker).empty()) << "the group was not killed";
}

TEST(RunnerProcess, CancelStopsTheChild) {
  std::atomic<bool> cancel{false};
  util::RunOptions o;
  o.timeout = 30s;
  o.cancel = &cancel;
  std::thread t([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  auto start = std::chrono::steady_clock::now();
  auto r = util::run_command({"sleep", "30"}, o);
  t.join();
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->cancelled);
  EXPECT_TRUE(r->timed_out);
  EXPECT_LT(since(start), 5.0);
}

TEST(RunnerProcess, SpawnedChildrenAreKnown) {
  auto child = util::ChildProcess::spawn({"sleep", "5"}, {});
  ASSERT_TRUE(child);
  pid_t pid = child->pid();
  EXPECT_TRUE(util::is_spawned_child(pid));
  child->kill();
  EXPECT_FALSE(util::is_spawned_child(pid));
}

TEST(RunnerProcess, RunAgentKillsWhatEscapedTheGroup) {
  std::string marker = runner_test::unique_marker("escape");
  analyze::AgentSpawn s;
  // setsid + fork: the sleeper is in another session, out of reach of the group kill.
  s.argv = {"bash", "-c",
            "setsid bash -c 'exec -a " + marker +
                " sleep 60 &' </dev/null >/dev/null 2>&1; "
                "echo started"};
  s.env = {{"PATH", "/usr/bin:/bin"}};
  s.marker_name = "CRASH_AGENT_RUN";
  s.marker_value = marker + "-env";
  s.env[s.marker_name] = s.marker_value;
  s.limits.wall = 10s;
  s.limits.exit_drain = 1s;
  auto run = analyze::run_agent(s);
  ASSERT_TRUE(run.started) << run.start_error;
  EXPECT_EQ(run.result.out, "started\n");
  EXPECT_GE(run.escaped_killed, 1u);
  std::this_thread::sleep_for(100ms);
  auto left = runner_test::processes_with(marker);
  EXPECT_TRUE(left.empty()) << left.front();
}

TEST(RunnerProcess, EnvironmentAllowList) {
  EXPECT_TRUE(analyze::env_allowed("LC_ALL", {"LC_*"}));
  EXPECT_TRUE(analyze::env_allowed("PATH", {"PATH"}));
  EXPECT_FALSE(analyze::env_allowed("PATHX", {"PATH"}));
  EXPECT_FALSE(analyze::env_allowed("XLC_ALL", {"LC_*"}));
  ::setenv("CP_TEST_SECRET_TOKEN", "s3cr3t", 1);
  auto env = analyze::allowed_environment({"PATH", "HOME"});
  EXPECT_EQ(env.count("CP_TEST_SECRET_TOKEN"), 0u);
  EXPECT_EQ(env.count("PATH"), 1u);
  ::unsetenv("CP_TEST_SECRET_TOKEN");
}
