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

constexpr Time k_day = 86400;
constexpr Time k_today = 20000 * k_day; // 2024-10-04
constexpr Time k_now = k_today + 12 * 3600;

// An attempt at `bucket` with the given verdicts, all at `time`.
int64_t attempt_with(Store& s, const std::string& bucket,
                     std::initializer_list<const char*> verdicts, Time time) {
  auto req = s.add_request(bucket, 1, time);
  EXPECT_TRUE(req) << req.error();
  auto a = s.start_attempt(*req, "agent", time);
  EXPECT_TRUE(a) << a.error();
  for (const char* v : verdicts) {
    EXPECT_TRUE(s.add_verdict(*a, v, "", time));
  }
  return *a;
}

} // namespace

TEST(Stats, SmallHistory) {
  ScratchDir dir;
  Store s = open_store(dir.file("s.db"));
  model::Crash a = crash("aaaaaaaaaaaa", "NULL_DEREF");
  model::Crash b = crash("bbbbbbbbbbbb", "NULL_DEREF");
  model::Crash c = crash("cccccccccccc", "USE_AFTER_FREE");
  model::Crash d = crash("dddddddddddd", "STACK_OVERFLOW");
  ASSERT_TRUE(s.record(a, at(k_today - 10 * k_day))); // outside a 3-day window
  ASSERT_TRUE(s.record(a, at(k_today - 2 * k_day + 5)));
  ASSERT_TRUE(s.record(b, at(k_today - 2 * k_day + 6)));
  ASSERT_TRUE(s.record(c, at(k_today - 3600 * 2)));
  ASSERT_TRUE(s.record(c, at(k_today + 1)));
  ASSERT_TRUE(s.record(c, at(k_today + 2)));
  ASSERT_TRUE(s.record(d, at(k_today + 3)));

  attempt_with(s, a.signature.id, {"build_failed"}, k_today);
  int64_t fix_a =
      attempt_with(s, a.signature.id, {"built", "verified"}, k_today - 10 * k_day + 3600);
  int64_t try_b = attempt_with(s, b.signature.id, {"verify_failed"}, k_today);
  int64_t fix_c = attempt_with(s, c.signature.id, {"verified"}, k_today + 7200 - 3600 * 2 + 3600);
  ASSERT_TRUE(s.set_status(a.signature.id, BucketStatus::fixed, fix_a));
  ASSERT_TRUE(s.set_status(b.signature.id, BucketStatus::fixing, try_b));
  ASSERT_TRUE(s.set_status(c.signature.id, BucketStatus::fixed, fix_c));

  auto st = s.stats(3, k_now);
  ASSERT_TRUE(st) << st.error();
  ASSERT_EQ(st->per_day.size(), 3u);
  EXPECT_EQ(st->per_day[0].day, "2024-10-02");
  EXPECT_EQ(st->per_day[0].crashes, 2);
  EXPECT_EQ(st->per_day[1].day, "2024-10-03");
  EXPECT_EQ(st->per_day[1].crashes, 1);
  EXPECT_EQ(st->per_day[2].day, "2024-10-04");
  EXPECT_EQ(st->per_day[2].crashes, 3);

  EXPECT_EQ(st->buckets_by_status.at("open"), 1);
  EXPECT_EQ(st->buckets_by_status.at("fixing"), 1);
  EXPECT_EQ(st->buckets_by_status.at("fixed"), 2);
  EXPECT_EQ(st->buckets_by_status.at("regressed"), 0);
  EXPECT_EQ(st->buckets_by_status.at("ignored"), 0);

  ASSERT_EQ(st->fix_rate_by_category.size(), 2u);
  EXPECT_EQ(st->fix_rate_by_category[0].category, "NULL_DEREF");
  EXPECT_EQ(st->fix_rate_by_category[0].attempts, 3);
  EXPECT_EQ(st->fix_rate_by_category[0].verified, 1);
  EXPECT_NEAR(st->fix_rate_by_category[0].rate, 1.0 / 3, 1e-9);
  EXPECT_EQ(st->fix_rate_by_category[1].category, "USE_AFTER_FREE");
  EXPECT_DOUBLE_EQ(st->fix_rate_by_category[1].rate, 1.0);

  // a: first seen k_today-10d, verified 1 h later; c: first seen k_today-2h, verified 3 h later.
  EXPECT_EQ(st->fixed_buckets, 2);
  ASSERT_TRUE(st->mean_seconds_to_fix && st->median_seconds_to_fix);
  EXPECT_DOUBLE_EQ(*st->mean_seconds_to_fix, (3600.0 + 3 * 3600.0) / 2);
  EXPECT_EQ(*st->median_seconds_to_fix, (3600 + 3 * 3600) / 2);

  auto j = to_json(*st);
  EXPECT_EQ(j["crashes_per_day"][2]["crashes"], 3);
  EXPECT_EQ(j["buckets_by_status"]["fixed"], 2);
}

TEST(Stats, EmptyStore) {
  ScratchDir dir;
  Store s = open_store(dir.file("s.db"));
  auto st = s.stats(7, k_now);
  ASSERT_TRUE(st) << st.error();
  ASSERT_EQ(st->per_day.size(), 7u);
  for (const auto& d : st->per_day) {
    EXPECT_EQ(d.crashes, 0);
  }
  EXPECT_EQ(st->fixed_buckets, 0);
  EXPECT_FALSE(st->mean_seconds_to_fix);
  EXPECT_TRUE(st->fix_rate_by_category.empty());
}

TEST(Stats, DayNumbersAndStrings) {
  EXPECT_EQ(day_number(0), 0);
  EXPECT_EQ(day_number(86399), 0);
  EXPECT_EQ(day_number(86400), 1);
  EXPECT_EQ(day_number(-1), -1);
  EXPECT_EQ(day_string(0), "1970-01-01");
  EXPECT_EQ(day_string(20000), "2024-10-04");
}
