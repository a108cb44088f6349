// SPDX-License-Identifier: MIT
#include "parse_test_util.hpp"
#include <parse/document.hpp>
#include <parse/parser.hpp>
#include <parse/section.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace crashpilot;
using parse::Role;

namespace {

parse::Sections freezes(std::string_view text) { return parse::testing::run(parse::parse_freeze, text); }

using crashpilot::parse::testing::read_fixture;

} // namespace

TEST(FreezeParse, WorldThreadHangsMessages) {
  auto s = freezes("2024-01-01 10:00:00 ERROR [server.worldserver] World Thread hangs for 60034 "
                   "ms, forcing a crash!\n"
                   "unrelated\n"
                   "World Thread hangs, kicking out server!\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].format, "freeze-detector");
  EXPECT_EQ(s[0].role, Role::assertion);
  EXPECT_EQ(s[0].crash.kind, model::Kind::freeze);
  EXPECT_EQ(s[0].crash.error_message, "World Thread hangs for 60034 ms, forcing a crash!");
  EXPECT_TRUE(s[0].crash.threads.empty());
  EXPECT_EQ(s[1].crash.error_message, "World Thread hangs, kicking out server!");
  EXPECT_EQ(s[1].first, 2u);
}

TEST(FreezeParse, MessageInsideAnAssertionBlockIsLeftToIt) {
  // TC's ABORT_MSG block on Linux, and inside a Wheaty report's "Assertion message:".
  auto s = freezes(
      "/tc/src/server/worldserver/Main.cpp:642 in Handler ABORTED:\n"
      "World Thread hangs for 60034 ms, forcing a crash!\n"
      "\n"
      "Assertion message: \n"
      "D:\\tc\\src\\server\\worldserver\\Main.cpp:642 in FreezeDetector::Handler ABORTED:\n"
      "World Thread hangs for 60034 ms, forcing a crash!\n"
      "# Message 'World Thread hangs for 60034 ms, forcing a crash!'\n"
      "Assertion failed: !\"Deadlock detected\", file source/DeadlockDetect.cpp, line 137\n");
  EXPECT_TRUE(s.empty());
}

TEST(FreezeParse, LogLineBeforeAnAssertionBlockIsAHeader) {
  const char* text = "World Thread hangs, kicking out server!\n"
                     "\n"
                     "/tc/src/server/worldserver/Main.cpp:120 in run ASSERTION FAILED:\n"
                     "  false\n";
  auto s = freezes(text);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].role, Role::header);
  // Merged with the assertion into one crash whose kind is freeze.
  auto r = parse::parse_text(text);
  ASSERT_EQ(r.crashes.size(), 1u);
  EXPECT_EQ(r.crashes[0].kind, model::Kind::freeze);
  ASSERT_TRUE(r.crashes[0].assertion.has_value());
  EXPECT_EQ(r.crashes[0].assertion->condition, "false");
}

TEST(FreezeParse, AzerothCoreLogLineAndAbortBannerAreOneFreeze) {
  auto r = parse::parse_text(
      "World Thread hangs for 60034 ms, forcing a crash!\n"
      "#----------------------------------------------------------------------#\n"
      " \n"
      ">> ABORTED\n"
      "\n"
      "# Location '/azerothcore/src/server/apps/worldserver/Main.cpp:595'\n"
      "# Function 'Handler'\n"
      "# Message 'World Thread hangs for 60034 ms, forcing a crash!'\n"
      " \n"
      "#----------------------------------------------------------------------#\n");
  ASSERT_EQ(r.crashes.size(), 1u);
  EXPECT_EQ(r.crashes[0].kind, model::Kind::freeze);
  EXPECT_EQ(r.crashes[0].error_message, "World Thread hangs for 60034 ms, forcing a crash!");
  EXPECT_EQ(r.crashes[0].assertion->function, "Handler");
}

