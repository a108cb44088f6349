// SPDX-License-Identifier: MIT
#include <store/json.hpp>

#include "store_test_util.hpp"

using namespace crashpilot;
using namespace crashpilot::store;
using store::testing::at;
using store::testing::crash;
using store::testing::open_store;
using store::testing::ScratchDir;

namespace {

std::vector<std::string> ids(const std::vector<Bucket>& buckets) {
  std::vector<std::string> out;
  for (const auto& b : buckets) {
    out.push_back(b.signature_id);
  }
  return out;
}

class Queries : public ::testing::Test {
protected:
  void SetUp() override {
    model::Crash a = crash("aaaaaaaaaaaa", "NULL_DEREF", {"Map::Update"});
    model::Crash b = crash("bbbbbbbbbbbb", "USE_AFTER_FREE", {"Spell::Cast"});
    b.is_bot_related = true;
    model::Crash c = crash("cccccccccccc", "NULL_DEREF", {"Unit_Percent%::Update"});
    for (Time t : {100, 200, 300}) {
      ASSERT_TRUE(s.record(a, at(t)));
    }
    ASSERT_TRUE(s.record(b, at(1000)));
    for (Time t : {400, 500}) {
      ASSERT_TRUE(s.record(c, at(t)));
    }
  }
  ScratchDir dir;
  Store s = open_store(dir.file("s.db"));
};

} // namespace

TEST_F(Queries, ListSortsByLastSeenOrCount) {
  auto by_last = s.list_buckets();
  ASSERT_TRUE(by_last) << by_last.error();
  EXPECT_EQ(ids(*by_last),
            (std::vector<std::string>{"bbbbbbbbbbbb", "cccccccccccc", "aaaaaaaaaaaa"}));
  BucketFilter f;
  f.sort = BucketSort::count;
  EXPECT_EQ(ids(*s.list_buckets(f)),
            (std::vector<std::string>{"aaaaaaaaaaaa", "cccccccccccc", "bbbbbbbbbbbb"}));
  f.limit = 1;
  EXPECT_EQ(ids(*s.list_buckets(f)), std::vector<std::string>{"aaaaaaaaaaaa"});
}

TEST_F(Queries, ListFilters) {
  BucketFilter f;
  f.category = "NULL_DEREF";
  EXPECT_EQ(ids(*s.list_buckets(f)), (std::vector<std::string>{"cccccccccccc", "aaaaaaaaaaaa"}));
  f = {};
  f.bot = true;
  EXPECT_EQ(ids(*s.list_buckets(f)), std::vector<std::string>{"bbbbbbbbbbbb"});
  f.bot = false;
  EXPECT_EQ(s.list_buckets(f)->size(), 2u);
  f = {};
  f.text = "spell::";
  EXPECT_EQ(ids(*s.list_buckets(f)),
            std::vector<std::string>{"bbbbbbbbbbbb"}); // LIKE is case-blind for ASCII
  f.text = "Percent%";
  EXPECT_EQ(ids(*s.list_buckets(f)), std::vector<std::string>{"cccccccccccc"});
  f.text = "e%U"; // taken literally: as a wildcard it would match "Unit_Percent%::Update"
  EXPECT_TRUE(s.list_buckets(f)->empty());
  f = {};
  ASSERT_TRUE(s.set_status("aaaaaaaaaaaa", BucketStatus::ignored));
  f.status = BucketStatus::ignored;
  EXPECT_EQ(ids(*s.list_buckets(f)), std::vector<std::string>{"aaaaaaaaaaaa"});
  f.status = BucketStatus::open;
  EXPECT_EQ(s.list_buckets(f)->size(), 2u);
}

TEST_F(Queries, GetBucketWithOccurrences) {
  auto d = s.get_bucket("aaaaaaaaaaaa");
  ASSERT_TRUE(d) << d.error();
  ASSERT_TRUE(d->has_value());
  EXPECT_EQ((*d)->bucket.count, 3);
  ASSERT_EQ((*d)->occurrences.size(), 3u);
  EXPECT_EQ((*d)->occurrences[0].time, 300);
  EXPECT_EQ((*d)->occurrences[0].host, "test-host");
  EXPECT_EQ((*d)->occurrences[0].log_context_json, "null");
  auto limited = s.get_bucket("aaaaaaaaaaaa", 2);
  EXPECT_EQ((*limited)->occurrences.size(), 2u);
  auto missing = s.get_bucket("nope");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(Queries, SetStatusChecksItsArguments) {
  auto unknown = s.set_status("nope", BucketStatus::fixing);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().find("no bucket nope"), std::string::npos);
  auto fixed_without_attempt = s.set_status("aaaaaaaaaaaa", BucketStatus::fixed);
  EXPECT_FALSE(fixed_without_attempt);
  auto no_such_attempt = s.set_status("aaaaaaaaaaaa", BucketStatus::fixed, 42);
  ASSERT_FALSE(no_such_attempt);
  EXPECT_NE(no_such_attempt.error().find("no attempt 42"), std::string::npos);
  EXPECT_EQ((*s.get_bucket("aaaaaaaaaaaa"))->bucket.status, BucketStatus::open); // unchanged
  ASSERT_TRUE(s.set_status("aaaaaaaaaaaa", BucketStatus::fixing));
  EXPECT_EQ((*s.get_bucket("aaaaaaaaaaaa"))->bucket.status, BucketStatus::fixing);
}

