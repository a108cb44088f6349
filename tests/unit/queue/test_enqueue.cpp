// SPDX-License-Identifier: MIT
#include "queue_test_util.hpp"

using namespace queue_test;

TEST(Enqueue, OneRequestPerOpenBucket) {
  auto dir = scratch();
  auto q = open_queue(dir.path());
  auto in = sample_input();
  auto first = q.enqueue(in, 1'700'000'000);
  ASSERT_TRUE(first) << first.error();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->request_id.size(), 8u);

  in.bucket.last_seen = 1'700'000'500;
  auto second = q.enqueue(in, 1'700'000'500);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->request_id, first->request_id);
  EXPECT_EQ(names_in(q.dir("requests")).size(), 1u);
  auto r = q.find(first->request_id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->request["crash"]["occurrences"]["count"], 2);
  EXPECT_EQ(r->request["bucket"]["count"], 2);
  EXPECT_EQ(r->request["crash"]["occurrences"]["last_seen_unix"], 1'700'000'500);

  // Still one request while it is in progress; the update lands in in_progress/.
  ASSERT_TRUE(q.claim(first->request_id, "me", 1'700'000'600));
  auto third = q.enqueue(in, 1'700'000'700);
  ASSERT_TRUE(third);
  EXPECT_FALSE(third->created);
  EXPECT_EQ(third->path, q.request_path("in_progress", first->request_id));
  EXPECT_EQ(q.find(first->request_id)->request["crash"]["occurrences"]["count"], 3);
  EXPECT_TRUE(names_in(q.dir("requests")).empty());

  // Another bucket gets its own request.
  auto other = q.enqueue(sample_input("ffff0000"), 1'700'000'700);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->created);
  EXPECT_NE(other->request_id, first->request_id);
}

TEST(Enqueue, StoreCountWinsWhenAhead) {
  auto dir = scratch();
  auto q = open_queue(dir.path());
  auto in = sample_input();
  auto first = q.enqueue(in, 1000);
  ASSERT_TRUE(first);
  in.bucket.count = 40;
  ASSERT_TRUE(q.enqueue(in, 1001));
  EXPECT_EQ(q.find(first->request_id)->request["crash"]["occurrences"]["count"], 40);
}

TEST(Enqueue, RejectsUnsafeBucketIds) {
  auto dir = scratch();
  auto q = open_queue(dir.path());
  EXPECT_FALSE(q.enqueue(sample_input("../../x"), 1));
}
