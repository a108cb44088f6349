// SPDX-License-Identifier: MIT
// The runner end to end against the fake `claude -p` (tests/fake-agent/fake-claude), on the MCP
// tests' workspace: a git repository, a store with the crash recorded and a queue holding its
// request. Each misbehaviour must be classified as what it is, recorded in the store, leave the
// request claimable again (or completed when answered), and leave no process behind.
#include <analyze/runner.hpp>
#include <analyze/runner_process.hpp>

#include <thread>

#include "test_mcp_fixture.hpp"
#include "test_runner_support.hpp"

using namespace crashpilot;
using nlohmann::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using analyze::Outcome;

namespace {

class FakeAgentTest : public ::testing::Test {
protected:
  void SetUp() override { analyze::become_subreaper(); }

  analyze::RunnerSetup setup(const std::string& mode, std::vector<std::string> extra = {}) {
    analyze::RunnerSetup s;
    analyze::AgentPreset p;
    p.name = "fake";
    p.argv = {runner_test::fake_agent(), "--mode", mode, "--marker", marker};
    p.argv.insert(p.argv.end(), extra.begin(), extra.end());
    p.output = analyze::OutputFormat::claude_json;
    s.preset = p;
    s.options.limits.wall = 20s;
    s.options.limits.idle = 2s;
    s.options.limits.kill_grace = 1s;
    s.options.limits.exit_drain = 1s;
    s.options.limits.max_output_bytes = size_t{1} << 20;
    s.options.env_allow = {"PATH", "HOME", "LANG"};
    s.options.run_dir = ws.dir.path() + "/runs";
    s.options.max_attempts_per_bucket = 3;
    s.options.retry_backoff_seconds = 1;
    s.queue = ws.queue->options();
    s.store_path = ws.dir.path() + "/s.db";
    s.version = "test";
    s.sleep = [this](int64_t seconds) { slept.push_back(seconds); };
    return s;
  }

  analyze::RequestResult run(const std::string& mode, std::vector<std::string> extra = {},
                             int max_attempts = 1) {
    auto s = setup(mode, std::move(extra));
    s.options.max_attempts_per_bucket = max_attempts;
    analyze::Runner runner(std::move(s));
    auto r = runner.run_request(ws.request_id);
    std::this_thread::sleep_for(50ms);
    auto left = runner_test::processes_with(marker);
    EXPECT_TRUE(left.empty()) << mode << " left a process behind: " << left.front();
    return r;
  }

  std::vector<store::Attempt> attempts() {
    std::vector<store::Attempt> all;
    auto requests = ws.store->list_requests(ws.bucket);
    EXPECT_TRUE(requests);
    for (const auto& r : *requests) {
      auto a = ws.store->list_attempts(r.id);
      EXPECT_TRUE(a);
      all.insert(all.end(), a->begin(), a->end());
    }
    return all;
  }

  queue::State state() {
    auto e = ws.queue->find(ws.request_id);
    EXPECT_TRUE(e) << e.error();
    return e ? e->state : queue::State::rejected;
  }

  mcp_test::Workspace ws;
  std::string marker = runner_test::unique_marker("fake");
  std::vector<int64_t> slept;
};

} // namespace

TEST_F(FakeAgentTest, AValidResponseIsAnsweredAndRecorded) {
  auto r = run("respond");
  ASSERT_TRUE(r.skipped.empty()) << r.skipped;
  EXPECT_EQ(r.result.outcome, Outcome::answered) << r.result.reason;
  EXPECT_EQ(r.session_id, "fake-session-" + ws.request_id);
  EXPECT_DOUBLE_EQ(r.cost_usd.value_or(0), 0.0125);
  EXPECT_EQ(r.turns.value_or(0), 4);
  EXPECT_EQ(state(), queue::State::completed);
  EXPECT_TRUE(fs::exists(r.response_path)) << r.response_path;
  auto a = attempts();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].agent, "fake");
  EXPECT_EQ(a[0].outcome.value_or(""), "answered");
  EXPECT_DOUBLE_EQ(a[0].cost.value_or(0), 0.0125);
  json detail = json::parse(a[0].detail);
  EXPECT_EQ(detail["session_id"], "fake-session-" + ws.request_id);
  EXPECT_EQ(detail["turns"], 4);
  auto stored = ws.store->get_response(a[0].id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_NE((*stored)->json.find("fake analysis"), std::string::npos);
  // The run directory keeps what the agent got and said.
  EXPECT_TRUE(fs::exists(r.run_dir + "/prompt.md"));
  EXPECT_TRUE(fs::exists(r.run_dir + "/mcp.json"));
  EXPECT_TRUE(fs::exists(r.run_dir + "/stdout.txt"));
  // The worktree is gone and the user's tree untouched (it had a change after the crash).
  EXPECT_EQ(mcp_test::git(ws.repo, {"worktree", "list"}).find("crashpilot-wt-"), std::string::npos);
  EXPECT_EQ(mcp_test::git(ws.repo, {"status", "--porcelain"}),
            std::string("M ") + mcp_test::k_travel);
}

