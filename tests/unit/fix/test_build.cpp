// SPDX-License-Identifier: MIT
// Build commands run for real (sh, true, false, g++), without a shell in between.
#include <util/file.hpp>
#include <util/temp_dir.hpp>

#include <fix/build.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <thread>

using namespace crashpilot;

namespace {

struct Scratch {
  util::TempDir dir;
  std::string worktree;
  std::string log;

  Scratch() {
    auto d = util::TempDir::create("crashpilot-build-");
    EXPECT_TRUE(d) << d.error();
    dir = std::move(*d);
    worktree = dir.path() + "/wt";
    std::filesystem::create_directories(worktree);
    log = dir.path() + "/logs/attempt-1/build.log";
  }

  fix::BuildSpec spec(std::vector<std::vector<std::string>> commands) const {
    fix::BuildSpec s;
    s.commands = std::move(commands);
    s.cwd = worktree;
    s.values = {{"worktree", worktree},
                {"repo", "/repo"},
                {"jobs", "2"},
                {"build_dir", "/b"},
                {"ccache", ""}};
    s.timeout = std::chrono::seconds(30);
    s.log_path = log;
    return s;
  }

  std::string log_text() const {
    auto t = util::read_file(log);
    EXPECT_TRUE(t) << t.error();
    return t ? *t : "";
  }
};

} // namespace

