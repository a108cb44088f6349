// SPDX-License-Identifier: MIT
// Every MCP tool against a temporary store, queue and git repository holding a real triaged crash.
#include "test_mcp_fixture.hpp"

using namespace mcp_test;

namespace {

bool has_problem(const analyze::ToolResult& r, std::string_view needle) {
  std::string all = r.content.value("error", std::string());
  for (const auto& p : r.content.value("problems", json::array())) {
    all += "\n" + p.get<std::string>();
  }
  return all.find(needle) != std::string::npos;
}

size_t files_in(const std::string& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    n += e.is_regular_file() ? size_t{1} : size_t{0};
  }
  return n;
}

} // namespace

TEST(McpTools, ListCrashesShowsThePendingRequest) {
  Workspace w;
  auto r = w.call("list_crashes");
  ASSERT_FALSE(r.is_error) << r.content.dump();
  ASSERT_EQ(r.content["crashes"].size(), 1u);
  const json& c = r.content["crashes"][0];
  EXPECT_EQ(c["request_id"], w.request_id);
  EXPECT_EQ(c["status"], "pending");
  EXPECT_EQ(c["crash_function"], w.crash.crash_function);
  EXPECT_EQ(c["crash_id"], w.crash.signature.id);
  EXPECT_FALSE(c.contains("claimed_by"));
  EXPECT_EQ(w.call("list_crashes", {{"status", "in_progress"}}).content["crashes"].size(), 0u);
}

TEST(McpTools, ListCrashesPagesWithACursor) {
  Workspace w;
  for (int i = 0; i < 4; ++i) {
    model::Crash c = w.crash;
    c.signature.id = "extra" + std::to_string(i);
    w.enqueue(c, 1);
  }
  auto first = w.call("list_crashes", {{"limit", 2}});
  ASSERT_EQ(first.content["crashes"].size(), 2u);
  EXPECT_EQ(first.content["total"], 5);
  ASSERT_TRUE(first.content.contains("next_cursor"));
  std::set<std::string> seen;
  json args = {{"limit", 2}, {"cursor", first.content["next_cursor"]}};
  for (const auto& c : first.content["crashes"]) {
    seen.insert(c["request_id"].get<std::string>());
  }
  while (true) {
    auto page = w.call("list_crashes", args);
    ASSERT_FALSE(page.is_error);
    for (const auto& c : page.content["crashes"]) {
      EXPECT_TRUE(seen.insert(c["request_id"].get<std::string>()).second) << "listed twice";
    }
    if (!page.content.contains("next_cursor")) {
      break;
    }
    args["cursor"] = page.content["next_cursor"];
  }
  EXPECT_EQ(seen.size(), 5u);
  auto bad = w.call("list_crashes", {{"cursor", "x"}});
  EXPECT_TRUE(bad.is_error);
}

