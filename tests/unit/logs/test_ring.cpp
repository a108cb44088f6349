// SPDX-License-Identifier: MIT
// Ring bounds: lines, bytes, age; contents always the newest lines in order.
#include <gtest/gtest.h>
#include <logs/ring.hpp>

#include <deque>
#include <random>
#include <string>

namespace {

using namespace crashpilot::logs;
using namespace std::chrono_literals;

std::vector<std::string> texts(const Ring& r) {
  std::vector<std::string> out;
  r.for_each([&](std::string_view t, const LineMeta&) { out.emplace_back(t); });
  return out;
}

LineMeta meta(uint64_t seq, TimePoint arrival = TimePoint{}) {
  LineMeta m;
  m.seq = seq;
  m.arrival = arrival;
  m.time = arrival;
  return m;
}

TEST(Ring, KeepsTheLastLines) {
  Ring r(RingLimits{3, 4096, std::chrono::seconds(60)});
  for (int i = 0; i < 10; ++i) {
    r.push("line " + std::to_string(i), meta(static_cast<uint64_t>(i)));
  }
  EXPECT_EQ(texts(r), (std::vector<std::string>{"line 7", "line 8", "line 9"}));
  EXPECT_EQ(r.size(), 3u);
}

TEST(Ring, KeepsWithinTheByteBudget) {
  Ring r(RingLimits{1000, 1000, std::chrono::seconds(60)});
  std::string ten(10, 'x');
  for (int i = 0; i < 200; ++i) {
    r.push(ten + std::to_string(i % 10), meta(static_cast<uint64_t>(i)));
    ASSERT_LE(r.used_bytes(), 1000u);
  }
  auto t = texts(r);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.back(), ten + "9");
  // Records of 11 bytes of text plus their metadata, minus what a wrap leaves unused.
  EXPECT_GE(t.size(), 1000u / 64 - 2);
  EXPECT_LT(t.size(), 1000u / 11);
}

TEST(Ring, ExpiresByArrivalTime) {
  Ring r(RingLimits{100, 4096, std::chrono::seconds(10)});
  TimePoint t0 = std::chrono::system_clock::now();
  r.push("old", meta(0, t0));
  r.push("mid", meta(1, t0 + 5s));
  r.push("new", meta(2, t0 + 12s));
  r.expire(t0 + 14s);
  EXPECT_EQ(texts(r), (std::vector<std::string>{"mid", "new"}));
  r.expire(t0 + 30s);
  EXPECT_TRUE(texts(r).empty());
}

TEST(Ring, OverlongTextIsCutToTheArena) {
  Ring r(RingLimits{10, 512, std::chrono::seconds(60)});
  r.push(std::string(5000, 'a'), meta(0));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_GT(texts(r)[0].size(), 400u);
  EXPECT_LE(r.used_bytes(), 512u);
  r.push("next", meta(1));
  EXPECT_EQ(texts(r).back(), "next");
}

TEST(Ring, MatchesAReferenceQueueUnderRandomPushes) {
  const size_t max_lines = 17;
  const size_t max_bytes = 3000;
  Ring r(RingLimits{max_lines, max_bytes, std::chrono::seconds(60)});
  std::deque<std::string> ref;
  size_t ref_bytes = 0;
  std::mt19937 rng(7);
  for (int i = 0; i < 5000; ++i) {
    std::string s(rng() % 80, static_cast<char>('a' + i % 26));
    s += std::to_string(i);
    r.push(s, meta(static_cast<uint64_t>(i)));
    ref.push_back(s);
    ref_bytes += s.size();
    // The ring may hold fewer lines than the limits allow (space lost at a wrap), never more, and
    // always a suffix of what was pushed.
    while (ref.size() > max_lines || ref_bytes > max_bytes) {
      ref_bytes -= ref.front().size();
      ref.pop_front();
    }
    auto got = texts(r);
    ASSERT_LE(got.size(), ref.size());
    ASSERT_GE(got.size(), 1u);
    for (size_t k = 0; k < got.size(); ++k) {
      ASSERT_EQ(got[got.size() - 1 - k], ref[ref.size() - 1 - k]) << "push " << i;
    }
    ASSERT_LE(r.used_bytes(), max_bytes);
  }
}

} // namespace
