// SPDX-License-Identifier: MIT
#include <analyze/runner_outcome.hpp>
#include <gtest/gtest.h>

#include <csignal>

using namespace crashpilot::analyze;

TEST(RunnerOutcome, OnlyAValidArtifactIsAnAnswer) {
  RunEvidence e;
  e.report.claims_success = true;
  e.report.envelope_found = true;
  Classification c = classify_run(e);
  EXPECT_EQ(c.outcome, Outcome::agent_failed);
  EXPECT_FALSE(c.retryable);
  EXPECT_NE(c.reason.find("reported success but left no response"), std::string::npos);

  e.artifact = Artifact::valid;
  EXPECT_EQ(classify_run(e).outcome, Outcome::answered);
  // Even a failing process: the validated response decides.
  e.exit_code = 1;
  e.timed_out = true;
  c = classify_run(e);
  EXPECT_EQ(c.outcome, Outcome::answered);
  EXPECT_NE(c.reason.find("timed out afterwards"), std::string::npos);
}

TEST(RunnerOutcome, RejectedCarriesTheReasons) {
  RunEvidence e;
  e.artifact = Artifact::rejected;
  e.artifact_reasons = {"patch path '../../etc/passwd' leaves the repository"};
  Classification c = classify_run(e);
  EXPECT_EQ(c.outcome, Outcome::rejected);
  EXPECT_TRUE(c.retryable);
  EXPECT_EQ(c.reasons, e.artifact_reasons);
}

TEST(RunnerOutcome, FailuresAndWhetherToRetry) {
  struct Case {
    const char* name;
    RunEvidence e;
    Outcome outcome;
    bool retryable;
    const char* says;
  };
  std::vector<Case> cases;
  {
    RunEvidence e;
    e.started = false;
    e.start_error = "claude: cannot start: No such file or directory";
    cases.push_back({"missing program", e, Outcome::agent_failed, false, "installed and on PATH"});
  }
  {
    RunEvidence e;
    e.timed_out = true;
    e.wall_seconds = 1200;
    cases.push_back({"wall", e, Outcome::timed_out, true, "longer than 1200 s"});
    e.idle_timed_out = true;
    e.idle_seconds = 300;
    cases.push_back({"idle", e, Outcome::timed_out, true, "printed nothing for 300 s"});
    e.cancelled = true;
    cases.push_back({"cancelled", e, Outcome::cancelled, false, "interrupted"});
  }
  {
    RunEvidence e;
    e.report.is_error = true;
    e.report.api_status = 429;
    e.report.error = "API Error: 429";
    cases.push_back({"rate limit", e, Outcome::agent_failed, true, "HTTP 429"});
    e.report.api_status = 400;
    e.report.error = "overloaded_error";
    cases.push_back({"overload text", e, Outcome::agent_failed, true, "overloaded"});
  }
  {
    RunEvidence e;
    e.report.is_error = true;
    e.report.subtype = "error_max_turns";
    cases.push_back({"turn cap", e, Outcome::agent_failed, false, "turn cap"});
  }
  {
    RunEvidence e;
    e.report.mcp_failed = {"crashpilot (failed)"};
    cases.push_back({"mcp", e, Outcome::agent_failed, false, "did not connect"});
  }
  {
    RunEvidence e;
    e.out_dropped = 20 << 20;
    e.max_output_bytes = 32 << 20;
    cases.push_back({"flood", e, Outcome::agent_failed, false, "printed more than"});
  }
  {
    RunEvidence e;
    e.term_signal = SIGSEGV;
    cases.push_back({"signal", e, Outcome::agent_failed, true, "signal 11"});
  }
  {
    RunEvidence e;
    e.exit_code = 3;
    e.stderr_tail = "boom\n";
    cases.push_back({"exit", e, Outcome::agent_failed, true, "status 3: boom"});
  }
  {
    RunEvidence e;
    cases.push_back({"silent", e, Outcome::agent_failed, false, "exited without a response"});
  }
  for (const auto& k : cases) {
    Classification c = classify_run(k.e);
    EXPECT_EQ(c.outcome, k.outcome) << k.name;
    EXPECT_EQ(c.retryable, k.retryable) << k.name;
    EXPECT_NE(c.reason.find(k.says), std::string::npos) << k.name << ": " << c.reason;
  }
}