TEST_F(FakeAgentTest, AnEditingAgentsDiffBecomesThePatch) {
  auto r = run("edit", {"--file", mcp_test::k_flee});
  EXPECT_EQ(r.result.outcome, Outcome::answered)
      << r.result.reason << " " << (r.result.reasons.empty() ? "" : r.result.reasons.front());
  auto text = util::read_file(r.response_path);
  ASSERT_TRUE(text) << text.error();
  json resp = json::parse(*text);
  EXPECT_EQ(resp["status"], "complete");
  EXPECT_EQ(resp["patch"]["base_commit"], ws.base_commit);
  EXPECT_NE(resp["patch"]["diff"].get<std::string>().find("+// checked by fake-claude"),
            std::string::npos);
  EXPECT_NE(resp["analysis"]["summary"].get<std::string>().find("I added a comment"),
            std::string::npos);
}

TEST_F(FakeAgentTest, AHangingAgentTimesOutAndIsKilled) {
  auto start = std::chrono::steady_clock::now();
  auto r = run("hang");
  EXPECT_EQ(r.result.outcome, Outcome::timed_out) << r.result.reason;
  EXPECT_TRUE(r.result.retryable);
  EXPECT_NE(r.result.reason.find("printed nothing for 2 s"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
  EXPECT_EQ(state(), queue::State::pending); // released for the next attempt
  auto a = attempts();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].outcome.value_or(""), "timed_out");
}

TEST_F(FakeAgentTest, SigtermIgnoredMeansSigkill) {
  auto r = run("ignore-term");
  EXPECT_EQ(r.result.outcome, Outcome::timed_out) << r.result.reason;
  json detail = json::parse(attempts().at(0).detail);
  EXPECT_EQ(detail["signal"], SIGKILL);
}

TEST_F(FakeAgentTest, AGrandchildInItsOwnSessionIsKilledToo) {
  auto r = run("grandchild");
  // It answered; what it left running (holding stdout) is still killed.
  EXPECT_EQ(r.result.outcome, Outcome::answered) << r.result.reason;
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings.front().find("left behind"), std::string::npos) << r.warnings.front();
}

TEST_F(FakeAgentTest, AGrandchildThatClearedItsEnvironmentIsReapedAsAnOrphan) {
  auto s = setup("escape-env");
  analyze::Runner runner(std::move(s));
  auto r = runner.run_request(ws.request_id);
  EXPECT_EQ(r.result.outcome, Outcome::answered) << r.result.reason;
  // No marker in its environment, but its parent died, so it was re-parented to us.
  std::this_thread::sleep_for(100ms);
  EXPECT_GE(analyze::kill_adopted_orphans(), 1u);
  EXPECT_TRUE(runner_test::processes_with(marker).empty());
}

TEST_F(FakeAgentTest, SuccessWithoutAnArtifactIsAFailure) {
  auto r = run("fake-success");
  EXPECT_EQ(r.result.outcome, Outcome::agent_failed);
  EXPECT_FALSE(r.result.retryable);
  EXPECT_NE(r.result.reason.find("reported success but left no response"), std::string::npos);
  EXPECT_EQ(state(), queue::State::pending);
}