TEST(FreezeParse, OtherWatchdogs) {
  auto s = freezes(
      "[t=00:10:00.000000][f=0012000] [Watchdog] Hang detection triggered for Spring 105.0.\n"
      "[t=00:10:00.000000][f=0012000]   (in thread: main)\n"
      "LogCore: Error: Hang detected on GameThread (thread hasn't sent a heartbeat for 30.00 "
      "seconds):\n"
      "TC: WorldUpdateLoop() waiting for 30000 ms with MaxCoreStuckTime set to 60000 ms\n"
      "the server hangs sometimes\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].format, "watchdog");
  EXPECT_EQ(s[0].crash.error_message,
            "Hang detection triggered for Spring 105.0. (in thread: main)");
  EXPECT_EQ(s[0].last, 1u);
  EXPECT_EQ(s[1].crash.error_message,
            "Hang detected on GameThread (thread hasn't sent a heartbeat for 30.00 seconds):");
}

TEST(FreezeParse, FixtureCuberiteDeadlockDetector) {
  auto text = read_fixture("freeze/cuberite-4491-deadlock-detector-log.txt");
  auto s = freezes(text);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].format, "deadlock-detector");
  EXPECT_EQ(s[0].first, 0u);
  EXPECT_EQ(s[0].last, 8u);
  const auto& c = s[0].crash;
  EXPECT_EQ(c.kind, model::Kind::freeze);
  EXPECT_EQ(c.error_message,
            "Deadlock detected: world world has been stuck at age 11062165. Aborting the server.");
  ASSERT_EQ(c.threads.size(), 1u);
  const auto& locks = c.threads[0];
  EXPECT_EQ(locks.role, "locks");
  EXPECT_FALSE(locks.crashing);
  ASSERT_EQ(locks.frames.size(), 8u);
  EXPECT_EQ(locks.frames[0].function, "World world clients");
  EXPECT_EQ(locks.frames[0].address, 0x7f6e87fff908u);
  EXPECT_EQ(locks.frames[3].function, "World world chunkmap");
  EXPECT_EQ(locks.frames[3].arguments, "RecursionCount = 1, ThreadIDHash = ffff8d7c325ddcd6");

  auto r = parse::parse_text(text);
  ASSERT_EQ(r.crashes.size(), 1u);
  EXPECT_EQ(r.crashes[0].kind, model::Kind::freeze);
}

TEST(FreezeParse, FixtureMangosConsoleLine) {
  auto text = read_fixture("freeze/mangosr2-316-world-thread-hangs-console-line.txt");
  auto s = freezes(text);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].crash.error_message, "World Thread hangs, kicking out server!");
  auto r = parse::parse_text(text);
  ASSERT_EQ(r.crashes.size(), 1u);
  EXPECT_EQ(r.crashes[0].kind, model::Kind::freeze);
}

TEST(FreezeParse, NoDetectorMessageNoSection) {
  // A thread parked in a lock is triage's business, not a detector message.
  EXPECT_TRUE(freezes(read_fixture("freeze/luanti-8666-deadlock-lll-lock-wait-nosym.txt")).empty());
  EXPECT_TRUE(freezes(read_fixture("freeze/cmangos-700-freezedetector-win32.txt")).empty());
  EXPECT_TRUE(freezes("").empty());
  EXPECT_TRUE(freezes("Thread hangs").size() == 1u);
}

TEST(FreezeParse, TotalOnGarbage) {
  std::string text = "Deadlock detected: x\n";
  for (int k = 0; k < 3000; ++k) {
    text += "CS at 0x1, n: RecursionCount = 0, ThreadIDHash = 1\n";
  }
  text += "CS at 0x, : RecursionCount = \n" + std::string(10000, 'h') + "ang\n";
  auto s = freezes(text);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].crash.threads[0].frames.size(), 1024u);
  EXPECT_TRUE(s[0].crash.has_problem(model::problem::truncated));
  const char binary[] = "\0\xffThread hangs\0";
  EXPECT_EQ(freezes(std::string(binary, sizeof(binary) - 1)).size(), 1u);
}
