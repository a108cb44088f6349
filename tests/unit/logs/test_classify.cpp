// SPDX-License-Identifier: MIT
// Level prefixes of TrinityCore / AzerothCore and other loggers, and the configured patterns.
#include <gtest/gtest.h>
#include <logs/classifier.hpp>
#include <logs/prefix.hpp>

#include <cstdlib>
#include <ctime>

namespace {

using namespace crashpilot::logs;
using std::chrono::system_clock;

// Log timestamps without a zone are local time; the tests pin the zone.
class Classify : public ::testing::Test {
protected:
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
  LocalClock clock;
};

system_clock::time_point utc(int y, int mo, int d, int h, int mi, int s) {
  return system_clock::from_time_t(
      static_cast<std::time_t>(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s));
}

std::string message(std::string_view line, const Prefix& p) {
  return std::string(line.substr(p.message));
}

TEST_F(Classify, TrinityCoreAppenderPrefix) {
  std::string_view line =
      "2026-11-24_03:15:02 ERROR [spells] Spell 8326 (Frostbolt) cast by Player-0x1 failed";
  Prefix p = parse_prefix(line, clock);
  ASSERT_TRUE(p.time);
  EXPECT_EQ(*p.time, utc(2026, 11, 24, 3, 15, 2));
  EXPECT_EQ(p.level, Level::error);
  EXPECT_EQ(message(line, p), "[spells] Spell 8326 (Frostbolt) cast by Player-0x1 failed");
  EXPECT_EQ(line.substr(p.body, 5), "ERROR");

  // The level is padded to five columns: "INFO  [server.loading] ...".
  std::string_view info = "2026-11-24_03:15:02 INFO  [server.loading] Loading maps";
  p = parse_prefix(info, clock);
  EXPECT_EQ(p.level, Level::info);
  EXPECT_EQ(message(info, p), "[server.loading] Loading maps");
  EXPECT_EQ(parse_prefix("2026-11-24_03:15:02 WARN  [misc] x", clock).level, Level::warn);
  EXPECT_EQ(parse_prefix("2026-11-24_03:15:02 FATAL [misc] x", clock).level, Level::fatal);
  EXPECT_EQ(parse_prefix("2026-11-24_03:15:02 DEBUG [misc] x", clock).level, Level::debug);
  EXPECT_EQ(parse_prefix("2026-11-24_03:15:02 TRACE [misc] x", clock).level, Level::trace);
}

TEST_F(Classify, AzerothCoreAndSeedPrefixes) {
  Prefix p = parse_prefix("2026-11-24 03:15:02 WARN [sql.sql] Table `creature` has ...", clock);
  ASSERT_TRUE(p.time);
  EXPECT_EQ(*p.time, utc(2026, 11, 24, 3, 15, 2));
  EXPECT_EQ(p.level, Level::warn);

  std::string_view seed = "2025-10-30 01:05:34 [DEBUG] [server.worldserver]: Message";
  p = parse_prefix(seed, clock);
  EXPECT_EQ(p.level, Level::debug);
  EXPECT_EQ(message(seed, p), "[server.worldserver]: Message");

  std::string_view seed2 = "2025-10-30 01:05:34 ERROR: Message";
  p = parse_prefix(seed2, clock);
  EXPECT_EQ(p.level, Level::error);
  EXPECT_EQ(message(seed2, p), "Message");

  // An AzerothCore release wrote dashes between the time fields.
  p = parse_prefix("2026-11-24_03-15-02 INFO [server] x", clock);
  ASSERT_TRUE(p.time);
  EXPECT_EQ(*p.time, utc(2026, 11, 24, 3, 15, 2));
}

TEST_F(Classify, IsoAndSpdlogPrefixes) {
  Prefix p = parse_prefix("2026-11-24T03:15:02.250+01:00 error: boom", clock);
  ASSERT_TRUE(p.time);
  EXPECT_EQ(*p.time, utc(2026, 11, 24, 2, 15, 2) + std::chrono::milliseconds(250));
  EXPECT_EQ(p.level, Level::error);

  p = parse_prefix("2026-11-24T03:15:02Z WARNING something", clock);
  EXPECT_EQ(*p.time, utc(2026, 11, 24, 3, 15, 2));
  EXPECT_EQ(p.level, Level::warn);

  std::string_view spd = "[2026-11-24 03:15:02.123] [net] [critical] socket gone";
  p = parse_prefix(spd, clock);
  ASSERT_TRUE(p.time);
  EXPECT_EQ(p.level, Level::fatal);
  EXPECT_EQ(message(spd, p), "socket gone");
}

TEST_F(Classify, LocalTimeFollowsTheZone) {
  ::setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
  ::tzset();
  LocalClock local;
  Prefix winter = parse_prefix("2026-01-10_12:00:00 INFO [x] y", local);
  Prefix summer = parse_prefix("2026-07-10_12:00:00 INFO [x] y", local);
  EXPECT_EQ(*winter.time, utc(2026, 1, 10, 11, 0, 0));
  EXPECT_EQ(*summer.time, utc(2026, 7, 10, 10, 0, 0));
}

TEST_F(Classify, NoTimestamp) {
  Prefix p = parse_prefix("ERROR [spells] bare level", clock);
  EXPECT_FALSE(p.time);
  EXPECT_EQ(p.level, Level::error);
  EXPECT_EQ(parse_prefix("[WARN] something", clock).level, Level::warn);
  EXPECT_EQ(parse_prefix("Error: disk full", clock).level, Level::error);
  // Sentences that start with a level word are not levels.
  EXPECT_EQ(parse_prefix("INFO about the realm follows", clock).level, Level::unknown);
  EXPECT_EQ(parse_prefix("Errors were fixed yesterday", clock).level, Level::unknown);
  EXPECT_EQ(parse_prefix("✅ SelectActiveBehavior: Strategy 'loot' registered", clock).level,
            Level::unknown);
  // Not a timestamp: bad month, too short, text glued to it.
  EXPECT_FALSE(parse_prefix("2026-13-24_03:15:02 ERROR x", clock).time);
  EXPECT_FALSE(parse_prefix("2026-11-24_03:15", clock).time);
  EXPECT_FALSE(parse_prefix("2026-11-24_03:15:02x ERROR", clock).time);
  EXPECT_EQ(parse_prefix("", clock).level, Level::unknown);
}

PatternSet default_patterns() {
  PatternSet p;
  p.error = {"\\[ERROR\\]", "\\[FATAL\\]", "ERROR:", "Assertion .+ failed", "❌"};
  p.warn = {"\\[WARN\\]", "WARNING:", "⚠"};
  p.freeze = "World Thread hangs";
  p.heartbeat = "World update tick \\d+";
  return p;
}

TEST_F(Classify, PatternsRaiseTheLevel) {
  auto c = Classifier::create(default_patterns());
  ASSERT_TRUE(c) << c.error();
  // Text inside an INFO line counts: TrinityCore's DB layer prints "[ERROR]:" at INFO level.
  auto r =
      c->classify("2026-11-24_03:15:02 INFO  [sql.sql] [ERROR]: Table 'x' doesn't exist", clock);
  EXPECT_EQ(r.prefix.level, Level::info);
  EXPECT_EQ(r.level, Level::error);
  EXPECT_EQ(c->classify("2026-11-24_03:15:02 DEBUG [misc] [WARN] slow query", clock).level,
            Level::warn);
  // Without any prefix the patterns alone decide (the seed's real Playerbot.log lines).
  EXPECT_EQ(c->classify("⚠️ Strategy 'rest' (priority 90) has ZERO relevance", clock).level,
            Level::warn);
  EXPECT_EQ(c->classify("❌ Bot Annise failed to login", clock).level, Level::error);
  EXPECT_EQ(c->classify("worldserver: Map.cpp:42: void f(): Assertion `x' failed.", clock).level,
            Level::error);
  EXPECT_EQ(c->classify("SoloCombatStrategy: Bot Cathrine in combat but no victim", clock).level,
            Level::unknown);
  // A pattern never lowers a level.
  EXPECT_EQ(c->classify("2026-11-24_03:15:02 FATAL [misc] [WARN] x", clock).level, Level::fatal);
  // Case matters where the pattern says so.
  EXPECT_EQ(c->classify("an [error] in lower case", clock).level, Level::unknown);
}

TEST_F(Classify, HeartbeatAndFreezeTags) {
  auto c = Classifier::create(default_patterns());
  ASSERT_TRUE(c) << c.error();
  auto r = c->classify("2026-11-24_03:15:02 ERROR [server.worldserver] World Thread hangs for "
                       "60034 ms, forcing a crash!",
                       clock);
  EXPECT_TRUE(r.tags & tag_freeze);
  EXPECT_EQ(r.level, Level::error);
  EXPECT_TRUE(c->classify("World update tick 1234", clock).tags & tag_heartbeat);
  EXPECT_FALSE(c->classify("World update tick none", clock).tags & tag_heartbeat);
}

TEST_F(Classify, BadPatternNamesItsKey) {
  PatternSet p;
  p.warn = {"ok", "(unclosed"};
  auto c = Classifier::create(p);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().find("logs.warn_patterns[1]"), std::string::npos) << c.error();
  EXPECT_NE(c.error().find("(unclosed"), std::string::npos) << c.error();
}

} // namespace
