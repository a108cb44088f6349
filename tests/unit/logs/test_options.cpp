// SPDX-License-Identifier: MIT
// `[logs]` from the presets and from files, and errors that name the key.
#include <config/config.hpp>
#include <util/file.hpp>
#include <util/temp_dir.hpp>

#include <gtest/gtest.h>
#include <logs/options.hpp>

namespace {

using namespace crashpilot;

config::Config preset(const std::string& name, std::vector<std::string> overrides = {}) {
  config::LoadOptions o;
  o.preset = name;
  o.search_default_file = false;
  o.overrides = std::move(overrides);
  auto c = config::Config::load(o);
  EXPECT_TRUE(c) << c.error();
  return std::move(*c);
}

std::string error_of(const std::string& toml) {
  auto c = config::Config::from_toml(toml, "test.toml");
  EXPECT_TRUE(c) << c.error();
  auto o = logs::from_config(*c);
  EXPECT_FALSE(o);
  return o ? "" : o.error();
}

TEST(LogsOptions, GenericPresetFollowsTheServersOutputOnly) {
  auto o = logs::from_config(preset("generic"));
  ASSERT_TRUE(o) << o.error();
  ASSERT_EQ(o->sources.size(), 2u);
  EXPECT_EQ(o->sources[0].kind, logs::SourceKind::stream);
  EXPECT_EQ(o->sources[0].stream, "stdout");
  EXPECT_EQ(o->sources[1].stream, "stderr");
  EXPECT_EQ(o->sources[1].role, "server");
  EXPECT_TRUE(o->freeze_regex.empty());
  EXPECT_EQ(o->limits.ring.max_lines, 2000u);
  EXPECT_EQ(o->context.context_lines, 50u);
}

TEST(LogsOptions, TrinityCorePresetFollowsItsLogs) {
  auto o = logs::from_config(preset("trinitycore"), "/srv/tc");
  ASSERT_TRUE(o) << o.error();
  ASSERT_EQ(o->sources.size(), 5u);
  EXPECT_EQ(o->sources[0].name, "Server.log");
  EXPECT_EQ(o->sources[0].path, "/srv/tc/Server.log");
  EXPECT_EQ(o->sources[1].name, "Playerbot.log");
  EXPECT_EQ(o->sources[1].role, "playerbot");
  EXPECT_EQ(o->sources[2].name, "DBErrors.log");
  EXPECT_EQ(o->sources[2].role, "server");
  EXPECT_EQ(o->sources[3].stream, "stdout");
  EXPECT_EQ(o->freeze_regex, "World Thread hangs");
  // The preset's emoji are added to the base patterns, not put in their place.
  EXPECT_NE(std::find(o->warn_patterns.begin(), o->warn_patterns.end(), "⚠"),
            o->warn_patterns.end());
  EXPECT_NE(std::find(o->error_patterns.begin(), o->error_patterns.end(), "\\[ERROR\\]"),
            o->error_patterns.end());

  auto moved = logs::from_config(preset("trinitycore", {"logs.dir=logs"}), "/srv/tc");
  ASSERT_TRUE(moved) << moved.error();
  EXPECT_EQ(moved->sources[0].path, "/srv/tc/logs/Server.log");
}

TEST(LogsOptions, HeartbeatGoesToItsSource) {
  auto o = logs::from_config(preset("trinitycore", {"logs.heartbeat_regex='Update diff \\d+'",
                                                    "logs.heartbeat_source=Server.log"}));
  ASSERT_TRUE(o) << o.error();
  EXPECT_EQ(o->sources[0].heartbeat, "Update diff \\d+");
  EXPECT_TRUE(o->sources[1].heartbeat.empty());
}

TEST(LogsOptions, FromAFile) {
  auto c = config::Config::from_toml(R"(
[logs]
dir = "/var/log/game"
ring_lines = 10
start = "x"
)",
                                     "t");
  ASSERT_TRUE(c);
  // "start" belongs to a source, not to [logs].
  auto o = logs::from_config(*c);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error(), "logs.start: unknown key");

  c = config::Config::from_toml(R"(
[logs]
dir = "/var/log/game"
ring_lines = 10
[[logs.source]]
path = "world.log"
start = "start"
heartbeat = 'tick'
[[logs.source]]
path = "/abs/bots.log"
role = "playerbot"
)",
                                "t");
  ASSERT_TRUE(c);
  o = logs::from_config(*c);
  ASSERT_TRUE(o) << o.error();
  ASSERT_EQ(o->sources.size(), 2u);
  EXPECT_EQ(o->sources[0].name, "world.log");
  EXPECT_EQ(o->sources[0].path, "/var/log/game/world.log");
  EXPECT_EQ(o->sources[0].start, logs::StartAt::beginning);
  EXPECT_EQ(o->sources[0].heartbeat, "tick");
  EXPECT_EQ(o->sources[1].path, "/abs/bots.log");
  EXPECT_EQ(o->limits.ring.max_lines, 10u);
}

