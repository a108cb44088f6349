// SPDX-License-Identifier: MIT
#include <util/child_process.hpp>
#include <util/temp_dir.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>

using namespace crashpilot::util;

TEST(ChildProcess, CapturesOutputAndExitCode) {
  auto r = run_command({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, "out\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_FALSE(r->ok());
}

TEST(ChildProcess, NoShellArgumentsPassVerbatim) {
  auto r = run_command({"printf", "%s|", "a b", "$(rm -rf /)", "*"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->out, "a b|$(rm -rf /)|*|");
}

TEST(ChildProcess, FeedsStdinAndHonoursCwdAndEnv) {
  auto dir = TempDir::create("cp-test-");
  ASSERT_TRUE(dir);
  RunOptions o;
  o.stdin_data = std::string(1 << 20, 'x'); // larger than a pipe buffer
  o.cwd = dir->path();
  o.env_set["CP_TEST_VAR"] = "hello";
  auto r = run_command({"sh", "-c", "wc -c; pwd; echo $CP_TEST_VAR"}, o);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->out, "1048576\n" + std::filesystem::canonical(dir->path()).string() + "\nhello\n");
}

TEST(ChildProcess, CapsOutput) {
  RunOptions o;
  o.max_output_bytes = 1000;
  auto r = run_command({"sh", "-c", "head -c 100000 /dev/zero"}, o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->out.size(), 1000u);
  EXPECT_EQ(r->out_dropped, 99000u);
  EXPECT_EQ(r->exit_code, 0);
}

TEST(ChildProcess, TimeoutKillsTheGroup) {
  RunOptions o;
  o.timeout = std::chrono::milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  auto r = run_command({"sh", "-c", "sleep 30 & sleep 30"}, o);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->term_signal, SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ChildProcess, MissingProgramIsAnError) {
  auto r = run_command({"crashpilot-no-such-program"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("crashpilot-no-such-program"), std::string::npos);
}

TEST(ChildProcess, DestructorKillsARunningChild) {
  pid_t pid = -1;
  {
    auto c = ChildProcess::spawn({"sleep", "30"}, {});
    ASSERT_TRUE(c);
    pid = c->pid();
    EXPECT_EQ(::kill(pid, 0), 0);
  }
  EXPECT_NE(::kill(pid, 0), 0); // killed and reaped
}

TEST(TempDir, RemovedWithItsContent) {
  std::string path;
  {
    auto d = TempDir::create("td-test-");
    ASSERT_TRUE(d);
    path = d->path();
    std::filesystem::create_directories(path + "/a/b");
    EXPECT_TRUE(std::filesystem::is_directory(path + "/a/b"));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}