TEST_F(Queries, AnalysisHistoryRoundTrips) {
  auto req = s.add_request("aaaaaaaaaaaa", 7, 1000);
  ASSERT_TRUE(req) << req.error();
  EXPECT_FALSE(s.add_request("nope", 1, 1000)) << "foreign key to buckets";
  ASSERT_TRUE(s.update_request(*req, "claimed", std::nullopt, 1100));
  EXPECT_FALSE(s.update_request(999, "claimed", std::nullopt, 1100));

  auto a1 = s.start_attempt(*req, "claude", 1200);
  auto a2 = s.start_attempt(*req, "codex", 1300);
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(s.start_attempt(999, "x", 1));
  ASSERT_TRUE(s.finish_attempt(*a1, "rejected", "path traversal", 0.25, 1250));
  EXPECT_FALSE(s.finish_attempt(999, "x", "", std::nullopt, 1));

  auto r = s.get_request(*req);
  ASSERT_TRUE(r && r->has_value());
  EXPECT_EQ((*r)->status, "claimed");
  EXPECT_EQ((*r)->priority, 7);
  EXPECT_EQ((*r)->attempts, 2);
  EXPECT_EQ((*r)->updated, 1300);
  EXPECT_EQ(s.list_requests("", "claimed")->size(), 1u);
  EXPECT_TRUE(s.list_requests("", "queued")->empty());

  auto attempts = s.list_attempts(*req);
  ASSERT_TRUE(attempts);
  ASSERT_EQ(attempts->size(), 2u);
  EXPECT_EQ((*attempts)[0].outcome, "rejected");
  EXPECT_EQ((*attempts)[0].cost, 0.25);
  EXPECT_EQ((*attempts)[0].finished, 1250);
  EXPECT_FALSE((*attempts)[1].finished);

  ASSERT_TRUE(s.put_response(*a2, 2, R"({"schema_version":2})"));
  EXPECT_FALSE(s.put_response(999, 2, "{}")) << "foreign key to attempts";
  auto resp = s.get_response(*a2);
  ASSERT_TRUE(resp && resp->has_value());
  EXPECT_EQ((*resp)->schema_version, 2);
  EXPECT_FALSE(s.get_response(*a1)->has_value());

  Patch p;
  p.attempt = *a2;
  p.diff = "--- a/x\n+++ b/x\n";
  p.files = {"src/x.cpp", "src/y.cpp"};
  p.lines = 12;
  ASSERT_TRUE(s.put_patch(p));
  auto back = s.get_patch(*a2);
  ASSERT_TRUE(back && back->has_value());
  EXPECT_EQ((*back)->files, p.files);
  EXPECT_EQ((*back)->lines, 12);

  ASSERT_TRUE(s.add_verdict(*a2, "built", "", 1400));
  ASSERT_TRUE(s.add_verdict(*a2, "verified", "no crash in 2h", 1500));
  auto verdicts = s.list_verdicts(*a2);
  ASSERT_EQ(verdicts->size(), 2u);
  EXPECT_EQ((*verdicts)[1].verdict, "verified");

  auto detail = s.get_bucket("aaaaaaaaaaaa");
  ASSERT_EQ((*detail)->requests.size(), 1u);
}

TEST_F(Queries, JsonFormsCarryTheFields) {
  auto d = s.get_bucket("bbbbbbbbbbbb");
  nlohmann::json j = to_json(**d);
  EXPECT_EQ(j["signature"]["id"], "bbbbbbbbbbbb");
  EXPECT_EQ(j["status"], "open");
  EXPECT_EQ(j["count"], 1);
  EXPECT_EQ(j["is_bot_related"], true);
  EXPECT_EQ(j["last_seen_iso"], "1970-01-01T00:16:40Z");
  ASSERT_EQ(j["occurrences"].size(), 1u);
  EXPECT_EQ(j["occurrences"][0]["crash"]["crash_category"], "USE_AFTER_FREE");
  EXPECT_TRUE(j["occurrences"][0]["log_context"].is_null());
  EXPECT_EQ(iso_time(1714564800), "2024-05-01T12:00:00Z");
}
