// SPDX-License-Identifier: MIT
#include <analyze/builtin_analyzer.hpp>
#include <analyze/runner.hpp>
#include <analyze/worktree.hpp>

#include "test_mcp_fixture.hpp"

using namespace crashpilot;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json request_of(mcp_test::Workspace& ws) {
  auto e = ws.queue->find(ws.request_id);
  EXPECT_TRUE(e) << e.error();
  return e ? e->request : json::object();
}

} // namespace

TEST(BuiltinAnalyzer, AnalysisOnlyFromTheFactsAndTheHistory) {
  mcp_test::Workspace ws;
  json request = request_of(ws);
  auto files = analyze::tree_files(ws.repo, ws.base_commit);
  ASSERT_TRUE(files) << files.error();
  json r = analyze::builtin_response(request, "0123456789abcdef0123456789abcdef", &*ws.store,
                                     1'700'000'000, "9.9", *files);
  EXPECT_EQ(r["schema_version"], 2);
  EXPECT_EQ(r["request_id"], ws.request_id);
  EXPECT_EQ(r["status"], "no_fix");
  EXPECT_FALSE(r.contains("patch")); // never a patch
  EXPECT_FALSE(r.contains("edits"));
  const json& a = r["analysis"];
  std::string function = ws.crash.crash_function;
  ASSERT_FALSE(function.empty());
  EXPECT_NE(a["summary"].get<std::string>().find(function), std::string::npos) << a.dump(2);
  EXPECT_NE(a["summary"].get<std::string>().find("no patch"), std::string::npos);
  EXPECT_FALSE(a["root_cause"].get<std::string>().empty());
  EXPECT_EQ(a["crash_location"]["function"], function);
  EXPECT_LT(a["confidence"].get<double>(), 0.5);
  // Evidence: the crash line, frames, and the log errors before it.
  std::string evidence = a["evidence"].dump();
  EXPECT_NE(evidence.find("frame #"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("log error before the crash: request copy"), std::string::npos)
      << evidence;
  // Where to look: the crashing frame first, then its callers, with repository paths.
  ASSERT_FALSE(a["look_at"].empty());
  // As the report printed it (templates kept); the frame triage chose.
  EXPECT_NE(a["look_at"][0]["function"].get<std::string>().find("LookupEntry"), std::string::npos);
  EXPECT_EQ(a["look_at"][0]["file"], mcp_test::k_dbc) << a["look_at"].dump(2);
  EXPECT_NE(a["look_at"][0]["why"].get<std::string>().find("crashing frame"), std::string::npos);
  // The near bucket's verified fix.
  bool found = false;
  for (const auto& s : a["similar_fixes"]) {
    if (s["bucket"] == ws.near_bucket) {
      found = true;
      EXPECT_EQ(s["relation"], "near_signature");
      ASSERT_EQ(s["fixes"].size(), 1u);
      EXPECT_EQ(s["fixes"][0]["verdict"], "verified");
      EXPECT_EQ(s["fixes"][0]["files"][0], mcp_test::k_travel);
    }
  }
  EXPECT_TRUE(found) << a["similar_fixes"].dump(2);
  EXPECT_EQ(r["agent"]["name"], "crashpilot-builtin");
}

TEST(BuiltinAnalyzer, WorksWithoutAStoreOrFrames) {
  json request = {
      {"request_id", "abc"},
      {"crash",
       {{"kind", "abort"},
        {"assertion", {{"condition", "m_map != nullptr"}, {"file", "Unit.cpp"}, {"line", 12}}}}}};
  json r = analyze::builtin_response(request, "", nullptr, 0, "1");
  EXPECT_EQ(r["status"], "no_fix");
  EXPECT_NE(r["analysis"]["root_cause"].get<std::string>().find("m_map != nullptr"),
            std::string::npos);
  EXPECT_TRUE(r["analysis"]["look_at"].empty());
  EXPECT_TRUE(r["analysis"]["similar_fixes"].empty());

  json null_deref = {{"request_id", "abc"},
                     {"crash", {{"exception_code", "SIGSEGV"}, {"fault_address", "0x10"}}}};
  r = analyze::builtin_response(null_deref, "", nullptr, 0, "1");
  EXPECT_NE(r["analysis"]["root_cause"].get<std::string>().find("null pointer"), std::string::npos);
}

TEST(BuiltinAnalyzer, GoesThroughTheValidatorAndCompletesTheRequest) {
  mcp_test::Workspace ws;
  analyze::RunnerSetup s;
  s.queue = ws.queue->options();
  s.store_path = ws.dir.path() + "/s.db";
  s.options.run_dir = ws.dir.path() + "/runs";
  s.version = "test";
  analyze::Runner runner(std::move(s));
  auto r = runner.run_request(ws.request_id);
  ASSERT_TRUE(r.skipped.empty()) << r.skipped;
  EXPECT_EQ(r.result.outcome, analyze::Outcome::answered)
      << r.result.reason << (r.result.reasons.empty() ? "" : r.result.reasons.front());
  EXPECT_EQ(r.agent, "builtin");
  auto e = ws.queue->find(ws.request_id);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->state, queue::State::completed);
  auto text = util::read_file(r.response_path);
  ASSERT_TRUE(text);
  EXPECT_EQ(json::parse(*text)["status"], "no_fix");
  auto requests = ws.store->list_requests(ws.bucket);
  ASSERT_TRUE(requests && requests->size() == 1);
  EXPECT_EQ((*requests)[0].status, "answered");
  auto attempts = ws.store->list_attempts((*requests)[0].id);
  ASSERT_TRUE(attempts && attempts->size() == 1);
  EXPECT_EQ((*attempts)[0].agent, "builtin");
  EXPECT_EQ((*attempts)[0].outcome.value_or(""), "answered");
}