TEST(Build, RunsEveryCommandWithPlaceholdersAndLogsThem) {
  Scratch s;
  auto r = fix::run_build(s.spec(
      {{"sh", "-c", "echo \"jobs=$1 wt=$2 $3\"; pwd", "sh", "{jobs}", "{worktree}", "{{literal}}"},
       {"true"}}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(r->ok) << r->message;
  EXPECT_EQ(r->failed_command_index, -1);
  EXPECT_EQ(r->log_path, s.log);
  EXPECT_GE(r->seconds, 0);
  EXPECT_NE(r->message.find("2 command(s)"), std::string::npos) << r->message;
  std::string log = s.log_text();
  EXPECT_NE(log.find("==> [1/2] sh -c"), std::string::npos) << log;
  EXPECT_NE(log.find("jobs=2 wt=" + s.worktree + " {literal}"), std::string::npos) << log;
  EXPECT_NE(log.find("\n" + s.worktree + "\n"), std::string::npos) << log; // ran in the worktree
  EXPECT_NE(log.find("==> [2/2] true"), std::string::npos) << log;
  EXPECT_NE(log.find("==> exit 0"), std::string::npos) << log;
}

TEST(Build, StopsAtTheFirstFailureWithItsErrors) {
  Scratch s;
  ASSERT_TRUE(util::write_file_atomic(s.worktree + "/broken.cpp",
                                      "struct Unit { int hp; };\n"
                                      "int damage(Unit* u) { return u->mana; }\n"));
  auto r =
      fix::run_build(s.spec({{"true"},
                             {"sh", "-c",
                              "echo compiling; LC_ALL=C g++ -fsyntax-only broken.cpp || "
                              "{{ echo 'broken.cpp:2:33: error: no member mana' >&2; exit 1; }}"},
                             {"sh", "-c", "echo must not run"}}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->failed_command_index, 1);
  EXPECT_EQ(r->exit_code, 1);
  EXPECT_FALSE(r->timed_out);
  EXPECT_FALSE(r->not_started);
  EXPECT_NE(r->message.find("build command 2 of 3"), std::string::npos) << r->message;
  EXPECT_NE(r->message.find("exit code 1"), std::string::npos) << r->message;
  ASSERT_FALSE(r->errors.empty()) << s.log_text();
  EXPECT_NE(r->errors[0].find("broken.cpp:2:"), std::string::npos) << r->errors[0];
  EXPECT_NE(r->tail.find("compiling"), std::string::npos) << r->tail;
  std::string log = s.log_text();
  EXPECT_EQ(log.find("must not run"), std::string::npos) << log;
  EXPECT_NE(log.find("==> failed with exit code 1"), std::string::npos) << log;
  auto j = fix::to_json(*r);
  EXPECT_EQ(j["failed_command_index"], 1);
  EXPECT_EQ(j["ok"], false);
}

TEST(Build, AProgramThatIsNotInstalledIsAResult) {
  Scratch s;
  auto r = fix::run_build(s.spec({{"crashpilot-no-such-compiler", "--version"}}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_FALSE(r->ok);
  EXPECT_TRUE(r->not_started);
  EXPECT_EQ(r->failed_command_index, 0);
  EXPECT_NE(r->message.find("crashpilot-no-such-compiler"), std::string::npos) << r->message;
  EXPECT_NE(s.log_text().find("cannot start"), std::string::npos);
}

TEST(Build, TimeoutKillsTheBuild) {
  Scratch s;
  auto spec = s.spec({{"sh", "-c", "echo started; sleep 30"}, {"true"}});
  spec.timeout = std::chrono::seconds(1);
  auto start = std::chrono::steady_clock::now();
  auto r = fix::run_build(spec);
  ASSERT_TRUE(r) << r.error();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  EXPECT_FALSE(r->ok);
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->failed_command_index, 0);
  EXPECT_NE(r->message.find("ran out of the build's 1 s"), std::string::npos) << r->message;
  EXPECT_NE(s.log_text().find("started"), std::string::npos);
}

TEST(Build, CancelStopsTheRunningCommand) {
  Scratch s;
  std::atomic<bool> cancel{false};
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel = true;
  });
  auto r = fix::run_build(s.spec({{"sleep", "30"}}), &cancel);
  t.join();
  ASSERT_TRUE(r) << r.error();
  EXPECT_FALSE(r->ok);
  EXPECT_TRUE(r->cancelled);
  EXPECT_FALSE(r->timed_out);
  EXPECT_NE(r->message.find("cancelled"), std::string::npos) << r->message;
}

TEST(Build, SetUpProblemsAreErrorsBeforeAnythingRuns) {
  Scratch s;
  auto typo = fix::run_build(s.spec({{"touch", "{worktree}/ran"}, {"make", "-j{jbos}"}}));
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().find("{jbos}"), std::string::npos) << typo.error();
  EXPECT_NE(typo.error().find("build command 2"), std::string::npos) << typo.error();
  EXPECT_FALSE(std::filesystem::exists(s.worktree + "/ran")); // nothing ran
  auto empty = fix::run_build(s.spec({{}}));
  EXPECT_FALSE(empty);
  auto spec = s.spec({{"true"}});
  spec.cwd = s.dir.path() + "/missing";
  auto nocwd = fix::run_build(spec);
  ASSERT_FALSE(nocwd);
  EXPECT_NE(nocwd.error().find("missing"), std::string::npos);
}

TEST(Build, NoCommandsIsASuccess) {
  Scratch s;
  auto r = fix::run_build(s.spec({}));
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(r->ok);
  EXPECT_NE(r->message.find("no build commands"), std::string::npos);
}

TEST(Build, SpecFromOptions) {
  fix::FixOptions o;
  o.build = {{"cmake", "--build", "{build_dir}", "-j", "{jobs}"}};
  o.jobs = 3;
  o.build_dir = "/home/me/tc/build";
  o.build_log_lines = 40;
  o.build_timeout = std::chrono::seconds(99);
  auto spec = fix::build_spec(o, "/wt", "/repo", "/logs/b.log");
  EXPECT_EQ(spec.cwd, "/wt");
  EXPECT_EQ(spec.values.at("jobs"), "3");
  EXPECT_EQ(spec.values.at("build_dir"), "/home/me/tc/build");
  EXPECT_EQ(spec.values.at("repo"), "/repo");
  EXPECT_EQ(spec.values.at("ccache"), fix::find_in_path("ccache"));
  EXPECT_EQ(spec.timeout.count(), 99);
  EXPECT_EQ(spec.feedback_lines, 40u);
  EXPECT_NE(fix::find_in_path("sh"), "");
  EXPECT_EQ(fix::find_in_path("crashpilot-no-such-program"), "");
}
