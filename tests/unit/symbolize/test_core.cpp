// SPDX-License-Identifier: MIT
// Cores of the test program: the crashing thread from the notes, its stack with inline frames and
// file:line against the program's source, the other threads, modules, caps, and bad core files.
#include <util/file.hpp>
#include <util/temp_dir.hpp>

#include <gtest/gtest.h>
#include <symbolize/session.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>

#include "program.hpp"

namespace crashpilot::symbolize {
namespace {

using test::find_frame;
using test::source_line;

class CoreTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    if (!test::have_gdb()) {
      return;
    }
    auto dir = util::TempDir::create("symbolize-core-");
    ASSERT_TRUE(dir) << dir.error();
    s_dir = std::make_unique<util::TempDir>(std::move(*dir));
    s_core = s_dir->path() + "/core";
    auto made = test::make_core(test::program(), {"crash"}, s_core);
    ASSERT_TRUE(made) << made.error();
  }
  static void TearDownTestSuite() { s_dir.reset(); }

  void SetUp() override {
    if (s_dir == nullptr) {
      GTEST_SKIP() << "gdb is not installed: no core to read";
    }
  }

  static Session open(const std::string& exe = "") {
    auto s = Session::open_core(s_core, exe);
    EXPECT_TRUE(s) << s.error();
    return std::move(*s);
  }

  static std::vector<model::Thread> all_threads(Session& s, const Limits& limits = {}) {
    auto raw = s.unwind(limits);
    EXPECT_TRUE(raw) << raw.error();
    std::vector<model::Thread> out;
    for (const auto& t : *raw) {
      EXPECT_EQ(t.error, "") << "thread " << t.tid;
      out.push_back(s.symbolize(t));
    }
    return out;
  }

  static inline std::unique_ptr<util::TempDir> s_dir;
  static inline std::string s_core;
};

TEST_F(CoreTest, NotesNameTheCrashingThreadSignalAndFaultAddress) {
  Session s = open();
  auto info = s.core_info();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->signal, SIGSEGV);
  EXPECT_EQ(info->si_code, SEGV_MAPERR);
  ASSERT_TRUE(info->fault_address);
  EXPECT_LT(*info->fault_address, 4096u); // a null Unit's field
  EXPECT_EQ(info->exe_name, "symbolize_crash");
  EXPECT_NE(info->args.find("symbolize_crash crash"), std::string::npos) << info->args;
  EXPECT_GT(info->pid, 0);

  auto raw = s.unwind();
  ASSERT_TRUE(raw) << raw.error();
  ASSERT_EQ(raw->size(), 3u); // main, idle, worker
  EXPECT_EQ(raw->front().tid, info->crashing_tid) << "the core's first thread is the crashing one";
  EXPECT_NE(info->crashing_tid, info->pid) << "the worker crashed, not the main thread";
  model::Thread crashing = s.symbolize(raw->front());
  EXPECT_GE(find_frame(crashing, "symbolize_test::Damage"), 0) << test::dump(crashing);
}