TEST(McpTools, ArgumentsAreCheckedAgainstThePublishedSchema) {
  Workspace w;
  auto r = w.call("list_crashes", {{"status", "bogus"}, {"limit", 0}, {"extra", 1}});
  ASSERT_TRUE(r.is_error);
  EXPECT_TRUE(has_problem(r, "status"));
  EXPECT_TRUE(has_problem(r, "minimum"));
  EXPECT_TRUE(has_problem(r, "unknown property 'extra'"));
  r = w.call("get_crash", json::object());
  ASSERT_TRUE(r.is_error);
  EXPECT_TRUE(has_problem(r, "missing required 'request_id'"));
  r = w.call("get_crash", {{"request_id", "../etc"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_TRUE(has_problem(r, "does not match"));
  r = w.call("submit_fix", {{"request_id", w.request_id},
                            {"lease_id", "nothex"},
                            {"status", "complete"},
                            {"analysis", {{"summary", 5}}}});
  ASSERT_TRUE(r.is_error);
  EXPECT_TRUE(has_problem(r, "lease_id"));
  EXPECT_TRUE(has_problem(r, "analysis.summary: expected string"));
  EXPECT_FALSE(analyze::call_tool(*w.ctx, "no_such_tool", json::object()));
}

TEST(McpTools, ClaimGivesALeaseAndASecondClaimNamesTheHolder) {
  Workspace w;
  auto r = w.call("claim_crash", {{"request_id", w.request_id}, {"lease_seconds", 120}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  EXPECT_EQ(r.content["lease_id"].get<std::string>().size(), 32u);
  EXPECT_EQ(r.content["lease_seconds"], 120);
  EXPECT_EQ(r.content["holder"], "tester@host");
  EXPECT_EQ(r.content["request_summary"]["crash_function"], w.crash.crash_function);
  auto lease = w.queue->current_lease(w.request_id);
  ASSERT_TRUE(lease);
  EXPECT_EQ(lease->expires_at - lease->claimed_at, 120);

  auto again = w.call("claim_crash", {{"request_id", w.request_id}, {"agent", "other"}});
  ASSERT_TRUE(again.is_error);
  EXPECT_TRUE(has_problem(again, "tester@host")) << again.content.dump();

  auto listed = w.call("list_crashes", {{"status", "in_progress"}});
  ASSERT_EQ(listed.content["crashes"].size(), 1u);
  EXPECT_EQ(listed.content["crashes"][0]["claimed_by"], "tester@host");
  auto none = w.call("claim_crash");
  ASSERT_TRUE(none.is_error);
  EXPECT_TRUE(has_problem(none, "no crash is pending"));
}

TEST(McpTools, ClaimWithoutIdTakesTheHighestPriority) {
  Workspace w;
  model::Crash low = w.crash;
  low.signature.id = "lowprio";
  low.severity = "LOW";
  std::string low_id = w.enqueue(low, 1);
  auto r = w.call("claim_crash", {{"agent", "bot"}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  EXPECT_EQ(r.content["request_id"], w.request_id);
  EXPECT_NE(r.content["request_id"], low_id);
}

TEST(McpTools, GetCrashReturnsTheSectionsAsked) {
  Workspace w;
  auto all = w.call("get_crash", {{"request_id", w.request_id}});
  ASSERT_FALSE(all.is_error) << all.content.dump();
  for (const char* s : {"crash", "context", "source", "policy", "attempt", "reply"}) {
    EXPECT_TRUE(all.content.contains(s)) << s;
  }
  EXPECT_EQ(all.content["crash"]["crash_function"], w.crash.crash_function);
  EXPECT_EQ(all.content["source"]["base_commit"], w.base_commit);
  EXPECT_EQ(all.content["policy"]["max_files"], 3);
  auto some = w.call("get_crash", {{"request_id", w.request_id}, {"sections", {"policy"}}});
  EXPECT_TRUE(some.content.contains("policy"));
  EXPECT_FALSE(some.content.contains("crash"));
  auto missing = w.call("get_crash", {{"request_id", "feedbeef"}});
  ASSERT_TRUE(missing.is_error);
  EXPECT_TRUE(has_problem(missing, "no request 'feedbeef'"));
}

TEST(McpTools, GetStackMapsFramesToTheRepositoryWithSource) {
  Workspace w;
  auto r = w.call("get_stack", {{"request_id", w.request_id}, {"with_source", true}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  EXPECT_EQ(r.content["commit"], w.base_commit);
  const json& frames = r.content["frames"];
  ASSERT_GE(frames.size(), 3u);
  EXPECT_EQ(frames[0]["repo_path"], k_dbc);
  bool saw_401 = false;
  for (const auto& f : frames) {
    if (f.value("line", 0) == 401) {
      saw_401 = true;
      EXPECT_EQ(f["repo_path"], k_travel);
      std::string text = f["source"]["text"];
      EXPECT_NE(text.find(">   401  " + std::string(k_line_401)), std::string::npos) << text;
      EXPECT_EQ(f["source"]["start_line"], 396);
      EXPECT_EQ(f["source"]["end_line"], 406);
    }
  }
  EXPECT_TRUE(saw_401);
  auto cut = w.call("get_stack", {{"request_id", w.request_id}, {"max_frames", 2}});
  EXPECT_EQ(cut.content["frames"].size(), 2u);
  EXPECT_GT(cut.content["total_frames"].get<size_t>(), 2u);
  EXPECT_FALSE(cut.content["frames"][0].contains("source"));
  // Threads come from the stored report.
  EXPECT_GE(r.content["threads"].size(), 1u);
  auto t0 = w.call("get_stack", {{"request_id", w.request_id}, {"thread", 0}});
  ASSERT_FALSE(t0.is_error) << t0.content.dump();
  EXPECT_FALSE(t0.content["frames"].empty());
  auto t99 = w.call("get_stack", {{"request_id", w.request_id}, {"thread", 99}});
  ASSERT_TRUE(t99.is_error);
  EXPECT_TRUE(has_problem(t99, "thread 99 does not exist"));
}

TEST(McpTools, GetSourceReadsTheBaseCommitNotTheWorkingTree) {
  Workspace w;
  auto r = w.call(
      "get_source",
      {{"request_id", w.request_id}, {"path", k_travel}, {"line", 401}, {"context_lines", 2}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  EXPECT_EQ(r.content["commit"], w.base_commit);
  EXPECT_EQ(r.content["start_line"], 399);
  EXPECT_EQ(r.content["end_line"], 403);
  EXPECT_EQ(r.content["total_lines"], 450);
  std::string text = r.content["text"];
  EXPECT_NE(text.find(">   401  " + std::string(k_line_401)), std::string::npos) << text;
  EXPECT_EQ(text.find("changed after the crash"), std::string::npos);
  // Ranges are capped at 400 lines, with where to go on.
  auto range = w.call(
      "get_source",
      {{"request_id", w.request_id}, {"path", k_travel}, {"start_line", 1}, {"end_line", 1000}});
  ASSERT_FALSE(range.is_error);
  EXPECT_LE(range.content["end_line"].get<int>(), 400);
  EXPECT_EQ(range.content["next_start_line"], range.content["end_line"].get<int>() + 1);
  EXPECT_LE(analyze::call_tool_result(range, w.ctx->options.max_result_chars)["content"][0]["text"]
                .get<std::string>()
                .size(),
            w.ctx->options.max_result_chars);
}

TEST(McpTools, GetSourceStaysInsideTheRepository) {
  Workspace w;
  struct Case {
    std::string path;
    std::string why;
  };
  for (const Case& c : std::vector<Case>{{"../../etc/passwd", "'..'"},
                                         {"/etc/passwd", "absolute"},
                                         {".git/config", ".git"},
                                         {".env", "secret"},
                                         {"modules/link.cpp", "symbolic link"},
                                         {"modules/nothere.cpp", "no file"},
                                         {"src\\x.cpp", "backslash"}}) {
    auto r = w.call("get_source", {{"request_id", w.request_id}, {"path", c.path}, {"line", 1}});
    ASSERT_TRUE(r.is_error) << c.path;
    EXPECT_TRUE(has_problem(r, c.why)) << c.path << ": " << r.content.dump();
  }
  auto no_line = w.call("get_source", {{"request_id", w.request_id}, {"path", k_travel}});
  EXPECT_TRUE(no_line.is_error);
  auto past = w.call("get_source", {{"request_id", w.request_id}, {"path", k_flee}, {"line", 900}});
  ASSERT_TRUE(past.is_error);
  EXPECT_TRUE(has_problem(past, "200 lines"));
}

TEST(McpTools, GetLogsUsesTheStoredContextWithTimeWindowGrepAndPaging) {
  Workspace w;
  auto r = w.call("get_logs", {{"request_id", w.request_id}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  EXPECT_EQ(r.content["from"], "store");
  std::string all = r.content["lines"].dump();
  EXPECT_NE(all.find("Map 571 not found"), std::string::npos);
  EXPECT_NE(all.find("bot Alice flees"), std::string::npos);
  // 30 minutes before the crash: outside the default 120 s window.
  EXPECT_EQ(all.find("old error"), std::string::npos);
  EXPECT_EQ(r.content["older_than_window"], 1);
  auto wide = w.call("get_logs", {{"request_id", w.request_id}, {"before_seconds", 3600}});
  EXPECT_NE(wide.content["lines"].dump().find("old error"), std::string::npos);

  auto grep = w.call("get_logs", {{"request_id", w.request_id}, {"grep", "Map 5\\d+"}});
  ASSERT_EQ(grep.content["lines"].size(), 2u);
  auto bot = w.call("get_logs", {{"request_id", w.request_id}, {"source", "playerbot"}});
  ASSERT_EQ(bot.content["lines"].size(), 1u);
  EXPECT_EQ(bot.content["lines"][0]["source"], "playerbot");

  auto page = w.call("get_logs", {{"request_id", w.request_id}, {"max_lines", 2}});
  ASSERT_EQ(page.content["lines"].size(), 2u);
  EXPECT_EQ(page.content["lines"][1]["text"], "bot Alice flees"); // newest last
  ASSERT_TRUE(page.content.contains("next_cursor"));
  auto older = w.call(
      "get_logs",
      {{"request_id", w.request_id}, {"max_lines", 2}, {"cursor", page.content["next_cursor"]}});
  EXPECT_EQ(older.content["lines"][1]["text"], "server line 2");

  auto bad = w.call("get_logs", {{"request_id", w.request_id}, {"grep", "("}});
  ASSERT_TRUE(bad.is_error);
  EXPECT_TRUE(has_problem(bad, "RE2"));
}

TEST(McpTools, SimilarCrashesReportsTheNearBucketAndItsVerifiedFix) {
  Workspace w;
  auto r = w.call("similar_crashes", {{"request_id", w.request_id}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  EXPECT_EQ(r.content["this_bucket"]["signature_id"], w.bucket);
  ASSERT_EQ(r.content["similar"].size(), 1u);
  const json& s = r.content["similar"][0];
  EXPECT_EQ(s["signature_id"], w.near_bucket);
  EXPECT_EQ(s["relation"], "near_signature");
  ASSERT_EQ(s["fix_attempts"].size(), 1u);
  EXPECT_EQ(s["fix_attempts"][0]["verdict"], "verified");
  EXPECT_EQ(s["fix_attempts"][0]["patched_files"][0], k_travel);
}

TEST(McpTools, SubmitFixWithEditsIsValidatedAndWritten) {
  Workspace w;
  std::string lease = w.claim(w.request_id);
  json args = {
      {"request_id", w.request_id},
      {"lease_id", lease},
      {"status", "complete"},
      {"analysis", {{"summary", "mapid may be invalid"}, {"confidence", 0.6}}},
      {"edits",
       {{{"path", k_travel},
         {"old_string", k_line_401},
         {"new_string", std::string(k_line_401) + "\n    if (!entry)\n        return nullptr;"}}}}};
  auto r = w.call("submit_fix", args);
  ASSERT_FALSE(r.is_error) << r.content.dump();
  EXPECT_TRUE(r.content["accepted"]);
  EXPECT_EQ(r.content["files"][0]["path"], k_travel);
  std::string path = r.content["response_path"];
  auto text = util::read_file(path);
  ASSERT_TRUE(text);
  json response = json::parse(*text);
  EXPECT_EQ(response["schema_version"], 2);
  EXPECT_EQ(response["lease_id"], lease);
  EXPECT_EQ(response["patch"]["base_commit"], w.base_commit);
  std::string diff = response["patch"]["diff"];
  EXPECT_NE(diff.find("--- a/" + std::string(k_travel)), std::string::npos) << diff;
  EXPECT_NE(diff.find("+    if (!entry)"), std::string::npos) << diff;
  // The queue's own check agrees: the file passes validation again.
  auto check = w.queue->check_response(w.request_id, queue::now_unix());
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->validation.ok());

  auto status = w.call("get_fix_status", {{"request_id", w.request_id}});
  EXPECT_EQ(status.content["state"], "queued");
  EXPECT_EQ(status.content["job_id"], r.content["job_id"]);
  auto listed = w.call("list_crashes", {{"status", "answered"}});
  EXPECT_EQ(listed.content["crashes"].size(), 1u);
  auto twice = w.call("submit_fix", args);
  ASSERT_TRUE(twice.is_error);
  EXPECT_TRUE(has_problem(twice, "already waiting"));
}

TEST(McpTools, RejectedFixComesBackWithReasonsAndTheLeaseStaysHeld) {
  Workspace w;
  std::string lease = w.claim(w.request_id);
  // DBCStore.h is under src/server/shared/**, which the policy forbids.
  json bad = {
      {"request_id", w.request_id},
      {"lease_id", lease},
      {"status", "complete"},
      {"analysis", {{"summary", "guard the lookup"}}},
      {"edits",
       {{{"path", k_dbc}, {"old_string", "// DBCStore.h line 69"}, {"new_string", "// guarded"}}}}};
  auto r = w.call("submit_fix", bad);
  ASSERT_TRUE(r.is_error);
  EXPECT_TRUE(has_problem(r, "src/server/shared/**")) << r.content.dump();
  EXPECT_TRUE(has_problem(r, "lease_id, which is still held"));
  EXPECT_FALSE(fs::exists(w.queue->response_path(w.request_id)));
  EXPECT_EQ(files_in(w.queue->dir("rejected")), 2u); // the response and its reason
  auto lease_now = w.queue->current_lease(w.request_id);
  ASSERT_TRUE(lease_now);
  EXPECT_EQ(lease_now->lease_id, lease);
  auto status = w.call("get_fix_status", {{"request_id", w.request_id}});
  EXPECT_EQ(status.content["state"], "rejected");
  EXPECT_NE(status.content["reasons"].dump().find("forbidden"), std::string::npos)
      << status.content.dump();
  EXPECT_EQ(w.call("list_crashes", {{"status", "rejected"}}).content["crashes"].size(), 1u);

  // A diff that walks out of the repository is rejected before git ever sees it.
  json traversal = bad;
  traversal.erase("edits");
  traversal["patch"] = {
      {"format", "unified-diff"},
      {"diff", "--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n"}};
  auto t = w.call("submit_fix", traversal);
  ASSERT_TRUE(t.is_error);
  EXPECT_TRUE(has_problem(t, "path traversal")) << t.content.dump();

  // The model corrects itself with the same lease.
  json good = bad;
  good["edits"][0]["path"] = k_flee;
  good["edits"][0]["old_string"] = "// FleeManager.cpp line 106";
  auto ok = w.call("submit_fix", good);
  ASSERT_FALSE(ok.is_error) << ok.content.dump();
}

TEST(McpTools, EditsThatDoNotMatchAreReportedAndNothingIsWritten) {
  Workspace w;
  std::string lease = w.claim(w.request_id);
  json args = {{"request_id", w.request_id},
               {"lease_id", lease},
               {"status", "complete"},
               {"analysis", {{"summary", "x"}}},
               {"edits",
                {{{"path", k_travel}, {"old_string", "not in the file"}, {"new_string", "y"}},
                 {{"path", k_travel}, {"old_string", "TravelMgr.cpp line"}, {"new_string", "y"}},
                 {{"path", "modules/new.cpp"}, {"old_string", "a"}, {"new_string", "b"}}}}};
  auto r = w.call("submit_fix", args);
  ASSERT_TRUE(r.is_error);
  EXPECT_TRUE(has_problem(r, "edits[0]")) << r.content.dump();
  EXPECT_TRUE(has_problem(r, "was not found"));
  EXPECT_TRUE(has_problem(r, "occurs 449 times"));
  EXPECT_TRUE(has_problem(r, "send a unified diff"));
  EXPECT_EQ(files_in(w.queue->dir("rejected")), 0u);
  EXPECT_EQ(files_in(w.queue->dir("responses")), 0u);
}

TEST(McpTools, SubmitFixNeedsTheCurrentLease) {
  Workspace w;
  json args = {{"request_id", w.request_id},
               {"lease_id", std::string(32, 'a')},
               {"status", "no_fix"},
               {"analysis", {{"summary", "no idea"}}}};
  auto unclaimed = w.call("submit_fix", args);
  ASSERT_TRUE(unclaimed.is_error);
  EXPECT_TRUE(has_problem(unclaimed, "claim_crash first"));
  w.claim(w.request_id);
  auto wrong = w.call("submit_fix", args);
  ASSERT_TRUE(wrong.is_error);
  EXPECT_TRUE(has_problem(wrong, "is not the current lease"));
  EXPECT_EQ(files_in(w.queue->dir("responses")), 0u);
  auto complete_without_fix = w.call("submit_fix", {{"request_id", w.request_id},
                                                    {"lease_id", std::string(32, 'a')},
                                                    {"status", "complete"},
                                                    {"analysis", {{"summary", "x"}}}});
  EXPECT_TRUE(complete_without_fix.is_error);
}

TEST(McpTools, NoFixAnalysisIsAcceptedWithoutAPatch) {
  Workspace w;
  std::string lease = w.claim(w.request_id);
  auto r = w.call("submit_fix", {{"request_id", w.request_id},
                                 {"lease_id", lease},
                                 {"status", "no_fix"},
                                 {"analysis", {{"summary", "needs a core dump"}}},
                                 {"notes", {"the DBC lookup is fine"}}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  EXPECT_FALSE(r.content.contains("files"));
}

TEST(McpTools, ReleaseCrashPutsTheRequestBackWithTheReason) {
  Workspace w;
  std::string lease = w.claim(w.request_id);
  auto wrong =
      w.call("release_crash",
             {{"request_id", w.request_id}, {"lease_id", std::string(32, 'b')}, {"reason", "x"}});
  EXPECT_TRUE(wrong.is_error);
  auto r = w.call("release_crash", {{"request_id", w.request_id},
                                    {"lease_id", lease},
                                    {"reason", "cannot reproduce without the map data"},
                                    {"outcome", "not_reproducible"}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  auto entry = w.queue->find(w.request_id);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->state, queue::State::pending);
  EXPECT_EQ(entry->request["claims"].back()["reason"],
            "not_reproducible: cannot reproduce without the map data");
}

TEST(McpTools, FixStatusFollowsTheRequestToItsVerdict) {
  Workspace w;
  EXPECT_EQ(w.call("get_fix_status", {{"request_id", w.request_id}}).content["state"],
            "not_submitted");
  std::string lease = w.claim(w.request_id);
  auto r = w.call("submit_fix", {{"request_id", w.request_id},
                                 {"lease_id", lease},
                                 {"status", "complete"},
                                 {"analysis", {{"summary", "guard"}}},
                                 {"edits",
                                  {{{"path", k_flee},
                                    {"old_string", "// FleeManager.cpp line 106"},
                                    {"new_string", "// guarded"}}}}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  ASSERT_TRUE(w.queue->complete(w.request_id, lease, queue::now_unix()));
  auto done = w.call("get_fix_status", {{"request_id", w.request_id}});
  EXPECT_EQ(done.content["state"], "completed");
  // The fix stage (later) records a verdict in the store.
  auto req = w.store->add_request(w.bucket, 1, queue::now_unix());
  ASSERT_TRUE(req);
  auto attempt = w.store->start_attempt(*req, "mcp", queue::now_unix());
  ASSERT_TRUE(attempt);
  ASSERT_TRUE(w.store->add_verdict(*attempt, "build_failed", "error: 'entry' was not declared",
                                   queue::now_unix() + 5));
  auto failed =
      w.call("get_fix_status", {{"request_id", w.request_id}, {"job_id", r.content["job_id"]}});
  EXPECT_EQ(failed.content["state"], "failed");
  EXPECT_NE(failed.content["log_tail"].get<std::string>().find("not declared"), std::string::npos);
  EXPECT_FALSE(failed.content.contains("note")) << "the job id matches";
}

TEST(McpTools, OnlyRequestConfinesTheServer) {
  Workspace w;
  model::Crash other = w.crash;
  other.signature.id = "otherbucket";
  std::string other_id = w.enqueue(other, 1);
  w.ctx->options.only_request = w.request_id;
  auto listed = w.call("list_crashes", {{"status", "all"}});
  ASSERT_EQ(listed.content["crashes"].size(), 1u);
  EXPECT_EQ(listed.content["crashes"][0]["request_id"], w.request_id);
  auto refused = w.call("get_crash", {{"request_id", other_id}});
  ASSERT_TRUE(refused.is_error);
  EXPECT_TRUE(has_problem(refused, "serves only request"));
  auto claimed = w.call("claim_crash");
  ASSERT_FALSE(claimed.is_error) << claimed.content.dump();
  EXPECT_EQ(claimed.content["request_id"], w.request_id);
}

TEST(McpTools, LargeResultsAreCutToTheCharacterLimit) {
  Workspace w;
  analyze::ToolResult big;
  big.content = {{"items", json::array()}, {"text", std::string(30000, 'x')}};
  for (int i = 0; i < 1000; ++i) {
    big.content["items"].push_back("item " + std::to_string(i));
  }
  json result = analyze::call_tool_result(big, 5000);
  std::string text = result["content"][0]["text"];
  EXPECT_LE(text.size(), 5000u);
  EXPECT_TRUE(result["structuredContent"].contains("truncated_to_fit"));
  EXPECT_EQ(json::parse(text), result["structuredContent"]);
}
