// SPDX-License-Identifier: MIT
// The crash context: the last lines (not the first), errors and warnings from every source, one
// copy of a line two sources carry, nothing from after the crash.
#include <model/json.hpp>

#include <fmt/format.h>
#include <logs/context.hpp>

#include <cstdlib>

#include "logs_test_util.hpp"

namespace {

using namespace logs_test;
using logs::Level;
using logs::Line;
using logs::TimePoint;

TimePoint utc(int h, int m, int s) {
  return std::chrono::system_clock::from_time_t(static_cast<std::time_t>(
      logs::days_from_civil(2026, 11, 24) * 86400 + h * 3600 + m * 60 + s));
}

class Context : public ::testing::Test {
protected:
  void SetUp() override {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    sources = {file_source("Server.log", "/x/Server.log", logs::StartAt::end, "server"),
               file_source("Playerbot.log", "/x/Playerbot.log", logs::StartAt::end, "playerbot"),
               stream_source("stdout", "server")};
  }

  // A line as the follower keeps it: the prefix parsed, arrival `arrival`.
  Line line(const std::string& source, const std::string& text, TimePoint arrival,
            Level raised = Level::unknown) {
    Line l;
    l.text = text;
    l.source = source;
    auto p = logs::parse_prefix(text, clock);
    l.own_time = p.time.has_value();
    l.time = p.time.value_or(arrival);
    l.arrival = arrival;
    l.level = std::max(p.level, raised);
    l.body = p.body;
    l.message = p.message;
    l.seq = seq++;
    return l;
  }