TEST_F(CoreTest, CrashingStackHasInlineFramesAndSourceLines) {
  Session s = open();
  auto raw = s.unwind();
  ASSERT_TRUE(raw) << raw.error();
  model::Thread t = s.symbolize(raw->front());
  SCOPED_TRACE(test::dump(t));
  ASSERT_GE(t.frames.size(), 5u);
  const auto& f = t.frames;
  EXPECT_EQ(t.id, std::to_string(raw->front().tid));
  for (size_t i = 0; i < f.size(); ++i) {
    EXPECT_EQ(f[i].index, static_cast<int>(i));
  }
  // #0 Health (inline) at the load, #1 ReadHealth (inline) at its call of Health, #2 Damage (the
  // out-of-line function) at its call of ReadHealth; all three at the same pc.
  EXPECT_EQ(f[0].function, "symbolize_test::Unit::Health() const");
  EXPECT_TRUE(f[0].inlined);
  EXPECT_EQ(f[0].line, source_line("health"));
  EXPECT_TRUE(f[0].file.ends_with("tests/programs/symbolize_crash.cpp")) << f[0].file;
  EXPECT_GT(f[0].column, 0);
  EXPECT_EQ(f[1].function, "symbolize_test::ReadHealth(symbolize_test::Unit const*)");
  EXPECT_TRUE(f[1].inlined);
  EXPECT_EQ(f[1].line, source_line("read-health"));
  EXPECT_EQ(f[2].function, "symbolize_test::Damage(symbolize_test::Unit const*, int)");
  EXPECT_FALSE(f[2].inlined);
  EXPECT_EQ(f[2].line, source_line("damage"));
  EXPECT_EQ(f[0].address, f[2].address);
  EXPECT_EQ(f[2].module, "symbolize_crash");
  ASSERT_TRUE(f[2].offset);
  EXPECT_EQ(*f[2].offset, 0u) << "the null load is Damage's first instruction";
  // The caller, from a return address: the line of the call, not of the instruction after it.
  EXPECT_EQ(f[3].function, "symbolize_test::World::Update(int)");
  EXPECT_FALSE(f[3].inlined);
  EXPECT_EQ(f[3].line, source_line("update"));
  ASSERT_TRUE(f[3].offset);
  EXPECT_GT(*f[3].offset, 0u);
  // Down to the thread's start in libc.
  EXPECT_GE(find_frame(t, "start_thread"), 0);
  for (const auto& frame : f) {
    EXPECT_EQ(frame.function.find("??"), std::string::npos);
    EXPECT_EQ(frame.function.find('@'), std::string::npos) << "symbol versions are cut";
  }
}

TEST_F(CoreTest, OtherThreadsAreUnwoundToMainAndTheirWaits) {
  Session s = open();
  auto threads = all_threads(s);
  ASSERT_EQ(threads.size(), 3u);
  const model::Thread* main_thread = test::thread_with(threads, "std::thread::join");
  ASSERT_NE(main_thread, nullptr);
  SCOPED_TRACE(test::dump(*main_thread));
  int join = find_frame(*main_thread, "std::thread::join");
  ASSERT_LT(static_cast<size_t>(join) + 1, main_thread->frames.size());
  const model::Frame& m = main_thread->frames[static_cast<size_t>(join) + 1];
  EXPECT_EQ(m.function, "main");
  EXPECT_EQ(m.line, source_line("join"));
  const model::Thread* idle = test::thread_with(threads, "pthread_cond_wait");
  ASSERT_NE(idle, nullptr);
  EXPECT_NE(idle, main_thread);
}

TEST_F(CoreTest, ModulesAndBuildId) {
  Session s = open();
  auto mods = s.modules();
  std::string id = s.main_build_id();
  EXPECT_EQ(id.size(), 40u) << id; // SHA-1 build-id, as GNU ld writes it
  bool exe = false;
  bool libc = false;
  for (const auto& m : mods) {
    if (m.name == "symbolize_crash") {
      exe = true;
      EXPECT_EQ(m.build_id, id);
      EXPECT_TRUE(m.has_debuginfo);
      EXPECT_EQ(std::filesystem::canonical(m.path), std::filesystem::canonical(test::program()));
      EXPECT_LT(m.start, m.end);
    }
    libc = libc || m.name == "libc.so.6";
  }
  EXPECT_TRUE(exe);
  EXPECT_TRUE(libc);
}

TEST_F(CoreTest, SecondPassOverTheSameCodeComesFromTheCache) {
  Session s = open();
  auto raw = s.unwind();
  ASSERT_TRUE(raw);
  auto t0 = std::chrono::steady_clock::now();
  std::vector<model::Thread> first;
  for (const auto& t : *raw) {
    first.push_back(s.symbolize(t));
  }
  auto t1 = std::chrono::steady_clock::now();
  std::vector<model::Thread> second;
  for (const auto& t : *raw) {
    second.push_back(s.symbolize(t));
  }
  auto t2 = std::chrono::steady_clock::now();
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) {
    ASSERT_EQ(first[i].frames.size(), second[i].frames.size());
    for (size_t k = 0; k < first[i].frames.size(); ++k) {
      EXPECT_EQ(first[i].frames[k].function, second[i].frames[k].function);
      EXPECT_EQ(first[i].frames[k].line, second[i].frames[k].line);
    }
  }
  // The first pass reads DWARF (milliseconds); the second only copies cached frames.
  EXPECT_LT(t2 - t1, (t1 - t0) / 4);
}

