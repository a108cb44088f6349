// SPDX-License-Identifier: MIT
#include <capture/restart.hpp>
#include <gtest/gtest.h>

using namespace crashpilot::capture;
using namespace std::chrono_literals;

TEST(Restart, BackoffDoublesUpToTheCapAndResetsAfterAStableRun) {
  RestartPolicy p;
  p.initial_delay = 100ms;
  p.max_delay = 350ms;
  p.stable_after = 60s;
  RestartTracker t(p);
  EXPECT_EQ(t.next_delay(1s), 100ms);
  EXPECT_EQ(t.next_delay(1s), 200ms);
  EXPECT_EQ(t.next_delay(1s), 350ms);
  EXPECT_EQ(t.next_delay(1s), 350ms);
  EXPECT_EQ(t.next_delay(61s), 100ms);
}

TEST(Restart, CrashLoopNeedsTheSameSignatureWithinTheWindow) {
  RestartPolicy p;
  p.loop_count = 3;
  p.loop_window = 60s;
  RestartTracker t(p);
  auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
  EXPECT_FALSE(t.record_crash("aaa", t0));
  EXPECT_FALSE(t.record_crash("bbb", t0 + 1s));
  EXPECT_FALSE(t.record_crash("aaa", t0 + 2s));
  EXPECT_TRUE(t.record_crash("aaa", t0 + 3s));
  // Spread over more than the window: never a loop.
  RestartTracker slow(p);
  EXPECT_FALSE(slow.record_crash("x", t0));
  EXPECT_FALSE(slow.record_crash("x", t0 + 50s));
  EXPECT_FALSE(slow.record_crash("x", t0 + 100s));
  EXPECT_FALSE(slow.record_crash("x", t0 + 150s));
}
