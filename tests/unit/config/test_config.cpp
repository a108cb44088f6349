// SPDX-License-Identifier: MIT
#include <config/config.hpp>

#include <util/file.hpp>

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace crashpilot::config;

namespace {
LoadOptions isolated() {
  LoadOptions o;
  o.search_default_file = false;
  return o;
}
std::string temp_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".toml");
  EXPECT_TRUE(crashpilot::util::write_file_atomic(path.string(), text));
  return path.string();
}
} // namespace

TEST(Config, DefaultPresetIsTrinityCoreOverBase) {
  auto c = Config::load(isolated());
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->preset(), "trinitycore");
  EXPECT_EQ(c->get_int("triage.signature_frames", 0), 3);
  auto skips = c->get_strings("triage.skip_functions");
  // trinitycore's skip_functions_add appended to base's list
  EXPECT_GT(skips.size(), 40u);
  EXPECT_NE(std::find_if(skips.begin(), skips.end(), [](auto& s) { return s.find("Trinity|Acore") != std::string::npos; }),
            skips.end());
  EXPECT_NE(c->origin("triage.skip_functions").find("preset trinitycore"), std::string::npos);
  EXPECT_FALSE(c->get_strings("triage.bot.function_patterns").empty());
}

TEST(Config, GenericPresetHasNoBotRules) {
  auto o = isolated();
  o.preset = "generic";
  auto c = Config::load(o);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->get_strings("triage.bot.function_patterns").empty());
}

TEST(Config, LayersOverrideInOrder) {
  std::string file = temp_file("layers", "[triage]\nsignature_frames = 5\nroot_markers = ['game']\n"
                                         "[triage.bot]\nfunction_patterns_add = ['MyBot']\n");
  auto o = isolated();
  o.file = file;
  o.environment = {{"CRASHPILOT_TRIAGE__SIMILARITY_THRESHOLD", "0.5"}, {"HOME", "/x"}};
  o.overrides = {"triage.signature_frames=7"};
  auto c = Config::load(o);
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->get_int("triage.signature_frames", 0), 7);
  EXPECT_EQ(c->origin("triage.signature_frames"), "--set triage.signature_frames");
  EXPECT_EQ(c->get_strings("triage.root_markers"), std::vector<std::string>{"game"}); // arrays replace
  EXPECT_EQ(c->origin("triage.root_markers"), file + ":3");
  EXPECT_DOUBLE_EQ(c->find("triage.similarity_threshold")->get<double>(), 0.5);
  auto bots = c->get_strings("triage.bot.function_patterns");
  EXPECT_EQ(bots.back(), "MyBot"); // _add appends
  std::filesystem::remove(file);
}

TEST(Config, ErrorsNameFileAndLine) {
  std::string file = temp_file("broken", "[triage]\nsignature_frames = = 3\n");
  auto o = isolated();
  o.file = file;
  auto c = Config::load(o);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().find(file + ":2"), std::string::npos) << c.error();
  std::filesystem::remove(file);

  o.file = "/nonexistent/crashpilot.toml";
  c = Config::load(o);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().find("/nonexistent/crashpilot.toml"), std::string::npos);

  auto p = isolated();
  p.preset = "mangos-classic";
  c = Config::load(p);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().find("unknown preset"), std::string::npos);

  auto s = isolated();
  s.overrides = {"novalue"};
  EXPECT_FALSE(Config::load(s));
}

TEST(Config, PrintedTomlLoadsBackToTheSameTree) {
  auto c = Config::load(isolated());
  ASSERT_TRUE(c);
  std::string text = c->to_toml(true);
  auto back = Config::from_toml(text, "printed");
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->tree(), c->tree());
}

TEST(Config, OverrideValuesAreTyped) {
  auto o = isolated();
  o.overrides = {"a.flag=true", "a.list=['x', 'y']", "a.word=hello world"};
  auto c = Config::load(o);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->get_bool("a.flag", false));
  EXPECT_EQ(c->get_strings("a.list").size(), 2u);
  EXPECT_EQ(c->get_string("a.word"), "hello world");
}