TEST(LogsOptions, PrintedConfigurationLoadsBack) {
  // `crashpilot config print > x.toml; crashpilot --config x.toml ...` keeps the sources.
  auto dir = util::TempDir::create("crashpilot-logs-options-");
  ASSERT_TRUE(dir) << dir.error();
  std::string path = dir->path() + "/printed.toml";
  ASSERT_TRUE(util::write_file_atomic(path, preset("trinitycore").to_toml(false)));
  config::LoadOptions lo;
  lo.file = path;
  lo.search_default_file = false;
  auto again = config::Config::load(lo);
  ASSERT_TRUE(again) << again.error();
  auto a = logs::from_config(preset("trinitycore"));
  auto b = logs::from_config(*again);
  ASSERT_TRUE(a && b) << (b ? "" : b.error());
  ASSERT_EQ(a->sources.size(), b->sources.size());
  for (size_t i = 0; i < a->sources.size(); ++i) {
    EXPECT_EQ(a->sources[i].name, b->sources[i].name);
    EXPECT_EQ(a->sources[i].role, b->sources[i].role);
  }
  EXPECT_EQ(a->error_patterns, b->error_patterns);
  EXPECT_EQ(a->warn_patterns, b->warn_patterns);
}

TEST(LogsOptions, ErrorsNameTheKey) {
  EXPECT_EQ(error_of("[logs]\nring_lines = 0\n"),
            "logs.ring_lines: expected an integer from 1 to 1000000, got 0");
  EXPECT_EQ(error_of("[logs]\nring_seconds = 'x'\n"),
            "logs.ring_seconds: expected an integer from 1 to 604800, got \"x\"");
  EXPECT_EQ(error_of("[logs]\nerror_patterns = 'x'\n"),
            "logs.error_patterns: expected an array of regular expressions, got \"x\"");
  EXPECT_NE(error_of("[logs]\nwarn_patterns = ['ok', '(bad']\n").find("logs.warn_patterns[1]"),
            std::string::npos);
  EXPECT_NE(error_of("[logs]\nfreeze_regex = '(bad'\n").find("logs.freeze_regex"),
            std::string::npos);
  EXPECT_EQ(error_of("[[logs.source]]\npath = 'a'\nrole = 'bots'\n"),
            "logs.source[0].role: 'bots' is not \"server\" or \"playerbot\"");
  EXPECT_EQ(error_of("[[logs.source]]\npath = 'a'\nstream = 'stdout'\n"),
            "logs.source[0]: give either path (a log file) or stream (\"stdout\" or \"stderr\")");
  EXPECT_EQ(error_of("[[logs.source]]\nstream = 'stdin'\n"),
            "logs.source[0].stream: 'stdin' is not \"stdout\" or \"stderr\"");
  EXPECT_EQ(error_of("[[logs.source]]\npath = 'a'\npaht = 'b'\n"),
            "logs.source[0].paht: unknown key (known: name, path, stream, role, start, heartbeat)");
  EXPECT_EQ(error_of("[[logs.source]]\npath = 'a/x.log'\n[[logs.source]]\npath = 'b/x.log'\n"),
            "logs.source[1].name: 'x.log' is used by another source");
  EXPECT_NE(
      error_of("[[logs.source]]\npath = 'a'\nheartbeat = '(x'\n").find("logs.source[0].heartbeat"),
      std::string::npos);
  EXPECT_EQ(error_of("[logs]\nheartbeat_regex = 'x'\nheartbeat_source = 'nope'\n[[logs.source]]\n"
                     "path = 'a'\n[[logs.source]]\npath = 'b'\n"),
            "logs.heartbeat_source: no source is named 'nope' (sources: a, b)");
  EXPECT_EQ(error_of("[logs]\nmax_line_bytes = 100000\nring_bytes = 5000\n"),
            "logs.max_line_bytes: 100000 is larger than logs.ring_bytes (5000)");
}

} // namespace
