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
