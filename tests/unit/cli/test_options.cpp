// SPDX-License-Identifier: MIT
#include <cli/options.hpp>

#include <gtest/gtest.h>

using crashpilot::cli::parse_args;

TEST(CliOptions, TriageWithGlobalFlagsAnywhere) {
  auto inv = parse_args({"--preset", "generic", "triage", "a.txt", "-", "--json", "--set", "triage.signature_frames=4"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, "triage");
  EXPECT_EQ(inv->triage.inputs, (std::vector<std::string>{"a.txt", "-"}));
  EXPECT_TRUE(inv->global.json);
  EXPECT_EQ(inv->global.preset, "generic");
  EXPECT_EQ(inv->global.sets.size(), 1u);
}

TEST(CliOptions, UsageErrors) {
  EXPECT_FALSE(parse_args({"triage"}));                 // no input
  EXPECT_FALSE(parse_args({"frobnicate"}));             // unknown command
  EXPECT_FALSE(parse_args({"triage", "x", "--bogus"})); // unknown flag
  EXPECT_FALSE(parse_args({"triage", "x", "--max-input-mb", "0"}));
}

TEST(CliOptions, HelpAndVersion) {
  auto help = parse_args({"--help"});
  ASSERT_TRUE(help);
  EXPECT_NE(help->help_text.find("triage"), std::string::npos);
  auto sub = parse_args({"triage", "--help"});
  ASSERT_TRUE(sub);
  EXPECT_NE(sub->help_text.find("--raw"), std::string::npos);
  auto v = parse_args({"--version"});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->command, "version");
  auto none = parse_args({});
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->help_text.empty());
}

TEST(CliOptions, ConfigPrint) {
  auto inv = parse_args({"config", "print", "--no-origins"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, "config");
  EXPECT_FALSE(inv->config.origins);
}

TEST(CliOptions, StoreAndQueueRootAreGlobal) {
  auto inv = parse_args({"ingest", "--store", "x.db", "a.txt", "--queue-root=q"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, "ingest");
  EXPECT_EQ(inv->global.store, "x.db");
  EXPECT_EQ(inv->global.queue_root, "q");
  EXPECT_EQ(inv->ingest.inputs, (std::vector<std::string>{"a.txt"}));
}

TEST(CliOptions, QueueActions) {
  auto claim = parse_args({"queue", "claim", "--holder", "bot", "--store", "s.db"});
  ASSERT_TRUE(claim) << claim.error();
  EXPECT_EQ(claim->command, "queue");
  EXPECT_EQ(claim->queue.action, "claim");
  EXPECT_EQ(claim->queue.holder, "bot");
  EXPECT_TRUE(claim->queue.id.empty());
  auto release = parse_args({"queue", "release", "abc", "--reason", "stuck"});
  ASSERT_TRUE(release) << release.error();
  EXPECT_EQ(release->queue.action, "release");
  EXPECT_EQ(release->queue.id, "abc");
  EXPECT_EQ(release->queue.reason, "stuck");
  EXPECT_FALSE(parse_args({"queue", "release", "abc"})); // --reason is required
  EXPECT_FALSE(parse_args({"queue"}));                   // an action is required
  auto help = parse_args({"queue", "check", "--help"});
  ASSERT_TRUE(help);
  EXPECT_NE(help->help_text.find("Exit codes"), std::string::npos);
}

TEST(CliOptions, WatchCrashesStatsSchema) {
  auto watch = parse_args({"watch", "Crashes", "Other", "--once", "--interval-ms", "50"});
  ASSERT_TRUE(watch) << watch.error();
  EXPECT_EQ(watch->watch.dirs.size(), 2u);
  EXPECT_TRUE(watch->watch.once);
  EXPECT_EQ(watch->watch.interval_ms, 50);
  auto crashes = parse_args({"crashes", "--bucket", "abc", "--bot", "--status", "open"});
  ASSERT_TRUE(crashes) << crashes.error();
  EXPECT_EQ(crashes->crashes.bucket, "abc");
  EXPECT_TRUE(crashes->crashes.bot);
  auto stats = parse_args({"stats", "--days", "7"});
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->stats.days, 7);
  auto schema = parse_args({"schema", "print", "response"});
  ASSERT_TRUE(schema);
  EXPECT_EQ(schema->schema.name, "response");
  EXPECT_FALSE(parse_args({"schema", "print", "other"}));
}
