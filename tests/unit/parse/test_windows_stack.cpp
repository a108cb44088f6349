// SPDX-License-Identifier: MIT
#include "parse_test_util.hpp"
#include <parse/document.hpp>
#include <parse/parser.hpp>
#include <parse/section.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace crashpilot::parse {
namespace {

const std::string k_crashes = std::string(CRASHPILOT_TEST_DATA) + "/crashes/";

using crashpilot::parse::testing::read_fixture;

parse::Sections windows_stack(std::string_view text) { return parse::testing::run(parse::parse_windows_stack, text); }

const std::vector<model::Frame>& frames(const Section& s) {
  return s.crash.crashing_frames();
}

TEST(WindowsStack, VisualStudioCallStackWindow) {
  constexpr std::string_view text =
      "The debugger shows:\n"
      ">\tworldserver.exe!Map::Update(unsigned int t_diff) Line 1061\tC++\n"
      " \tworldserver.exe!MapUpdateRequest::call() Line 47\tC++\n"
      " \t[Inline Frame] worldserver.exe!Foo::bar(const Player * p) Line 12\tC++\n"
      " \tworldserver.exe!Unit::Update(const unsigned int p_time=100, Player * who=0x00000000)"
      "  Line 404 + 0x1a bytes\tC++\n"
      " \t[External Code]\t\n"
      " \tntdll.dll!77a3cd6d() \t\n"
      " \t[Frames below may be incorrect and/or missing, no symbols loaded for ntdll.dll]\t\n"
      " \tkernel32.dll!BaseThreadInitThunk()  + 0x12 bytes\t\n"
      " \tntdll.dll!RtlUserThreadStart()\tUnknown\n";
  Sections out = windows_stack(text);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].format, "vs-callstack");
  EXPECT_EQ(out[0].role, Role::stack);
  EXPECT_EQ(out[0].first, 1u);
  EXPECT_EQ(out[0].last, 9u);
  EXPECT_EQ(out[0].crash.kind, model::Kind::unknown);
  const auto& f = frames(out[0]);
  ASSERT_EQ(f.size(), 7u);
  EXPECT_EQ(f[0].module, "worldserver.exe");
  EXPECT_EQ(f[0].function, "Map::Update(unsigned int t_diff)");
  EXPECT_EQ(f[0].line, 1061);
  EXPECT_EQ(f[0].file, "");
  EXPECT_EQ(f[1].function, "MapUpdateRequest::call()");
  EXPECT_TRUE(f[2].inlined);
  EXPECT_EQ(f[2].function, "Foo::bar(const Player * p)");
  // Parameter values move to `arguments`, types stay.
  EXPECT_EQ(f[3].function, "Unit::Update(const unsigned int p_time, Player * who)");
  EXPECT_EQ(f[3].arguments, "p_time=100, who=0x00000000");
  EXPECT_EQ(f[3].line, 404);
  EXPECT_EQ(f[3].offset, 0x1au);
  EXPECT_EQ(f[4].module, "ntdll.dll");
  EXPECT_EQ(f[4].function, "");
  EXPECT_EQ(f[4].address, 0x77a3cd6du);
  EXPECT_EQ(f[5].function, "BaseThreadInitThunk()");
  EXPECT_EQ(f[5].offset, 0x12u);
  EXPECT_EQ(f[6].function, "RtlUserThreadStart()");
  EXPECT_TRUE(out[0].crash.problems.empty());
  for (size_t i = 0; i < f.size(); ++i) {
    EXPECT_EQ(f[i].index, static_cast<int>(i));
  }
}