  std::vector<logs::SourceSpec> sources;
  logs::LocalClock clock;
  uint64_t seq = 0;
  logs::ContextOptions options;
};

TEST_F(Context, TheLastLinesNotTheFirst) {
  std::vector<Line> lines;
  for (int i = 0; i < 200; ++i) {
    lines.push_back(line("Server.log",
                         fmt::format("2026-11-24_03:15:{:02} INFO  [server] line {}", i / 10, i),
                         utc(3, 15, i / 10)));
  }
  options.context_lines = 30;
  auto c = logs::crash_context(lines, sources, utc(3, 16, 0), options);
  ASSERT_EQ(c.server_log_context.size(), 30u);
  EXPECT_EQ(c.server_log_context.front(), "2026-11-24_03:15:17 INFO  [server] line 170");
  EXPECT_EQ(c.server_log_context.back(), "2026-11-24_03:15:19 INFO  [server] line 199");
  EXPECT_TRUE(c.playerbot_log_context.empty());
}

TEST_F(Context, ErrorsAndWarningsFromAllSources) {
  std::vector<Line> lines = {
      line("Server.log", "2026-11-24_03:15:01 ERROR [spells] spell failed", utc(3, 15, 1)),
      line("Playerbot.log", "⚠️ Strategy 'rest' has ZERO relevance", utc(3, 15, 2),
           Level::warn),
      line("stdout", "[sql.sql] [ERROR]: Table missing", utc(3, 15, 3), Level::error),
      line("Server.log", "2026-11-24_03:15:04 WARN  [maps] grid unloaded", utc(3, 15, 4)),
      line("Server.log", "2026-11-24_03:15:05 INFO  [server] fine", utc(3, 15, 5)),
  };
  auto c = logs::crash_context(lines, sources, utc(3, 15, 10), options);
  ASSERT_EQ(c.errors_before_crash.size(), 2u);
  EXPECT_EQ(c.errors_before_crash[0].message, "ERROR [spells] spell failed"); // no timestamp
  EXPECT_EQ(c.errors_before_crash[0].timestamp, "2026-11-24T03:15:01Z");
  EXPECT_EQ(c.errors_before_crash[1].message, "[sql.sql] [ERROR]: Table missing");
  ASSERT_EQ(c.warnings_before_crash.size(), 2u);
  EXPECT_EQ(c.warnings_before_crash[0].message, "⚠️ Strategy 'rest' has ZERO relevance");
  EXPECT_EQ(c.server_log_context.size(), 4u);
  EXPECT_EQ(c.playerbot_log_context,
            (std::vector<std::string>{"⚠️ Strategy 'rest' has ZERO relevance"}));
  options.max_errors = 1;
  c = logs::crash_context(lines, sources, utc(3, 15, 10), options);
  ASSERT_EQ(c.errors_before_crash.size(), 1u);
  EXPECT_EQ(c.errors_before_crash[0].message, "[sql.sql] [ERROR]: Table missing"); // the last
}

TEST_F(Context, ALineInTwoSourcesIsKeptOnce) {
  // The server prints to its console and to Server.log: the file's copy (with its timestamp and
  // level) is kept. A line the server really repeats is kept as often as it was logged.
  TimePoint t = utc(3, 15, 1);
  std::vector<Line> lines = {
      line("stdout", "Map 571 loaded", t + 1ms),
      line("Server.log", "2026-11-24_03:15:01 INFO  [maps] Map 571 loaded", t + 3ms),
      line("stdout", "repeated", t + 4ms),
      line("stdout", "repeated", t + 5ms),
      line("Server.log", "2026-11-24_03:15:01 INFO  [misc] repeated", t + 6ms),
  };
  auto c = logs::crash_context(lines, sources, utc(3, 15, 2), options);
  EXPECT_EQ(c.server_log_context,
            (std::vector<std::string>{"2026-11-24_03:15:01 INFO  [maps] Map 571 loaded", "repeated",
                                      "2026-11-24_03:15:01 INFO  [misc] repeated"}));
  // Far apart in time, the same text is two events.
  lines.push_back(line("stdout", "Map 571 loaded", t + 10s));
  c = logs::crash_context(lines, sources, utc(3, 15, 20), options);
  EXPECT_EQ(c.server_log_context.back(), "Map 571 loaded");
}

TEST_F(Context, ServerAndPlayerbotLogsCarryingOneStream) {
  // The seed's Server.log and Playerbot.log were one stream: each line lands in one list only,
  // the playerbot one, and the console copy of an error still counts once.
  TimePoint t = utc(3, 15, 1);
  std::vector<Line> lines;
  for (int i = 0; i < 3; ++i) {
    std::string text = "🔍 UpdateCombatState: Bot Annise " + std::to_string(i);
    lines.push_back(line("Server.log", text, t + std::chrono::milliseconds(i)));
    lines.push_back(line("Playerbot.log", text, t + std::chrono::milliseconds(i)));
  }
  lines.push_back(line("stdout", "[ERROR] out of memory", t + 10ms, Level::error));
  lines.push_back(line("Server.log", "[ERROR] out of memory", t + 11ms, Level::error));
  auto c = logs::crash_context(lines, sources, utc(3, 15, 2), options);
  EXPECT_EQ(c.playerbot_log_context.size(), 3u);
  EXPECT_EQ(c.server_log_context, (std::vector<std::string>{"[ERROR] out of memory"}));
  EXPECT_EQ(c.errors_before_crash.size(), 1u);
}

TEST_F(Context, NothingFromAfterTheCrash) {
  std::vector<Line> lines = {
      line("Server.log", "2026-11-24_03:15:01 INFO  [server] before", utc(3, 15, 1)),
      line("Server.log", "2026-11-24_03:15:05 INFO  [server] same second", utc(3, 15, 5)),
      line("Server.log", "2026-11-24_03:15:06 INFO  [server] after (restarted)", utc(3, 15, 6)),
      line("stderr", "late crash-handler output", utc(3, 15, 5) + 800ms),
      line("stdout", "much later", utc(3, 16, 0)),
  };
  sources.push_back(stream_source("stderr", "server"));
  auto c = logs::crash_context(lines, sources, utc(3, 15, 5) + 500ms, options);
  EXPECT_EQ(c.server_log_context,
            (std::vector<std::string>{"2026-11-24_03:15:01 INFO  [server] before",
                                      "2026-11-24_03:15:05 INFO  [server] same second",
                                      "late crash-handler output"}));
}

logs::Options options_for(const std::string& server, const std::string& bots) {
  auto o =
      logs_test::options({file_source("Server.log", server),
                          file_source("Playerbot.log", bots, logs::StartAt::end, "playerbot")});
  o.warn_patterns.push_back("⚠");
  return o;
}

TEST_F(Context, AServerClockInAnotherZoneIsNotBelieved) {
  // The server stamps its lines two hours ahead of ours: judged by when they were read instead.
  TimePoint crash = utc(3, 15, 5);
  std::vector<Line> lines = {
      line("Server.log", "2026-11-24_05:15:04 INFO  [server] skewed but before", utc(3, 15, 4)),
      line("Server.log", "2026-11-24_05:15:09 INFO  [server] read after the crash", utc(3, 15, 9)),
  };
  auto c = logs::crash_context(lines, sources, crash, options);
  EXPECT_EQ(c.server_log_context,
            (std::vector<std::string>{"2026-11-24_05:15:04 INFO  [server] skewed but before"}));
}

TEST_F(Context, FromARunningFollower) {
  auto dir = scratch();
  std::string server = dir.path() + "/Server.log";
  std::string bots = dir.path() + "/Playerbot.log";
  append(server, "");
  auto f = started(options_for(server, bots));
  ASSERT_TRUE(f.sync(2s));
  std::string text;
  for (int i = 0; i < 120; ++i) {
    text += "2026-11-24_03:15:02 INFO  [server] tick " + std::to_string(i) + "\n";
  }
  text += "2026-11-24_03:15:02 INFO  [sql.sql] [ERROR]: Unknown column 'x'\n";
  append(server, text);
  append(bots, "⚠️ Bot Annise is stuck\n");
  ASSERT_TRUE(f.sync(2s, true));
  // Playerbot.log has no timestamps: its lines are stamped when read, so the crash is now.
  auto c = logs::crash_context(f, std::chrono::system_clock::now());
  ASSERT_EQ(c.server_log_context.size(), 50u);
  EXPECT_EQ(c.server_log_context.back(),
            "2026-11-24_03:15:02 INFO  [sql.sql] [ERROR]: Unknown column 'x'");
  ASSERT_EQ(c.errors_before_crash.size(), 1u);
  EXPECT_EQ(c.playerbot_log_context, (std::vector<std::string>{"⚠️ Bot Annise is stuck"}));
  ASSERT_EQ(c.warnings_before_crash.size(), 1u);
  // The JSON shape is the seed's.
  auto j = model::to_json(c);
  EXPECT_TRUE(j["errors_before_crash"][0].contains("timestamp"));
  EXPECT_EQ(j["server_log_context"].size(), 50u);
}

TEST(IsoUtc, Formats) {
  auto t = std::chrono::system_clock::from_time_t(0);
  EXPECT_EQ(logs::iso_utc(t), "1970-01-01T00:00:00Z");
  EXPECT_EQ(logs::iso_utc(t + std::chrono::milliseconds(86400'000LL * 20000 + 1234)),
            "2024-10-04T00:00:01.234Z");
}

} // namespace
