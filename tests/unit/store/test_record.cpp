// SPDX-License-Identifier: MIT
#include <parse/parser.hpp>
#include <triage/signature.hpp>
#include <triage/triage.hpp>
#include <util/file.hpp>
#include <util/sha1.hpp>

#include <nlohmann/json.hpp>
#include <store/raw_report.hpp>

#include "../triage/triage_test_util.hpp"
#include "store_test_util.hpp"

using namespace crashpilot;
using namespace crashpilot::store;
using store::testing::at;
using store::testing::crash;
using store::testing::open_store;
using store::testing::ScratchDir;

namespace {

model::Crash triaged_fixture(const std::string& rel) {
  auto text = util::read_file(std::string(CRASHPILOT_TEST_DATA) + "/crashes/" + rel);
  EXPECT_TRUE(text) << text.error();
  auto parsed = parse::parse_text(*text);
  EXPECT_FALSE(parsed.crashes.empty()) << rel;
  model::Crash c = parsed.crashes.empty() ? model::Crash{} : parsed.crashes.front();
  triage::triage(c, triage::testing::rules());
  return c;
}

} // namespace

TEST(Record, SameBugFromTwoBuildsIsOneBucketCountedTwice) {
  model::Crash a = triaged_fixture("assertion/npcbots-13-object-getmap-currmap.txt");
  model::Crash b = triaged_fixture("assertion/npcbots-401-ac-worldobject-getmap.txt");
  ASSERT_FALSE(a.signature.id.empty());
  ASSERT_EQ(a.signature.id, b.signature.id) << "the fixtures no longer share a signature";
  ScratchDir dir;
  Store s = open_store(dir.file("s.db"));

  auto r1 = s.record(a, at(1000, "build-a"));
  ASSERT_TRUE(r1) << r1.error();
  EXPECT_TRUE(r1->new_bucket);
  auto r2 = s.record(b, at(2000, "build-b"));
  ASSERT_TRUE(r2) << r2.error();
  EXPECT_FALSE(r2->new_bucket);
  EXPECT_EQ(r2->count, 2);

  auto buckets = s.list_buckets();
  ASSERT_TRUE(buckets);
  ASSERT_EQ(buckets->size(), 1u);
  const Bucket& bucket = buckets->front();
  EXPECT_EQ(bucket.signature_id, a.signature.id);
  EXPECT_EQ(bucket.count, 2);
  EXPECT_EQ(bucket.first_seen, 1000);
  EXPECT_EQ(bucket.last_seen, 2000);
  EXPECT_EQ(bucket.kind, "assertion");
  EXPECT_TRUE(bucket.is_bot_related);
  EXPECT_EQ(bucket.signature_frames, a.signature.frames);

  auto detail = s.get_bucket(a.signature.id);
  ASSERT_TRUE(detail && detail->has_value());
  ASSERT_EQ((*detail)->occurrences.size(), 2u);
  EXPECT_EQ((*detail)->occurrences[0].build_id, "build-b"); // newest first
  EXPECT_EQ((*detail)->occurrences[1].build_id, "build-a");
  // Two different texts: stored twice, each readable back.
  ASSERT_TRUE(r1->raw_sha1 && r2->raw_sha1);
  EXPECT_NE(*r1->raw_sha1, *r2->raw_sha1);
  auto raw = s.raw_report(*r1->raw_sha1);
  ASSERT_TRUE(raw) << raw.error();
  EXPECT_EQ(*raw, a.raw);
  // The occurrence's crash JSON is the model's, without the text.
  auto j = nlohmann::json::parse((*detail)->occurrences[1].crash_json);
  EXPECT_EQ(j["signature"]["id"], a.signature.id);
  EXPECT_FALSE(j.contains("raw"));
}

TEST(Record, SameTextIsStoredOnce) {
  ScratchDir dir;
  Store s = open_store(dir.file("s.db"));
  model::Crash c = crash("aaaaaaaaaaaa");
  auto r1 = s.record(c, at(100));
  auto r2 = s.record(c, at(200));
  ASSERT_TRUE(r1 && r2);
  EXPECT_TRUE(r1->raw_inserted);
  EXPECT_FALSE(r2->raw_inserted);
  EXPECT_EQ(r1->raw_sha1, r2->raw_sha1);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM raw_reports"), 1);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM occurrences WHERE raw_sha1 IS NOT NULL"), 2);
}

TEST(Record, LargeReportIsStoredCompressed) {
  auto text = util::read_file(std::string(CRASHPILOT_TEST_DATA) +
                              "/crashes/assertion/npcbots-13-object-getmap-currmap.txt");
  ASSERT_TRUE(text);
  std::string big;
  while (big.size() < 200 * 1024) {
    big += *text;
  }
  ScratchDir dir;
  Store s = open_store(dir.file("s.db"));
  OccurrenceInfo info = at(100);
  info.raw = big;
  auto r = s.record(crash("bbbbbbbbbbbb"), info);
  ASSERT_TRUE(r) << r.error();
  auto stmt = s.db().prepare("SELECT original_size, stored_size, compressed_size, length(data), "
                             "truncated FROM raw_reports");
  ASSERT_TRUE(stmt && *stmt->step());
  EXPECT_EQ(stmt->column_int(0), static_cast<int64_t>(big.size()));
  EXPECT_EQ(stmt->column_int(1), static_cast<int64_t>(big.size()));
  EXPECT_EQ(stmt->column_int(2), stmt->column_int(3));
  EXPECT_LT(stmt->column_int(3) * 4, stmt->column_int(1)) << "expected at least 4x compression";
  EXPECT_EQ(stmt->column_int(4), 0);
  auto back = s.raw_report(*r->raw_sha1);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, big);
}

