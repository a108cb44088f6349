// SPDX-License-Identifier: MIT
#include <capture/freeze.hpp>
#include <capture/launch.hpp>
#include <capture/proc.hpp>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <thread>

using namespace crashpilot::capture;

TEST(Launch, MissingProgramIsAStartupErrorNamingIt) {
  LaunchSpec spec;
  spec.argv = {"/nonexistent/worldserver", "-c", "x.conf"};
  spec.trace = false;
  auto l = launch(spec);
  ASSERT_FALSE(l);
  EXPECT_NE(l.error().find("/nonexistent/worldserver"), std::string::npos) << l.error();
  EXPECT_NE(l.error().find("No such file"), std::string::npos) << l.error();
}

TEST(Launch, BadWorkingDirectoryIsNamed) {
  LaunchSpec spec;
  spec.argv = {"true"};
  spec.cwd = "/nonexistent-dir";
  spec.trace = false;
  auto l = launch(spec);
  ASSERT_FALSE(l);
  EXPECT_NE(l.error().find("/nonexistent-dir"), std::string::npos) << l.error();
}

TEST(Launch, OutputIsCapturedAndTheChildHasItsOwnGroup) {
  LaunchSpec spec;
  spec.argv = {"sh", "-c", "echo out; echo err >&2; exit 7"};
  spec.trace = false;
  auto l = launch(spec);
  ASSERT_TRUE(l) << l.error();
  EXPECT_EQ(::getpgid(l->pid), l->pid);
  char buf[64] = {};
  ssize_t n = ::read(l->out.get(), buf, sizeof buf - 1);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(std::max<ssize_t>(n, 0))), "out\n");
  int status = 0;
  ASSERT_EQ(::waitpid(l->pid, &status, 0), l->pid);
  EXPECT_EQ(WEXITSTATUS(status), 7);
}

TEST(Freeze, ForeignProcessIsStoppedThenLeftRunningUntraced) {
  LaunchSpec spec;
  spec.argv = {"sleep", "30"};
  spec.trace = false;
  spec.capture_output = false;
  auto l = launch(spec);
  ASSERT_TRUE(l) << l.error();
  {
    auto f = freeze_foreign(l->pid);
    ASSERT_TRUE(f) << f.error();
    EXPECT_EQ(f->threads(), std::vector<pid_t>{l->pid});
    auto stopped_for = f->release();
    EXPECT_GE(stopped_for.count(), 0);
  }
  // Detached: alive and not traced.
  EXPECT_EQ(::kill(l->pid, 0), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  int status = 0;
  EXPECT_EQ(::waitpid(l->pid, &status, WNOHANG), 0);
  ::kill(l->pid, SIGKILL);
  ::waitpid(l->pid, &status, 0);
}

TEST(Freeze, NoSuchProcess) {
  auto f = freeze_foreign(999999999);
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().find("no process"), std::string::npos) << f.error();
}

TEST(Proc, ThreadFactsOfOurselves) {
  auto tids = list_threads(::getpid());
  ASSERT_FALSE(tids.empty());
  EXPECT_EQ(tids.front(), ::getpid());
  EXPECT_FALSE(thread_name(::getpid(), ::getpid()).empty());
  EXPECT_TRUE(thread_cpu_ticks(::getpid(), ::getpid()).has_value());
}