TEST_F(FakeAgentTest, FiftyMegabytesOfOutputAreCappedAndClassified) {
  auto r = run("flood");
  EXPECT_EQ(r.result.outcome, Outcome::agent_failed) << r.result.reason;
  EXPECT_NE(r.result.reason.find("printed more than 1048576 bytes"), std::string::npos)
      << r.result.reason;
  EXPECT_LE(fs::file_size(r.run_dir + "/stdout.txt"), size_t{1} << 20);
}

TEST_F(FakeAgentTest, APathTraversalPatchIsRejected) {
  auto r = run("traversal");
  EXPECT_EQ(r.result.outcome, Outcome::rejected) << r.result.reason;
  ASSERT_FALSE(r.result.reasons.empty());
  std::string all;
  for (const auto& reason : r.result.reasons) {
    all += reason + "\n";
  }
  EXPECT_NE(all.find(".."), std::string::npos) << all;
  EXPECT_FALSE(fs::exists(ws.queue->response_path(ws.request_id)));
  EXPECT_EQ(state(), queue::State::pending);
  EXPECT_EQ(attempts().at(0).outcome.value_or(""), "rejected");
}

TEST_F(FakeAgentTest, ARateLimitIsRetriedWithBackoffUntilTheBudgetIsUsed) {
  auto r = run("rate-limit", {}, 3);
  EXPECT_EQ(r.result.outcome, Outcome::agent_failed);
  EXPECT_TRUE(r.result.retryable);
  EXPECT_NE(r.result.reason.find("HTTP 429"), std::string::npos) << r.result.reason;
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(slept, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(attempts().size(), 3u);
  // The budget holds across runs of the command.
  auto again = run("respond", {}, 3);
  EXPECT_NE(again.skipped.find("attempt budget is used up (3 of 3"), std::string::npos)
      << again.skipped;
}

TEST_F(FakeAgentTest, ATransientFailureIsRetriedAndThenAnswered) {
  std::string state_dir = ws.dir.path() + "/fake-state";
  auto r = run("fail-once", {"--state", state_dir}, 3);
  EXPECT_EQ(r.result.outcome, Outcome::answered) << r.result.reason;
  EXPECT_EQ(r.attempts, 2);
  auto a = attempts();
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].outcome.value_or(""), "agent_failed");
  EXPECT_EQ(a[1].outcome.value_or(""), "answered");
  // The second prompt told the agent why the first attempt failed.
  auto prompt = util::read_file(r.run_dir + "/prompt.md");
  ASSERT_TRUE(prompt);
  EXPECT_NE(prompt->find("The previous attempt at this request failed:\nthe agent exited with "
                         "status 1"),
            std::string::npos)
      << *prompt;
}

TEST_F(FakeAgentTest, AMissingProgramIsNotRetried) {
  auto s = setup("respond");
  s.preset->argv = {"/nonexistent/agent-cli"};
  analyze::Runner runner(std::move(s));
  auto r = runner.run_request(ws.request_id);
  EXPECT_EQ(r.result.outcome, Outcome::agent_failed);
  EXPECT_FALSE(r.result.retryable);
  EXPECT_NE(r.result.reason.find("could not be started"), std::string::npos) << r.result.reason;
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(state(), queue::State::pending);
}

TEST_F(FakeAgentTest, ParallelRunsTakeDifferentRequests) {
  // A second crash in another bucket gives a second request.
  model::Crash other = ws.crash;
  other.signature.id = "00000other02";
  other.signature.frames = {"Other::Frame"};
  other.crash_id = other.signature.id;
  ASSERT_TRUE(ws.store->record(other, {}));
  std::string second = ws.enqueue(other, 1);
  ASSERT_NE(second, ws.request_id);
  auto s = setup("respond");
  analyze::Runner runner(std::move(s));
  std::vector<std::string> seen;
  auto results = runner.run({ws.request_id, second}, 2,
                            [&](const analyze::RequestResult& r) { seen.push_back(r.request_id); });
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(seen.size(), 2u);
  for (const auto& r : results) {
    EXPECT_EQ(r.result.outcome, Outcome::answered) << r.request_id << ": " << r.result.reason;
  }
  EXPECT_TRUE(runner_test::processes_with(marker).empty());
}