TEST(Record, ReportOverTheCapIsCutWithAMarker) {
  ScratchDir dir;
  Options o;
  o.retention.max_raw_bytes_per_report = 4096;
  Store s = open_store(dir.file("s.db"), o);
  std::string big;
  for (int i = 0; big.size() < 100000; ++i) {
    big += "#" + std::to_string(i) +
           " 0x00007ff6 in Unit::Update (this=0x0) at Unit.cpp:" + std::to_string(i) + "\n";
  }
  OccurrenceInfo info = at(100);
  info.raw = big;
  auto r = s.record(crash("cccccccccccc"), info);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r->raw_sha1, util::sha1_hex(big)); // addressed by the full text
  auto back = s.raw_report(*r->raw_sha1);
  ASSERT_TRUE(back);
  EXPECT_LE(back->size(), 4096u);
  EXPECT_GT(back->size(), 3000u);
  EXPECT_NE(back->find("[crashpilot: report cut at"), std::string::npos);
  EXPECT_NE(back->find(std::to_string(big.size()) + " bytes]"), std::string::npos);
  EXPECT_EQ(big.compare(0, 100, *back, 0, 100), 0); // the start is kept
  EXPECT_EQ(*s.db().query_int("SELECT truncated FROM raw_reports"), 1);
}

TEST(Record, CapReportKeepsSmallTextAndNeverExceedsTheCap) {
  EXPECT_EQ(cap_report("short\n", 100), "short\n");
  std::string line(50, 'x');
  std::string text;
  for (int i = 0; i < 100; ++i) {
    text += line + "\n";
  }
  for (size_t cap : {size_t{10}, size_t{60}, size_t{200}, size_t{1000}}) {
    EXPECT_LE(cap_report(text, cap).size(), cap) << cap;
  }
  std::string cut = cap_report(text, 1000);
  EXPECT_NE(cut.find("x\n\n[crashpilot: report cut at"), std::string::npos)
      << "cut at a line end: " << cut;
}

TEST(Record, CrashInFixedBucketRegressesAndNamesTheFix) {
  ScratchDir dir;
  Store s = open_store(dir.file("s.db"));
  model::Crash c = crash("dddddddddddd");
  ASSERT_TRUE(s.record(c, at(100)));
  auto req = s.add_request(c.signature.id, 10, 110);
  ASSERT_TRUE(req) << req.error();
  auto attempt = s.start_attempt(*req, "claude", 120);
  ASSERT_TRUE(attempt) << attempt.error();
  ASSERT_TRUE(s.set_status(c.signature.id, BucketStatus::fixed, *attempt));

  auto r = s.record(c, at(500, "build-with-fix"));
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(r->regressed);
  EXPECT_EQ(r->status, BucketStatus::regressed);
  ASSERT_TRUE(r->regressed_fix_attempt);
  EXPECT_EQ(*r->regressed_fix_attempt, *attempt);
  auto b = s.get_bucket(c.signature.id);
  ASSERT_TRUE(b && b->has_value());
  EXPECT_EQ((*b)->bucket.status, BucketStatus::regressed);
  EXPECT_EQ((*b)->bucket.fixed_by_attempt, *attempt);

  // A regressed bucket that crashes again stays regressed without a second regression report.
  auto again = s.record(c, at(600));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->regressed);
  EXPECT_EQ(again->status, BucketStatus::regressed);
}

TEST(Record, OpenOrIgnoredBucketsDoNotRegress) {
  ScratchDir dir;
  Store s = open_store(dir.file("s.db"));
  model::Crash c = crash("eeeeeeeeeeee");
  ASSERT_TRUE(s.record(c, at(100)));
  ASSERT_TRUE(s.set_status(c.signature.id, BucketStatus::ignored));
  auto r = s.record(c, at(200));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->regressed);
  EXPECT_EQ(r->status, BucketStatus::ignored);
}

TEST(Record, NewBucketIsLinkedToNearSignatures) {
  ScratchDir dir;
  Options o;
  o.is_near = [](const model::Signature& a, const model::Signature& b) {
    return triage::is_near(a, b, 0.8);
  };
  Store s = open_store(dir.file("s.db"), o);
  ASSERT_TRUE(s.record(
      crash("111111111111", "NULL_DEREF", {"Map::Update", "World::Update", "main"}), at(100)));
  ASSERT_TRUE(s.record(
      crash("222222222222", "NULL_DEREF", {"Spell::Cast", "Unit::Update", "Player::Update"}),
      at(100)));
  // Same two top frames as the first: near; nothing like the second.
  auto r = s.record(
      crash("333333333333", "NULL_DEREF", {"Map::Update", "World::Update", "World::Run"}), at(200));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->linked, std::vector<std::string>{"111111111111"});
  auto b = s.get_bucket("111111111111");
  ASSERT_TRUE(b && b->has_value());
  EXPECT_EQ((*b)->near, std::vector<std::string>{"333333333333"});
  auto other = s.get_bucket("222222222222");
  EXPECT_TRUE((*other)->near.empty());
}

TEST(Record, UntriagedCrashIsRefused) {
  ScratchDir dir;
  Store s = open_store(dir.file("s.db"));
  model::Crash c;
  auto r = s.record(c, at(1));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("without a signature"), std::string::npos);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM buckets"), 0);
}

TEST(Record, CrashWithoutTextHasNoRawReport) {
  ScratchDir dir;
  Store s = open_store(dir.file("s.db"));
  model::Crash c = crash("ffffffffffff");
  c.raw.clear();
  auto r = s.record(c, at(1));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->raw_sha1);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM raw_reports"), 0);
}
