// SPDX-License-Identifier: MIT
#include "store_test_util.hpp"

using namespace crashpilot;
using namespace crashpilot::store;
using store::testing::at;
using store::testing::crash;
using store::testing::open_store;
using store::testing::ScratchDir;

namespace {

// A crash whose text is unique to `n`, so each occurrence stores its own text.
model::Crash numbered(const std::string& sig, int n) {
  model::Crash c = crash(sig);
  c.raw.clear();
  for (int i = 0; i < 50; ++i) {
    c.raw += "report " + std::to_string(n) + " frame " + std::to_string(i * 7919 % 1000 + n) + "\n";
  }
  return c;
}

} // namespace

TEST(Retention, OldestOccurrencesOfABucketAreTrimmed) {
  ScratchDir dir;
  Options o;
  o.retention.max_occurrences_per_bucket = 3;
  Store s = open_store(dir.file("s.db"), o);
  for (int i = 1; i <= 10; ++i) {
    ASSERT_TRUE(s.record(numbered("aaaaaaaaaaaa", i), at(100 * i)));
  }
  ASSERT_TRUE(s.record(numbered("bbbbbbbbbbbb", 99), at(50)));
  auto b = s.get_bucket("aaaaaaaaaaaa");
  ASSERT_TRUE(b && b->has_value());
  EXPECT_EQ((*b)->bucket.count, 10); // the count keeps every crash
  ASSERT_EQ((*b)->occurrences.size(), 3u);
  EXPECT_EQ((*b)->occurrences[0].time, 1000);
  EXPECT_EQ((*b)->occurrences[2].time, 800);
  // The trimmed occurrences' texts went with them; the other bucket is untouched.
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM raw_reports"), 4);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM occurrences WHERE bucket = 'bbbbbbbbbbbb'"), 1);
  // The daily history still counts all eleven crashes.
  EXPECT_EQ(*s.db().query_int("SELECT sum(count) FROM daily_counts"), 11);
}

TEST(Retention, TextSharedWithAKeptOccurrenceSurvivesTrimming) {
  ScratchDir dir;
  Options o;
  o.retention.max_occurrences_per_bucket = 2;
  Store s = open_store(dir.file("s.db"), o);
  model::Crash same = crash("aaaaaaaaaaaa");
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(s.record(same, at(100 * i)));
  }
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM occurrences"), 2);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM raw_reports"), 1);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM occurrences WHERE raw_sha1 IS NULL"), 0);
}

TEST(Retention, TotalTextBytesAreCappedKeepingEachBucketsNewest) {
  ScratchDir dir;
  Options o;
  o.retention.max_total_raw_bytes = 2000;
  Store s = open_store(dir.file("s.db"), o);
  // 3 buckets x 20 crashes, each with its own text of a few hundred compressed bytes.
  for (int i = 1; i <= 20; ++i) {
    for (const char* sig : {"aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"}) {
      ASSERT_TRUE(s.record(numbered(sig, i * 10 + sig[0]), at(1000 * i + sig[0])));
    }
  }
  int64_t total = *s.db().query_int("SELECT sum(compressed_size) FROM raw_reports");
  int64_t largest = *s.db().query_int("SELECT max(compressed_size) FROM raw_reports");
  EXPECT_LE(total, std::max<int64_t>(2000, 3 * largest))
      << "over the cap by more than the protected texts";
  EXPECT_LT(*s.db().query_int("SELECT count(*) FROM raw_reports"), 60);
  // All occurrences are kept (the per-bucket cap is not hit); only their texts went.
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM occurrences"), 60);
  EXPECT_GT(*s.db().query_int("SELECT count(*) FROM occurrences WHERE raw_sha1 IS NULL"), 0);
  // Every bucket's newest occurrence still has its text, and it reads back.
  for (const char* sig : {"aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc"}) {
    auto b = s.get_bucket(sig, 1);
    ASSERT_TRUE(b && b->has_value());
    ASSERT_EQ((*b)->occurrences.size(), 1u);
    ASSERT_TRUE((*b)->occurrences[0].raw_sha1) << sig;
    EXPECT_TRUE(s.raw_report(*(*b)->occurrences[0].raw_sha1));
  }
  // The texts dropped are the oldest: the newest stored text of bucket a is from the last round.
  auto newest_dropped =
      s.db().query_int("SELECT max(time) FROM occurrences WHERE raw_sha1 IS NULL");
  auto oldest_kept =
      s.db().query_int("SELECT min(time) FROM occurrences WHERE raw_sha1 IS NOT NULL");
  EXPECT_LT(*newest_dropped, *oldest_kept);
}

TEST(Retention, StoreSizeStaysBoundedOverManyCrashes) {
  ScratchDir dir;
  Options o;
  o.retention.max_occurrences_per_bucket = 5;
  o.retention.max_total_raw_bytes = 20000;
  Store s = open_store(dir.file("s.db"), o);
  for (int i = 0; i < 400; ++i) {
    std::string sig = "b" + std::to_string(i % 4) + "0000000000";
    ASSERT_TRUE(s.record(numbered(sig, i), at(10 * i)));
  }
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM occurrences"), 20);
  EXPECT_LE(*s.db().query_int("SELECT count(*) FROM raw_reports"), 20);
  EXPECT_LE(*s.db().query_int("SELECT sum(compressed_size) FROM raw_reports"), 20000);
  EXPECT_EQ(*s.db().query_int("SELECT sum(count) FROM buckets"), 400);
}
