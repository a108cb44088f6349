// SPDX-License-Identifier: MIT
// A live process stopped with ptrace the way the capture stage stops one (PTRACE_SEIZE +
// PTRACE_INTERRUPT of every thread): unwind while stopped, prepare, kill it, then symbolize.
#include <util/fd.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <symbolize/session.hpp>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "program.hpp"

namespace crashpilot::symbolize {
namespace {

using test::find_frame;
using test::source_line;

std::vector<pid_t> tasks(pid_t pid) {
  std::vector<pid_t> out;
  std::string path = "/proc/" + std::to_string(pid) + "/task";
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) {
    return out;
  }
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] != '.') {
      out.push_back(static_cast<pid_t>(std::stol(e->d_name)));
    }
  }
  ::closedir(d);
  return out;
}

// The number of the system call `tid` is blocked in (/proc/.../syscall), -1 when running or
// unknown.
long blocked_syscall(pid_t pid, pid_t tid) {
  std::string path = "/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/syscall";
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  char buf[64] = {};
  if (!fd.valid() || ::read(fd.get(), buf, sizeof buf - 1) <= 0) {
    return -1;
  }
  char* end = nullptr;
  long nr = std::strtol(buf, &end, 10);
  return end == buf ? -1 : nr;
}

// The test program in `wait` mode, its worker parked in read(2). Killed and reaped on destruction.
class Parked {
public:
  Parked() {
    int out[2];
    if (::pipe(out) != 0) {
      return;
    }
    m_pid = ::fork();
    if (m_pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlives a test that crashed
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      std::string exe = test::program();
      ::execl(exe.c_str(), exe.c_str(), "wait", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    util::Fd read_end(out[0]);
    pollfd p{read_end.get(), POLLIN, 0};
    char buf[16] = {};
    if (m_pid < 0 || ::poll(&p, 1, 10'000) != 1 || ::read(read_end.get(), buf, sizeof buf) <= 0) {
      return;
    }
    // "ready" comes just before the worker's read(2); wait until it is blocked there.
    for (int i = 0; i < 500; ++i) {
      for (pid_t tid : tasks(m_pid)) {
        if (blocked_syscall(m_pid, tid) == SYS_read) {
          m_ready = true;
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  Parked(const Parked&) = delete;
  Parked& operator=(const Parked&) = delete;
  ~Parked() { kill(); }

  bool ready() const { return m_ready; }
  pid_t pid() const { return m_pid; }

  // Stops every thread as the capture stage does. False when ptrace is not allowed here.
  bool freeze() {
    for (pid_t tid : tasks(m_pid)) {
      if (::ptrace(PTRACE_SEIZE, tid, nullptr, nullptr) != 0 ||
          ::ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr) != 0) {
        return false;
      }
      int status = 0;
      if (::waitpid(tid, &status, __WALL) != tid || !WIFSTOPPED(status)) {
        return false;
      }
    }
    return true;
  }

  void kill() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGKILL);
      int status = 0;
      while (::waitpid(-1, &status, __WALL) > 0) {
      }
      m_pid = -1;
    }
  }

private:
  pid_t m_pid = -1;
  bool m_ready = false;
};

TEST(LiveProcess, UnwindWhileStoppedSymbolizeAfterItDied) {
  Parked parked;
  ASSERT_TRUE(parked.ready()) << "the test program did not reach its read(2)";
  if (!parked.freeze()) {
    GTEST_SKIP() << "ptrace is not allowed here: " << std::strerror(errno);
  }
  pid_t pid = parked.pid();
  auto session = Session::attach_stopped(pid);
  ASSERT_TRUE(session) << session.error();
  auto raw = session->unwind();
  ASSERT_TRUE(raw) << raw.error();
  ASSERT_EQ(raw->size(), 3u);
  session->prepare_for_release(*raw);
  std::string build_id = session->main_build_id();
  parked.kill(); // from here on nothing can be read from the process

  std::vector<model::Thread> threads;
  for (const auto& t : *raw) {
    EXPECT_EQ(t.error, "") << "thread " << t.tid;
    EXPECT_FALSE(t.frames.empty());
    EXPECT_TRUE(t.frames.front().activation) << "the innermost pc is exact";
    threads.push_back(session->symbolize(t));
  }
  const model::Thread* worker = test::thread_with(threads, "symbolize_test::Wait");
  ASSERT_NE(worker, nullptr);
  SCOPED_TRACE(test::dump(*worker));
  int park = find_frame(*worker, "symbolize_test::Park(int)");
  ASSERT_GE(park, 1) << "read(2) in libc is below Park";
  const auto& f = worker->frames;
  EXPECT_TRUE(f[static_cast<size_t>(park)].inlined);
  EXPECT_EQ(f[static_cast<size_t>(park)].line, source_line("park"));
  ASSERT_LT(static_cast<size_t>(park) + 1, f.size());
  EXPECT_EQ(f[static_cast<size_t>(park) + 1].function, "symbolize_test::Wait(int)");
  EXPECT_FALSE(f[static_cast<size_t>(park) + 1].inlined);
  EXPECT_EQ(f[static_cast<size_t>(park) + 1].line, source_line("wait"));
  EXPECT_EQ(f[static_cast<size_t>(park) + 1].module, "symbolize_crash");
  EXPECT_GE(find_frame(*worker, "start_thread"), 0);

  const model::Thread* main_thread = test::thread_with(threads, "std::thread::join");
  ASSERT_NE(main_thread, nullptr);
  EXPECT_EQ(main_thread->id, std::to_string(pid));
  EXPECT_GE(find_frame(*main_thread, "main"), 0);

  EXPECT_EQ(build_id.size(), 40u);
  EXPECT_EQ(session->main_build_id(), build_id) << "known without the process";
  bool exe = false;
  for (const auto& m : session->modules()) {
    if (m.name == "symbolize_crash") {
      exe = true;
      EXPECT_EQ(m.build_id, build_id);
      EXPECT_TRUE(m.has_debuginfo);
    }
  }
  EXPECT_TRUE(exe);
}

TEST(LiveProcess, ThreadsNotStoppedGiveErrorsPerThreadNotAFailure) {
  Parked parked;
  ASSERT_TRUE(parked.ready());
  auto session = Session::attach_stopped(parked.pid());
  ASSERT_TRUE(session) << session.error();
  auto raw = session->unwind();
  ASSERT_TRUE(raw) << raw.error();
  EXPECT_EQ(raw->size(), 3u);
  for (const auto& t : *raw) {
    EXPECT_NE(t.error, "") << "thread " << t.tid << " was never stopped, so it cannot be read";
  }
}

TEST(LiveProcess, NoSuchProcess) {
  auto session = Session::attach_stopped(999'999'999);
  ASSERT_FALSE(session);
  EXPECT_NE(session.error().find("no such process"), std::string::npos) << session.error();
}

} // namespace
} // namespace crashpilot::symbolize
