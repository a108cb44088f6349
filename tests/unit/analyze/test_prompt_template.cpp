// SPDX-License-Identifier: MIT
#include <analyze/prompt_template.hpp>
#include <gtest/gtest.h>

using namespace crashpilot::analyze;

namespace {

PromptInput headless() {
  PromptInput in;
  in.request_id = "459d457f";
  in.lease_id = "0123456789abcdef0123456789abcdef";
  in.request_path = "/q/in_progress/request_459d457f.json";
  in.response_path = "/q/responses/response_459d457f.json";
  in.queue_root = "/q";
  in.base_commit = "7d14957a32df";
  in.workdir = "/tmp/wt/src";
  in.crash_line = "SIGSEGV in Spell::Foo at Spell.cpp:603";
  in.allowed_paths = {"src/modules/**"};
  in.forbidden_paths = {"**/*.sql"};
  return in;
}

} // namespace

TEST(PromptTemplate, HeadlessNamesTheClaimAndTheFileProtocol) {
  std::string p = render_prompt(headless());
  // The fake agent and real agents read these exact lines.
  EXPECT_NE(p.find("\n  request_id: 459d457f\n"), std::string::npos) << p;
  EXPECT_NE(p.find("\n  lease_id: 0123456789abcdef0123456789abcdef\n"), std::string::npos);
  EXPECT_NE(p.find("\n  response file: /q/responses/response_459d457f.json\n"), std::string::npos);
  EXPECT_NE(p.find("\n  base_commit: 7d14957a32df\n"), std::string::npos);
  EXPECT_NE(p.find("SIGSEGV in Spell::Foo at Spell.cpp:603"), std::string::npos);
  EXPECT_NE(p.find("Do not call claim_crash"), std::string::npos);
  EXPECT_NE(p.find("submit_fix"), std::string::npos);
  EXPECT_NE(p.find("src/modules/**"), std::string::npos);
  EXPECT_NE(p.find("**/*.sql"), std::string::npos);
  EXPECT_NE(p.find(R"("lease_id": "0123456789abcdef0123456789abcdef")"), std::string::npos);
  EXPECT_EQ(p.find("$ARGUMENTS"), std::string::npos);
  EXPECT_EQ(p.find("previous attempt"), std::string::npos);
}

TEST(PromptTemplate, InteractiveIsTheSlashCommandBody) {
  PromptInput in;
  in.request_id = "$ARGUMENTS";
  in.queue_root = ".claude/crash_analysis_queue";
  std::string p = render_prompt(in);
  EXPECT_EQ(p.rfind("Request to analyze: $ARGUMENTS\n", 0), 0u) << p;
  EXPECT_NE(p.find("1. Call claim_crash"), std::string::npos);
  EXPECT_NE(p.find("call release_crash with the reason"), std::string::npos);
  EXPECT_NE(p.find(".claude/crash_analysis_queue/in_progress/"), std::string::npos);
  EXPECT_EQ(p.find("lease_id:"), std::string::npos);
  // Claude Code substitutes $1.. and !` in command files; the body must not contain them.
  EXPECT_EQ(p.find("!`"), std::string::npos);
  for (char d = '0'; d <= '9'; ++d) {
    EXPECT_EQ(p.find(std::string("$") + d), std::string::npos) << d;
  }
}

TEST(PromptTemplate, EditingAgentsAndFeedbackAndExtraServers) {
  PromptInput in = headless();
  in.edits = true;
  in.mcp = false;
  in.extra_servers = {{"serena", "semantic code search"}, {"tcapi", ""}};
  in.feedback = "the response was rejected by validation\n- path '../x' leaves the repository";
  std::string p = render_prompt(in);
  EXPECT_NE(p.find("editing the files in the source tree"), std::string::npos) << p;
  EXPECT_EQ(p.find("submit_fix"), std::string::npos);
  EXPECT_EQ(p.find("get_crash"), std::string::npos);
  EXPECT_NE(p.find("- serena: semantic code search\n"), std::string::npos);
  EXPECT_NE(p.find("- tcapi\n"), std::string::npos);
  EXPECT_NE(p.find("The previous attempt at this request failed:\nthe response was rejected"),
            std::string::npos);
}
