// SPDX-License-Identifier: MIT
#include <config/config.hpp>

#include <queue/caps.hpp>
#include <queue/priority.hpp>
#include <queue/request.hpp>
#include <queue/snippets.hpp>

#include "queue_test_util.hpp"

using namespace queue_test;
using namespace crashpilot::queue;
using nlohmann::json;

TEST(Request, KeepsEverySeedFieldAndAddsV2) {
  json r = build_request(sample_input(), "459d457f", "q/responses/response_459d457f.json",
                         1'700'000'100, {});
  for (const char* k :
       {"request_id", "timestamp", "status", "crash", "context", "request_type", "priority"}) {
    EXPECT_TRUE(r.contains(k)) << k;
  }
  for (const char* k : {"crash_id", "timestamp", "exception_code", "crash_location",
                        "crash_function", "error_message", "call_stack", "crash_category",
                        "severity", "is_bot_related", "root_cause_hypothesis", "fix_suggestions"}) {
    EXPECT_TRUE(r["crash"].contains(k)) << k;
  }
  for (const char* k : {"errors_before_crash", "warnings_before_crash", "server_log_context",
                        "playerbot_log_context"}) {
    EXPECT_TRUE(r["context"][k].is_array()) << k;
  }
  EXPECT_EQ(r["schema_version"], 2);
  EXPECT_EQ(r["status"], "pending");
  EXPECT_EQ(r["request_type"], "comprehensive_analysis");
  EXPECT_EQ(r["context"]["errors_before_crash"][0]["message"], "map 571 error");
  EXPECT_EQ(r["crash"]["signature"]["id"], "3f2a9b1c0d4e");
  EXPECT_EQ(r["crash"]["thread"]["name"], "map-update-3");
  EXPECT_EQ(r["crash"]["frames"][0]["line"], 603);
  EXPECT_EQ(r["crash"]["occurrences"]["count"], 1);
  EXPECT_EQ(r["policy"]["allowed_paths"][0], "src/modules/**");
  EXPECT_EQ(r["policy"]["hierarchy"][1]["level"], 2);
  EXPECT_EQ(r["attempt"]["number"], 1);
  EXPECT_EQ(r["reply"]["response_path"], "q/responses/response_459d457f.json");
  EXPECT_FALSE(r.contains("source"));   // no repository configured
  EXPECT_EQ(r["priority"], "critical"); // CRITICAL 40 + count 0 + seen 100 s ago 30
  EXPECT_EQ(r["priority_score"], 70);
}

TEST(Request, PreviousAttemptsCarryTheirLogTail) {
  auto in = sample_input();
  in.previous.push_back({"r1", "build_failed", std::string(20000, 'a') + "error: missing ;"});
  json r = build_request(in, "x", "p", 1, {});
  EXPECT_EQ(r["attempt"]["number"], 2);
  std::string tail = r["attempt"]["previous"][0]["log_tail"];
  EXPECT_EQ(tail.size(), 16384u);
  EXPECT_NE(tail.find("error: missing ;"), std::string::npos); // the end is kept
  EXPECT_EQ(r["attempt"]["previous"][0]["truncated"]["log_tail"], 20016 - 16384);
}

TEST(Request, EveryListAndStringIsCapped) {
  auto in = sample_input();
  for (int i = 0; i < 500; ++i) {
    in.context.server_log_context.push_back("log " + std::to_string(i));
  }
  in.context.playerbot_log_context = {std::string(5000, 'b')};
  in.crash.root_cause_hypothesis =
      std::string(4000, 'x') + std::string(100, '\xC3');                // invalid tail, cut anyway
  in.crash.root_cause_hypothesis = std::string(4095, 'x') + "\xC3\xA9"; // é across the cap
  Limits limits;
  json r = build_request(in, "x", "p", 1, limits);
  EXPECT_EQ(r["context"]["server_log_context"].size(), 200u);
  EXPECT_EQ(r["context"]["truncated"]["server_log_context"], 302);
  EXPECT_EQ(r["context"]["playerbot_log_context"][0].get<std::string>().size(), 4096u);
  EXPECT_EQ(r["context"]["truncated"]["playerbot_log_context.bytes"], 904);
  EXPECT_EQ(r["crash"]["root_cause_hypothesis"].get<std::string>().size(),
            4095u); // not mid-character
  EXPECT_EQ(r["crash"]["truncated"]["root_cause_hypothesis"], 2);
}

TEST(Request, UpdateOccurrencesRaisesPriority) {
  auto in = sample_input();
  in.crash.severity = "MEDIUM";
  json r = build_request(in, "x", "p", 1'700'000'000 + 86400 * 30, {});
  EXPECT_EQ(r["priority"], "low"); // MEDIUM 20, one crash, a month old
  BucketInfo b = in.bucket;
  b.count = 1000;
  b.last_seen = 1'700'000'000 + 86400 * 30;
  update_occurrences(r, b, b.last_seen);
  EXPECT_EQ(r["crash"]["occurrences"]["count"], 1000);
  EXPECT_EQ(r["priority"], "critical"); // 20 + 30 + 30
}

TEST(Priority, Formula) {
  EXPECT_EQ(compute_priority("CRITICAL", 1, 0).score, 70);
  EXPECT_EQ(compute_priority("HIGH", 10, 7200).score, 30 + 10 + 20);
  EXPECT_EQ(compute_priority("LOW", 100, 86400 * 8).score, 10 + 20);
  EXPECT_EQ(compute_priority("LOW", 100000, 0).label, "critical");
  EXPECT_EQ(compute_priority("LOW", 1, 86400 * 8).label, "low");
  EXPECT_EQ(compute_priority("MEDIUM", 1, 86400 * 2).label, "medium");
}

TEST(Request, PresetsCarryQueueAndPolicy) {
  crashpilot::config::LoadOptions lo;
  lo.search_default_file = false;
  lo.preset = "trinitycore";
  auto tc = crashpilot::config::Config::load(lo);
  ASSERT_TRUE(tc) << tc.error();
  auto o = queue_options_from_config(*tc);
  EXPECT_EQ(o.root, ".claude/crash_analysis_queue");
  EXPECT_EQ(o.lease_seconds, 1800);
  EXPECT_EQ(queue_options_from_config(*tc, "/tmp/x").root, "/tmp/x");
  Policy p = policy_from_config(*tc);
  ASSERT_GE(p.allowed_paths.size(), 2u);
  EXPECT_EQ(p.allowed_paths[0], "src/modules/**");
  EXPECT_EQ(p.allowed_paths[1], "src/server/game/**");
  EXPECT_EQ(p.max_response_bytes, 8 << 20);
  std::string why;
  EXPECT_FALSE(path_allowed(p, "src/server/shared/Networking/Socket.h", why));
  EXPECT_TRUE(path_allowed(p, "src/modules/Playerbot/AI/BotAI.cpp", why));

  lo.preset = "generic";
  auto generic = crashpilot::config::Config::load(lo);
  ASSERT_TRUE(generic) << generic.error();
  EXPECT_EQ(queue_options_from_config(*generic).root, ".crashpilot/queue");
  EXPECT_TRUE(path_allowed(policy_from_config(*generic), "lib/x.cpp", why));
}

TEST(Snippets, MapsReportPathsIntoTheTree) {
  std::vector<std::string> tree{"src/server/game/Spells/Spell.cpp", "src/modules/Bot/Bot.cpp"};
  EXPECT_EQ(map_to_tree("C:\\TC\\src\\server\\game\\Spells\\Spell.cpp", tree),
            "src/server/game/Spells/Spell.cpp");
  EXPECT_EQ(map_to_tree("/build/src/modules/Bot/Bot.cpp", tree), "src/modules/Bot/Bot.cpp");
  EXPECT_EQ(map_to_tree("Spell.cpp", {"a/Spell.cpp"}), "");
  EXPECT_EQ(map_to_tree("/x/../src/modules/Bot/Bot.cpp", tree), "src/modules/Bot/Bot.cpp");
}

TEST(Snippets, ReadFromTheBaseCommitNotTheWorkingTree) {
  auto dir = scratch();
  std::string repo = dir.path() + "/repo";
  std::string base = make_repo(repo);
  ASSERT_TRUE(
      crashpilot::util::write_file_atomic(repo + "/src/modules/Bot/Bot.cpp", "changed later\n"));
  crashpilot::model::Frame f;
  f.index = 0;
  f.file = "D:\\server\\src\\modules\\Bot\\Bot.cpp";
  f.line = 5;
  SnippetOptions o;
  o.repo_root = repo;
  o.commit = base;
  o.context_lines = 2;
  auto s = read_snippets({f}, o);
  ASSERT_TRUE(s) << s.error();
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ((*s)[0].path, "src/modules/Bot/Bot.cpp");
  EXPECT_EQ((*s)[0].start_line, 3);
  EXPECT_EQ((*s)[0].end_line, 7);
  EXPECT_EQ((*s)[0].text, "line 3\nline 4\nline 5\nline 6\nline 7\n");

  o.repo_root.clear();
  auto none = read_snippets({f}, o);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  o.repo_root = repo;
  o.commit = "0000000000000000000000000000000000000000";
  EXPECT_FALSE(read_snippets({f}, o));
}