TEST(WindowsStack, VisualStudioWithoutLanguageColumn) {
  Sections out = windows_stack("worldserver.exe!Player::Update(unsigned int p_time) Line 1234\n"
                               "worldserver.exe!Map::Update(unsigned int t_diff) Line 56\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(frames(out[0])[1].function, "Map::Update(unsigned int t_diff)");
  EXPECT_EQ(frames(out[0])[1].line, 56);
  // The text ends on a frame that is not a thread's start: cut.
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
}

TEST(WindowsStack, WinDbgKn) {
  constexpr std::string_view text = R"(0:000> kn
 # Child-SP          RetAddr           Call Site
00 000000ab`12345678 00007ff6`1234abcd worldserver!Map::Update+0x10c [D:\path with space\Map.cpp @ 1061]
01 (Inline Function) --------`-------- worldserver!Map::VisitAll+0x5 [D:\path\Map.h @ 200]
02 000000ab`12345700 00007ff6`1234abce worldserver+0x1234
03 000000ab`12345800 00007ffd`1e6d8364 KERNEL32!BaseThreadInitThunk+0x14
04 000000ab`12345900 00000000`00000000 ntdll!RtlUserThreadStart+0x21
)";
  Sections out = windows_stack(text);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].format, "windbg");
  EXPECT_EQ(out[0].first, 1u);
  const auto& f = frames(out[0]);
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0].module, "worldserver");
  EXPECT_EQ(f[0].function, "Map::Update");
  EXPECT_EQ(f[0].offset, 0x10cu);
  EXPECT_EQ(f[0].file, R"(D:\path with space\Map.cpp)");
  EXPECT_EQ(f[0].line, 1061);
  EXPECT_TRUE(f[1].inlined);
  EXPECT_EQ(f[1].function, "Map::VisitAll");
  EXPECT_EQ(f[2].module, "worldserver");
  EXPECT_EQ(f[2].function, "");
  EXPECT_EQ(f[2].offset, 0x1234u);
  EXPECT_EQ(f[4].function, "RtlUserThreadStart");
  EXPECT_FALSE(out[0].crash.has_problem(model::problem::truncated));
}

TEST(WindowsStack, WinDbgX86KbAndKpAndStackText) {
  constexpr std::string_view text = R"(ChildEBP RetAddr  Args to Child
0012f8b4 7c90e4f4 00000000 00000001 00000002 ntdll!KiFastSystemCallRet
0012f8b8 7c8023ed 00000000 0012f8f0 0012f8f0 worldserver!Unit::Update(unsigned int p_time = 0x64)+0x1f [c:\src\unit.cpp @ 404]

STACK_TEXT:
00000000`0012f8b0 00000001`4001a2b3 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : worldserver!?Update@Map@@QEAAXI@Z+0x10c
00000000`0012f8c0 00000001`4001a2b4 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : worldserver!World::Update+0x20

)";
  Sections out = windows_stack(text);
  ASSERT_EQ(out.size(), 2u);
  const auto& a = frames(out[0]);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].module, "ntdll");
  EXPECT_EQ(a[0].function, "KiFastSystemCallRet");
  EXPECT_EQ(a[1].function, "Unit::Update(unsigned int p_time)");
  EXPECT_EQ(a[1].arguments, "p_time=0x64");
  EXPECT_EQ(a[1].offset, 0x1fu);
  EXPECT_EQ(a[1].line, 404);
  const auto& b = frames(out[1]);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].function, "Map::Update");
  EXPECT_EQ(b[1].function, "World::Update");
  EXPECT_EQ(b[1].offset, 0x20u);
}

TEST(WindowsStack, StackWalker) {
  constexpr std::string_view text = R"(d:\src\game\unit.cpp (404): Unit::Update
d:\src\game\map.cpp (1061): Map::Update
000000014005E8E9 (mangosd): (filename not available): ACE_Based::Thread::ThreadTask
7C90E4F4 (ntdll): (filename not available): (function-name not available)
)";
  Sections out = windows_stack(text);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].format, "stackwalker");
  const auto& f = frames(out[0]);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].function, "Unit::Update");
  EXPECT_EQ(f[0].file, R"(d:\src\game\unit.cpp)");
  EXPECT_EQ(f[0].line, 404);
  EXPECT_EQ(f[2].module, "mangosd");
  EXPECT_EQ(f[2].address, 0x14005E8E9u);
  EXPECT_EQ(f[2].function, "ACE_Based::Thread::ThreadTask");
  EXPECT_EQ(f[3].function, "");
  EXPECT_EQ(f[3].module, "ntdll");
  // One weak line alone is not a stack.
  EXPECT_TRUE(windows_stack("see d:\\src\\x.cpp (12): Foo\n").empty());
}

TEST(WindowsStack, AceStackTraceUnderOldTcAssert) {
  constexpr std::string_view text = R"(2012-12-11 18:35:05 ERROR: 
........\Core\src\server\shared\Database\MySQLConnection.cpp:198 in MySQLConnection::Execute ASSERTION FAILED:
  m_mStmt
Stack Trace:
Unit::Update() d:\src\unit.cpp: 404 + 0x0
[0x333208]
ACE_Thread_Adapter::invoke_i()+0x88 [0x0]
)";
  Sections out = windows_stack(text);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].format, "ace-stack-trace");
  EXPECT_EQ(out[0].role, Role::stack); // the assertion above owns the crash
  EXPECT_EQ(out[0].first, 3u);
  EXPECT_TRUE(out[0].crash.error_message.empty());
  const auto& f = frames(out[0]);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].function, "Unit::Update");
  EXPECT_EQ(f[0].file, R"(d:\src\unit.cpp)");
  EXPECT_EQ(f[0].line, 404);
  EXPECT_EQ(f[1].function, "");
  EXPECT_EQ(f[1].offset, 0x333208u);
  EXPECT_EQ(f[2].function, "ACE_Thread_Adapter::invoke_i");
  EXPECT_EQ(f[2].offset, 0x88u);
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
}

TEST(WindowsStack, VmangosLogStackIsANonFatalReport) {
  constexpr std::string_view text =
      "2020-03-06 09:50:30 [Crash/Auras] Deleting aura holder 122 in use (Creature (Entry: 3267)) "
      "Unit::Update()+0xde [0x9bd7e]\n"
      "2020-03-06 09:50:30 Creature::Update()+0x39a [0xd27da]\n"
      "std::_Func_impl<Foo,std::allocator<int> >::_Do_call()+0x1f [0x1234]\n"
      "RtlUserThreadStart()+0x21 [0x67091]\n"
      "\n"
      "2020-03-06 09:50:31 [Crash/Auras] Deleting aura holder 123 in use\n"
      "Unit::Update()+0xde [0x9bd7e]\n"
      "RtlUserThreadStart()+0x21 [0x67091]\n";
  Sections out = windows_stack(text);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].role, Role::report);
  EXPECT_EQ(out[0].crash.kind, model::Kind::unknown);
  EXPECT_EQ(out[0].crash.error_message,
            "[Crash/Auras] Deleting aura holder 122 in use (Creature (Entry: 3267))");
  ASSERT_EQ(frames(out[0]).size(), 4u);
  EXPECT_EQ(frames(out[0])[0].function, "Unit::Update");
  EXPECT_EQ(frames(out[0])[0].offset, 0xdeu);
  EXPECT_EQ(frames(out[0])[2].function, "std::_Func_impl<Foo,std::allocator<int> >::_Do_call");
  EXPECT_EQ(out[1].role, Role::report);
  EXPECT_EQ(out[1].first, 5u); // the message line above the stack
  EXPECT_EQ(out[1].crash.error_message, "[Crash/Auras] Deleting aura holder 123 in use");
  EXPECT_FALSE(out[1].crash.has_problem(model::problem::truncated));
}

TEST(WindowsStack, LeavesOtherFormatsAlone) {
  for (const char* dir : {"windows", "gdb", "sanitizer", "freeze"}) {
    for (const auto& e : std::filesystem::directory_iterator(k_crashes + dir)) {
      if (e.path().extension() != ".txt") {
        continue;
      }
      SCOPED_TRACE(e.path().string());
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      EXPECT_TRUE(windows_stack(ss.str()).empty());
    }
  }
  EXPECT_TRUE(windows_stack("./mangosd(_ZN4Unit6UpdateEjj+0x56f) [0x97689f]\n"
                            "/lib64/libc.so.6(clone+0x6d) [0x7f8a6a4e593d]\n")
                  .empty());
  EXPECT_TRUE(windows_stack("Hello! World\nWow!\n[0x1234]\n").empty());
}

TEST(WindowsStack, TotalOnHostileInput) {
  EXPECT_TRUE(windows_stack("").empty());
  EXPECT_TRUE(windows_stack("!").empty());
  EXPECT_TRUE(windows_stack("[0x]\n[0x\n()+0x [0x]\n a!b\n00 (Inline\n").empty());
  std::string junk;
  for (int i = 0; i < 4096; ++i) {
    junk += static_cast<char>((i * 7919) % 256);
  }
  (void)windows_stack(junk);
  (void)windows_stack(std::string(100000, '!') + "\n" + std::string(100000, '[') + "0x1]");
  (void)windows_stack("a.exe!" + std::string(100000, '(') + ") Line 1");
  std::string big;
  for (int i = 0; i < 10000; ++i) {
    big += "worldserver.exe!Recursive::call(int n) Line 7\tC++\n";
  }
  Sections out = windows_stack(big);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(frames(out[0]).size(), 1024u);
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
}

// ---- fixtures, through the whole parse stage ---------------------------------------------------

TEST(WindowsStackFixtures, VmangosAuraHolderLogStack) {
  Result r = parse_text(read_fixture("other/vmangos-388-aura-holder-in-use-log-stack.txt"));
  ASSERT_EQ(r.crashes.size(), 2u);
  const auto& f = r.crashes[0].crashing_frames();
  ASSERT_EQ(f.size(), 13u);
  EXPECT_EQ(f[0].function, "Unit::Update");
  EXPECT_EQ(f[0].offset, 0xdeu);
  EXPECT_EQ(f[7].function, "GetSpellRangeStore"); // the wrong nearest symbol, as printed
  EXPECT_EQ(f[12].function, "RtlUserThreadStart");
  EXPECT_EQ(r.crashes[1].error_message,
            "[Crash/Auras] Deleting aura holder 122 in use (Creature (Entry: 3267 Guid: 20387))");
  EXPECT_EQ(r.crashes[1].crashing_frames().size(), 13u);
  for (const auto& c : r.crashes) {
    EXPECT_FALSE(c.has_problem(model::problem::truncated));
  }
}

TEST(WindowsStackFixtures, AceStacksUnderAssertions) {
  {
    Result r = parse_text(read_fixture("assertion/skyfire406-766-mysqlconnection-execute-ace.txt"));
    ASSERT_GE(r.crashes.size(), 1u);
    const model::Crash& c = r.crashes[0];
    EXPECT_NE(std::find(c.formats.begin(), c.formats.end(), "ace-stack-trace"), c.formats.end());
    const auto& f = c.crashing_frames();
    ASSERT_EQ(f.size(), 9u);
    EXPECT_EQ(f[0].offset, 0x333208u);
    EXPECT_EQ(f[2].function, "ACE_Thread_Adapter::invoke_i");
    EXPECT_EQ(f[8].function, "RtlInitializeExceptionChain");
    EXPECT_FALSE(c.has_problem(model::problem::truncated));
  }
  {
    Result r =
        parse_text(read_fixture("assertion/vmangos-3036-movespline-computeposition-win.txt"));
    ASSERT_GE(r.crashes.size(), 1u);
    const auto& f = r.crashes[0].crashing_frames();
    ASSERT_EQ(f.size(), 19u);
    EXPECT_EQ(f[0].offset, 0x3f326eu);
    EXPECT_EQ(f[16].function, "crt_at_quick_exit");
    EXPECT_EQ(f[16].offset, 0x7du);
    EXPECT_EQ(f[18].function, "RtlUserThreadStart");
  }
}

} // namespace
} // namespace crashpilot::parse
