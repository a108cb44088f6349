// SPDX-License-Identifier: MIT
#include <config/config.hpp>

#include <fix/fix_options.hpp>
#include <gtest/gtest.h>

using namespace crashpilot;

namespace {

util::Expected<config::Config> load(const std::string& preset,
                                    std::vector<std::string> overrides = {}) {
  config::LoadOptions lo;
  lo.preset = preset;
  lo.search_default_file = false;
  lo.overrides = std::move(overrides);
  return config::Config::load(lo);
}

std::string error_for(const std::string& override_text) {
  auto cfg = load("generic", {override_text});
  EXPECT_TRUE(cfg) << cfg.error();
  auto o = fix::from_config(*cfg);
  EXPECT_FALSE(o) << override_text;
  return o ? "" : o.error();
}

} // namespace

TEST(FixOptions, GenericPresetDefaults) {
  auto cfg = load("generic");
  ASSERT_TRUE(cfg) << cfg.error();
  auto o = fix::from_config(*cfg);
  ASSERT_TRUE(o) << o.error();
  EXPECT_TRUE(o->fix.build.empty());
  EXPECT_EQ(o->fix.build_timeout.count(), 1800);
  EXPECT_EQ(o->fix.jobs, 0);
  EXPECT_GE(o->fix.effective_jobs(), 1);
  EXPECT_EQ(o->fix.build_log_lines, 80);
  EXPECT_EQ(o->fix.branch_prefix, "crashpilot/");
  EXPECT_EQ(o->fix.worktree_dir, ".crashpilot/worktrees");
  EXPECT_EQ(o->fix.approval_risk, fix::Risk::high);
  EXPECT_EQ(o->fix.max_attempts_per_day, 20);
  EXPECT_EQ(o->fix.gate_window_lines, 25);
  EXPECT_NE(std::find(o->fix.assert_macros.begin(), o->fix.assert_macros.end(), "WPAssert"),
            o->fix.assert_macros.end());
  EXPECT_NE(std::find(o->fix.test_paths.begin(), o->fix.test_paths.end(), "tests/**"),
            o->fix.test_paths.end());
  EXPECT_TRUE(o->verify.repro_command.empty());
  EXPECT_TRUE(o->verify.server_command.empty());
  EXPECT_EQ(o->verify.repro_runs, 3);
  EXPECT_EQ(o->verify.repro_timeout.count(), 300);
  EXPECT_DOUBLE_EQ(o->verify.soak_confidence, 0.95);
  EXPECT_DOUBLE_EQ(o->verify.soak_min, 10);
  EXPECT_DOUBLE_EQ(o->verify.soak_max, 3600);
  EXPECT_DOUBLE_EQ(o->verify.default_crash_interval, 600);
}

TEST(FixOptions, TrinityCorePresetBuildCommandsValidate) {
  auto cfg = load("trinitycore");
  ASSERT_TRUE(cfg) << cfg.error();
  auto o = fix::from_config(*cfg);
  ASSERT_TRUE(o) << o.error();
  ASSERT_EQ(o->fix.build.size(), 2u);
  EXPECT_EQ(o->fix.build[0][0], "cmake");
  EXPECT_EQ(o->fix.build_timeout.count(), 7200);
  ASSERT_EQ(o->verify.server_command.size(), 1u);
  EXPECT_EQ(o->verify.server_command[0], "{worktree}/.crashpilot-build/bin/worldserver");
}

TEST(FixOptions, Overrides) {
  auto cfg = load("generic", {"fix.approval_risk=\"none\"", "fix.jobs=3",
                              "fix.build=[[\"make\",\"-j{jobs}\"]]", "verify.soak_confidence=0.99",
                              "verify.repro_command=[\"./repro\",\"--seed\",\"1\"]",
                              "verify.soak_min_seconds=30"});
  ASSERT_TRUE(cfg) << cfg.error();
  auto o = fix::from_config(*cfg);
  ASSERT_TRUE(o) << o.error();
  EXPECT_FALSE(o->fix.approval_risk.has_value());
  EXPECT_EQ(o->fix.effective_jobs(), 3);
  ASSERT_EQ(o->fix.build.size(), 1u);
  EXPECT_EQ(o->fix.build[0][1], "-j{jobs}"); // templates stay templates until the build
  EXPECT_DOUBLE_EQ(o->verify.soak_confidence, 0.99);
  EXPECT_DOUBLE_EQ(o->verify.soak_min, 30);
  EXPECT_EQ(o->verify.repro_command.size(), 3u);
}

