// SPDX-License-Identifier: MIT
#include "store_test_util.hpp"

namespace crashpilot::store {
namespace {

using testing::crash;
using testing::ScratchDir;

TEST(StoreFixes, FixRowsRoundTripAndSurviveReopen) {
  ScratchDir dir;
  int64_t attempt = 0;
  {
    auto s = Store::open(dir.file("db"));
    ASSERT_TRUE(s) << s.error();
    ASSERT_TRUE(s->record(crash("aaaaaaaaaaaa"), {}));
    auto req = s->add_request("aaaaaaaaaaaa", 1, 1000);
    ASSERT_TRUE(req);
    auto a = s->start_attempt(*req, "recorded", 1100);
    ASSERT_TRUE(a);
    attempt = *a;
    Fix f;
    f.attempt = attempt;
    f.bucket = "aaaaaaaaaaaa";
    f.stage = "applied";
    f.branch = "crashpilot/aaaaaaaaaaaa-1";
    f.needs_approval = true;
    f.detail_json = R"({"gate":[]})";
    f.created = 1100;
    f.updated = 1100;
    ASSERT_TRUE(s->put_fix(f));
    f.stage = "built";
    f.updated = 1200;
    ASSERT_TRUE(s->put_fix(f)) << "a second put replaces the row";
  }
  auto s = Store::open(dir.file("db"));
  ASSERT_TRUE(s);
  auto got = s->get_fix(attempt);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->stage, "built");
  EXPECT_EQ((*got)->branch, "crashpilot/aaaaaaaaaaaa-1");
  EXPECT_TRUE((*got)->needs_approval);
  EXPECT_EQ((*got)->updated, 1200);
  auto built = s->list_fixes("", {"built", "verified"});
  ASSERT_TRUE(built);
  EXPECT_EQ(built->size(), 1u);
  auto none = s->list_fixes("aaaaaaaaaaaa", {"landed"});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(*s->get_fix(attempt + 1));
  EXPECT_EQ(*s->attempts_since(1100), 1);
  EXPECT_EQ(*s->attempts_since(1101), 0);

  Fix orphan;
  orphan.attempt = 999;
  orphan.bucket = "x";
  orphan.stage = "applied";
  EXPECT_FALSE(s->put_fix(orphan)) << "foreign key to attempts";
}

TEST(StoreFixes, AuditAndStateKeepOrder) {
  ScratchDir dir;
  auto s = Store::open(dir.file("db"));
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->add_audit("captured", "b1", std::nullopt, "SIGSEGV", 10));
  ASSERT_TRUE(s->add_audit("built", "b1", std::nullopt, "ok", 20));
  auto log = s->list_audit(10);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].action, "built") << "newest first";
  EXPECT_FALSE((*log)[0].attempt);
  EXPECT_FALSE(*s->get_state("stage"));
  ASSERT_TRUE(s->set_state("stage", "analyzing", 30));
  ASSERT_TRUE(s->set_state("stage", "building", 31));
  EXPECT_EQ(**s->get_state("stage"), "building");
}

} // namespace
} // namespace crashpilot::store
