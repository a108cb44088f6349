// SPDX-License-Identifier: MIT
// The seed's real request and response shapes (reconstructed fixtures in tests/data/queue/)
// round-trip through the queue and the response reader.
#include <queue/response.hpp>

#include "queue_test_util.hpp"

using namespace queue_test;
using crashpilot::queue::ResponseSchema;
using nlohmann::json;

namespace {
json load(const std::string& name) {
  auto text = crashpilot::util::read_file(data_file(name));
  EXPECT_TRUE(text) << text.error();
  return json::parse(*text);
}

json load_done(const crashpilot::queue::Queue& q, const std::string& id) {
  auto text = crashpilot::util::read_file(q.request_path("completed", id));
  EXPECT_TRUE(text);
  return json::parse(*text);
}

void copy_into(const std::string& name, const std::string& to) {
  auto text = crashpilot::util::read_file(data_file(name));
  ASSERT_TRUE(text);
  ASSERT_TRUE(crashpilot::util::write_file_atomic(to, *text));
}
} // namespace

TEST(SeedResponse, SchemaAFixContent) {
  auto r = crashpilot::queue::response_from_json(load("response_459d457f.json"));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->schema_version, 1);
  EXPECT_EQ(r->schema, ResponseSchema::v1_fix_content);
  EXPECT_EQ(r->request_id, "459d457f");
  EXPECT_EQ(r->status, "complete");
  ASSERT_EQ(r->files.size(), 1u);
  EXPECT_EQ(r->files[0].path, "src/modules/Playerbot/Lifecycle/DeathRecoveryManager.cpp");
  EXPECT_NE(r->fix_content.find("AddEventAtOffset"), std::string::npos);
  EXPECT_FALSE(r->auto_applicable());
  // The seed's test checks exactly these ten top-level keys; the raw document keeps them.
  for (const char* k : {"request_id", "timestamp", "status", "trinity_api_analysis",
                        "playerbot_feature_analysis", "fix_strategy", "fix_content", "validation",
                        "analysis_duration_seconds", "resources_used"}) {
    EXPECT_TRUE(r->raw.contains(k)) << k;
  }
}

TEST(SeedResponse, SchemaAWithAdditionalNotes) {
  auto r = crashpilot::queue::response_from_json(load("response_d1255f91.json"));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->schema, ResponseSchema::v1_fix_content);
  EXPECT_EQ(r->summary, "Unsubscribe before members the dispatcher points into are destroyed");
  EXPECT_FALSE(r->auto_applicable());
}

TEST(SeedResponse, SchemaBFilesModified) {
  auto r = crashpilot::queue::response_from_json(load("response_d8aef0f7.json"));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->schema, ResponseSchema::v1_files_modified);
  EXPECT_EQ(r->status, "complete"); // from analysis_complete
  ASSERT_EQ(r->files.size(), 1u);
  EXPECT_EQ(r->files[0].path, "src/modules/Playerbot/Core/Events/EventDispatcher.cpp");
  EXPECT_EQ(r->files[0].change, "BUGFIX");
  EXPECT_NE(r->fix_content.find("lock_guard"),
            std::string::npos); // code_changes.after, no new_code
  EXPECT_EQ(r->summary, "UnsubscribeAll iterates a subscriber vector of a destroyed dispatcher");
  EXPECT_FALSE(r->auto_applicable());
}

TEST(SeedResponse, WrongTypesAreNamed) {
  auto r = crashpilot::queue::response_from_json(json{{"schema_version", 2}, {"request_id", 5}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("request_id"), std::string::npos);
  EXPECT_FALSE(crashpilot::queue::response_from_json(json{{"schema_version", 3}}));
}

TEST(SeedQueue, SeedRequestAndResponsePassThroughTheQueue) {
  for (const std::string id : {"459d457f", "d1255f91", "d8aef0f7"}) {
    auto dir = scratch();
    auto q = open_queue(dir.path());
    copy_into("request_" + id + ".json", q.request_path("requests", id));
    json original = load("request_" + id + ".json");
    auto c = q.claim(id, "seed-agent", 1000);
    ASSERT_TRUE(c) << c.error();
    copy_into("response_" + id + ".json", q.response_path(id));
    auto checked = q.check_response(id, 1001);
    ASSERT_TRUE(checked) << checked.error();
    // v1: accepted for display (the TrinityCore-shaped paths are in the default policy), never
    // applied.
    EXPECT_TRUE(checked->validation.ok())
        << id << ": " << crashpilot::util::join(checked->validation.reasons, "; ");
    ASSERT_TRUE(checked->validation.response);
    EXPECT_FALSE(checked->validation.response->auto_applicable());
    EXPECT_FALSE(checked->validation.warnings.empty());
    ASSERT_TRUE(q.complete(id, c->lease.lease_id, 1002));
    // Every seed field and value survives; only status moved on and claim records were added.
    json after = load_done(q, id);
    for (auto it = original.begin(); it != original.end(); ++it) {
      if (it.key() != "status") {
        EXPECT_EQ(after[it.key()], it.value()) << id << " field " << it.key();
      }
    }
    EXPECT_EQ(after["status"], "completed");
    auto response = crashpilot::util::read_file(q.dir("completed") + "/response_" + id + ".json");
    ASSERT_TRUE(response);
    EXPECT_EQ(json::parse(*response), load("response_" + id + ".json"));
  }
}