TEST(FixOptions, BadValuesNameTheKey) {
  std::string e = error_for("fix.approval_risk=\"extreme\"");
  EXPECT_NE(e.find("fix.approval_risk"), std::string::npos) << e;
  EXPECT_NE(e.find("\"none\""), std::string::npos) << e;
  EXPECT_NE(e.find("extreme"), std::string::npos) << e;

  e = error_for("fix.build=[[\"cmake\",\"--build\",\"{bild_dir}\"]]");
  EXPECT_NE(e.find("fix.build[0]"), std::string::npos) << e;
  EXPECT_NE(e.find("{bild_dir}"), std::string::npos) << e;
  EXPECT_NE(e.find("{build_dir}"), std::string::npos) << e; // the known ones are listed

  EXPECT_NE(error_for("fix.build=[\"make\"]").find("fix.build[0]"), std::string::npos);
  EXPECT_NE(error_for("fix.build=[[]]").find("fix.build[0]"), std::string::npos);
  EXPECT_NE(error_for("fix.build=[[\"make\", 3]]").find("fix.build[0][1]"), std::string::npos);
  EXPECT_NE(error_for("fix.jobs=-1").find("fix.jobs"), std::string::npos);
  EXPECT_NE(error_for("fix.build_timeout_seconds=0").find("fix.build_timeout_seconds"),
            std::string::npos);
  EXPECT_NE(error_for("fix.build_log_lines=\"many\"").find("fix.build_log_lines"),
            std::string::npos);
  EXPECT_NE(error_for("fix.branch_prefix=\"my branch/\"").find("fix.branch_prefix"),
            std::string::npos);
  EXPECT_NE(error_for("fix.branch_prefix=\"a..b/\"").find("fix.branch_prefix"), std::string::npos);
  EXPECT_NE(error_for("fix.worktree_dir=\"\"").find("fix.worktree_dir"), std::string::npos);
  EXPECT_NE(error_for("fix.assert_macros=[\"ASSERT\",\"bad macro\"]").find("fix.assert_macros[1]"),
            std::string::npos);
  EXPECT_NE(error_for("fix.test_paths=[\"\"]").find("fix.test_paths[0]"), std::string::npos);
  EXPECT_NE(error_for("fix.gate_window_lines=-3").find("fix.gate_window_lines"), std::string::npos);
  EXPECT_NE(error_for("verify.soak_confidence=1.0").find("verify.soak_confidence"),
            std::string::npos);
  EXPECT_NE(error_for("verify.soak_confidence=0").find("verify.soak_confidence"),
            std::string::npos);
  EXPECT_NE(error_for("verify.soak_max_seconds=5").find("verify.soak_max_seconds"),
            std::string::npos); // below soak_min_seconds = 10
  EXPECT_NE(error_for("verify.default_crash_interval_seconds=0")
                .find("verify.default_crash_interval_seconds"),
            std::string::npos);
  EXPECT_NE(error_for("verify.repro_runs=0").find("verify.repro_runs"), std::string::npos);
  EXPECT_NE(error_for("verify.repro_command=\"./repro\"").find("verify.repro_command"),
            std::string::npos);
  e = error_for("verify.server_command=[\"{worktre}/bin/server\"]");
  EXPECT_NE(e.find("verify.server_command"), std::string::npos) << e;
  EXPECT_NE(e.find("{worktre}"), std::string::npos) << e;
  EXPECT_NE(error_for("verify.repro_command=[\"sh\", \"-c\", \"echo {jobs}\"]")
                .find("verify.repro_command"),
            std::string::npos);
}