TEST_F(CoreTest, ExplicitExecutableGivesTheSameStack) {
  Session s = open(test::program());
  auto raw = s.unwind();
  ASSERT_TRUE(raw);
  model::Thread t = s.symbolize(raw->front());
  EXPECT_EQ(t.frames.at(0).function, "symbolize_test::Unit::Health() const");
  EXPECT_TRUE(s.notes().empty()) << s.notes().front();
}

TEST_F(CoreTest, AnotherBuildAsExecutableIsNotUsedAndSaysSo) {
  Session s = open("/bin/true");
  ASSERT_EQ(s.notes().size(), 1u);
  EXPECT_NE(s.notes()[0].find("is another build"), std::string::npos) << s.notes()[0];
  auto raw = s.unwind();
  ASSERT_TRUE(raw);
  EXPECT_EQ(s.symbolize(raw->front()).frames.at(0).function,
            "symbolize_test::Unit::Health() const");
}

TEST_F(CoreTest, CapsCutThreadsAndFrames) {
  Session s = open();
  auto raw = s.unwind(Limits{1, 2});
  ASSERT_TRUE(raw) << raw.error();
  ASSERT_EQ(raw->size(), 1u);
  EXPECT_TRUE(s.threads_truncated());
  EXPECT_EQ(raw->front().frames.size(), 2u);
  EXPECT_TRUE(raw->front().truncated);
  auto all = s.unwind();
  ASSERT_TRUE(all);
  EXPECT_FALSE(s.threads_truncated());
  EXPECT_FALSE(all->front().truncated);
}

TEST_F(CoreTest, FrameOutsideAnyModuleIsAnAddressOnly) {
  Session s = open();
  auto frames = s.symbolize(RawFrame{0x10, true});
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].function, "");
  EXPECT_EQ(frames[0].module, "");
  EXPECT_EQ(frames[0].address, 0x10u);
}

TEST_F(CoreTest, TruncatedCoreIsAnErrorThatSaysSo) {
  auto bytes = util::read_file(s_core);
  ASSERT_TRUE(bytes);
  std::string cut = s_dir->path() + "/core.cut";
  ASSERT_TRUE(util::write_file_atomic(cut, std::string_view(*bytes).substr(0, bytes->size() / 2)));
  auto s = Session::open_core(cut, "");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("truncated"), std::string::npos) << s.error();
  EXPECT_NE(s.error().find(cut), std::string::npos) << s.error();

  ASSERT_TRUE(util::write_file_atomic(cut, std::string_view(*bytes).substr(0, 40)));
  auto header_only = Session::open_core(cut, "");
  ASSERT_FALSE(header_only);
  EXPECT_NE(header_only.error().find(cut), std::string::npos) << header_only.error();
}

TEST(CoreFile, NonCoreFilesAreErrorsThatSaySo) {
  auto dir = util::TempDir::create("symbolize-bad-");
  ASSERT_TRUE(dir);
  std::string text = dir->path() + "/crash.txt";
  ASSERT_TRUE(util::write_file_atomic(text, "Segmentation fault (core dumped)\n"));
  auto s = Session::open_core(text, "");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("not an ELF file"), std::string::npos) << s.error();

  auto exe = Session::open_core(test::program(), "");
  ASSERT_FALSE(exe);
  EXPECT_NE(exe.error().find("not a core dump"), std::string::npos) << exe.error();

  std::string empty = dir->path() + "/empty";
  ASSERT_TRUE(util::write_file_atomic(empty, ""));
  auto e = Session::open_core(empty, "");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().find("empty file"), std::string::npos) << e.error();

  auto missing = Session::open_core(dir->path() + "/nope", "");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("cannot open"), std::string::npos) << missing.error();

  auto dir_core = Session::open_core(dir->path(), "");
  ASSERT_FALSE(dir_core);
  EXPECT_NE(dir_core.error().find("not a regular file"), std::string::npos) << dir_core.error();

  auto bad_dir = Session::open_core(text, "", {dir->path() + "/no-such-dir"});
  ASSERT_FALSE(bad_dir);
  EXPECT_NE(bad_dir.error().find("no such directory"), std::string::npos) << bad_dir.error();
}

} // namespace
} // namespace crashpilot::symbolize
