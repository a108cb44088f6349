// SPDX-License-Identifier: MIT
#include "parse_test_util.hpp"
#include <parse/document.hpp>
#include <parse/parser.hpp>
#include <parse/section.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

using namespace crashpilot;
using parse::Role;

namespace {

parse::Sections sanitize(std::string_view text) { return parse::testing::run(parse::parse_sanitizer, text); }

using crashpilot::parse::testing::read_fixture;

// The crash of parse_text() that holds a section of `format`.
const model::Crash* crash_with(const parse::Result& r, std::string_view format) {
  for (const auto& c : r.crashes) {
    if (std::find(c.formats.begin(), c.formats.end(), format) != c.formats.end()) {
      return &c;
    }
  }
  return nullptr;
}

const model::Thread* thread_with_role(const model::Crash& c, std::string_view role) {
  for (const auto& t : c.threads) {
    if (t.role == role) {
      return &t;
    }
  }
  return nullptr;
}

} // namespace

TEST(SanitizerParse, AsanSymbolizedFramesAndHeapHistory) {
  auto s = sanitize(
      "=================================================================\n"
      "==14087==ERROR: AddressSanitizer: heap-use-after-free on address 0x61c00000f880 at pc "
      "0x00000053f40b bp 0x7f5d1fafee20 sp 0x7f5d1fafee10\n"
      "READ of size 8 at 0x61c00000f880 thread T1\n"
      "    #0 0x53f40a in MmsServer_waitReady /home/f/src/mms_server.c:482:13\n"
      "    #1 0x7f5d22ce86b9 in start_thread (/lib/x86_64-linux-gnu/libpthread.so.0+0x76b9)\n"
      "    #2 0x5ac20e  (/home/f/build/alive+0x5ac20e) (BuildId: 0123abcd)\n"
      "\n"
      "0x61c00000f880 is located 0 bytes inside of 1760-byte region "
      "[0x61c00000f880,0x61c00000ff60)\n"
      "freed by thread T0 here:\n"
      "    #0 0x4aaa0a in __interceptor_free (/home/f/server+0x4aaa0a)\n"
      "    #1 0x5d9576 in Memory_free /home/f/hal/lib_memory.c:82\n"
      "\n"
      "previously allocated by thread T0 here:\n"
      "    #0 0x4aad5a in operator new(unsigned long) (/home/f/server+0x4aad5a)\n"
      "\n"
      "Thread T1 (worker) created by T0 here:\n"
      "    #0 0x4a0000 in pthread_create (/home/f/server+0x4a0000)\n"
      "\n"
      "SUMMARY: AddressSanitizer: heap-use-after-free /home/f/src/mms_server.c:482 in "
      "MmsServer_waitReady\n"
      "Shadow bytes around the buggy address:\n"
      "  0x0c387fff9ec0: fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa\n"
      "=>0x0c387fff9f10:[fd]fd fd fd fd fd fd fd fd fd fd fd fd fd fd fd\n"
      "Shadow byte legend (one shadow byte represents 8 application bytes):\n"
      "  Addressable:           00\n"
      "  Freed heap region:       fd\n"
      "==14087==ABORTING\n"
      "I think this happens at shutdown.\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].format, "asan");
  EXPECT_EQ(s[0].role, Role::report);
  EXPECT_EQ(s[0].first, 0u); // the "=====" rule
  EXPECT_EQ(s[0].last, 25u); // ABORTING, not the prose after it
  const auto& c = s[0].crash;
  EXPECT_EQ(c.kind, model::Kind::sanitizer);
  EXPECT_EQ(c.exception_code, "heap-use-after-free");
  EXPECT_EQ(c.fault_address, 0x61c00000f880u);
  EXPECT_EQ(c.error_message, "READ of size 8 at 0x61c00000f880 thread T1");
  EXPECT_TRUE(c.problems.empty());
  ASSERT_EQ(c.threads.size(), 4u);
  const auto& t = c.threads[0];
  EXPECT_TRUE(t.crashing);
  EXPECT_EQ(t.id, "T1");
  EXPECT_EQ(t.role, "");
  ASSERT_EQ(t.frames.size(), 3u);
  EXPECT_EQ(t.frames[0].address, 0x53f40au);
  EXPECT_EQ(t.frames[0].function, "MmsServer_waitReady");
  EXPECT_EQ(t.frames[0].file, "/home/f/src/mms_server.c");
  EXPECT_EQ(t.frames[0].line, 482);
  EXPECT_EQ(t.frames[0].column, 13);
  EXPECT_EQ(t.frames[1].function, "start_thread");
  EXPECT_EQ(t.frames[1].module, "/lib/x86_64-linux-gnu/libpthread.so.0");
  EXPECT_EQ(t.frames[1].offset, 0x76b9u);
  EXPECT_EQ(t.frames[2].function, "");
  EXPECT_EQ(t.frames[2].module, "/home/f/build/alive");
  EXPECT_EQ(t.frames[2].offset, 0x5ac20eu);
  EXPECT_EQ(c.threads[1].role, "freed");
  EXPECT_EQ(c.threads[1].id, "T0");
  EXPECT_EQ(c.threads[1].frames[1].function, "Memory_free");
  EXPECT_EQ(c.threads[1].frames[1].line, 82);
  EXPECT_EQ(c.threads[2].role, "allocated");
  EXPECT_EQ(c.threads[2].frames[0].function, "operator new(unsigned long)");
  EXPECT_EQ(c.threads[3].role, "created");
  EXPECT_EQ(c.threads[3].id, "T1");
  EXPECT_EQ(c.threads[3].name, "worker");
}

TEST(SanitizerParse, AsanDeadlySignalUnsymbolized) {
  auto s = sanitize("AddressSanitizer:DEADLYSIGNAL\n"
                    "AddressSanitizer:DEADLYSIGNAL\n"
                    "=================================================================\n"
                    "==7748==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000 (pc "
                    "0x0000005ac20f bp 0x7fffb4762250 sp 0x7fffb4761e40 T0)\n"
                    "==7748==The signal is caused by a WRITE memory access.\n"
                    "==7748==Hint: address points to the zero page.\n"
                    "    #0 0x5ac20e  (/home/r/alive+0x5ac20e)\n"
                    "    #1 0x7fd93e05ab96  (/lib/x86_64-linux-gnu/libc.so.6+0x21b96)\n"
                    "\n"
                    "AddressSanitizer can not provide additional info.\n"
                    "SUMMARY: AddressSanitizer: SEGV (/home/r/alive+0x5ac20e) \n"
                    "==7748==ABORTING\n");
  ASSERT_EQ(s.size(), 1u);
  const auto& c = s[0].crash;
  EXPECT_EQ(s[0].first, 0u);
  EXPECT_EQ(s[0].last, 11u);
  EXPECT_EQ(c.exception_code, "SEGV");
  EXPECT_EQ(c.exception_name, "Segmentation fault");
  EXPECT_EQ(c.signal, 11);
  EXPECT_EQ(c.fault_address, 0u);
  EXPECT_EQ(
      c.error_message,
      "The signal is caused by a WRITE memory access. Hint: address points to the zero page.");
  ASSERT_EQ(c.threads.size(), 1u);
  EXPECT_EQ(c.threads[0].id, "T0");
  ASSERT_EQ(c.threads[0].frames.size(), 2u);
  EXPECT_EQ(c.threads[0].frames[0].address, 0x5ac20eu);
  EXPECT_EQ(c.threads[0].frames[0].module, "/home/r/alive");
  EXPECT_TRUE(c.problems.empty());
}

TEST(SanitizerParse, OldAsanSigsegvAndMangledNames) {
  auto s = sanitize(
      "ASAN:SIGSEGV\n"
      "=================================================================\n"
      "==4242==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000018 (pc 0x4f8c3b "
      "sp 0x7ffc bp 0x7ffc T0)\n"
      "    #0 0x4f8c3a in Unit::GetMap() /src/Unit.cpp:10\n"
      "    #1 0x4f8c3b in _ZN4Unit6UpdateEj (/srv/worldserver+0x4f8c3b)\n"
      "AddressSanitizer can not provide additional info.\n"
      "SUMMARY: AddressSanitizer: SEGV /src/Unit.cpp:10 Unit::GetMap()\n"
      "==4242==ABORTING\n");
  ASSERT_EQ(s.size(), 1u);
  const auto& c = s[0].crash;
  EXPECT_EQ(c.exception_code, "SEGV");
  EXPECT_EQ(c.fault_address, 0x18u);
  ASSERT_EQ(c.threads.size(), 1u);
  EXPECT_EQ(c.threads[0].frames[1].function, "Unit::Update(unsigned int)");
  EXPECT_TRUE(c.problems.empty());
}

TEST(SanitizerParse, DeadlySignalWithoutErrorLineIsTruncated) {
  auto s = sanitize("ASAN:SIGSEGV\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].crash.kind, model::Kind::sanitizer);
  EXPECT_EQ(s[0].crash.exception_code, "SEGV");
  EXPECT_TRUE(s[0].crash.has_problem(model::problem::truncated));
}

TEST(SanitizerParse, SummaryNamesTheCanonicalType) {
  auto s = sanitize(
      "==1==ERROR: AddressSanitizer: attempting double-free on 0x602000000010 in thread T2:\n"
      "    #0 0x7f in operator delete(void*) (/usr/lib/libasan.so.5+0xf1234)\n"
      "    #1 0x55 in Player::~Player() /src/Player.cpp:100:5\n"
      "SUMMARY: AddressSanitizer: double-free (/usr/lib/libasan.so.5+0xf1234) in operator "
      "delete(void*)\n"
      "==1==ABORTING\n");
  ASSERT_EQ(s.size(), 1u);
  const auto& c = s[0].crash;
  EXPECT_EQ(c.exception_code, "double-free");
  EXPECT_EQ(c.fault_address, 0x602000000010u);
  EXPECT_EQ(c.error_message, "attempting double-free on 0x602000000010 in thread T2");
  EXPECT_EQ(c.threads[0].id, "T2");
  EXPECT_EQ(c.threads[0].frames[1].function, "Player::~Player()");
}

TEST(SanitizerParse, InlinedFramesShareTheCallersPc) {
  auto s = sanitize(
      "==7==ERROR: AddressSanitizer: heap-use-after-free on address 0x6170 at pc 0x562a bp 0x1 sp "
      "0x2\n"
      "READ of size 4 at 0x6170 thread T0\n"
      "    #0 0x562abdf6b8e9 in TThing::inRoom() const code/misc/thing.cc:196\n"
      "    #1 0x562abdf6b8e9 in TThing::sameRoom(TThing const&) const code/misc/thing.cc:51\n"
      "    #2 0x562abd03ac74 in operator() code/sys/process.cc:221\n");
  ASSERT_EQ(s.size(), 1u);
  const auto& f = s[0].crash.threads[0].frames;
  ASSERT_EQ(f.size(), 3u);
  EXPECT_TRUE(f[0].inlined);
  EXPECT_FALSE(f[1].inlined);
  EXPECT_EQ(f[1].function, "TThing::sameRoom(TThing const&) const");
  EXPECT_EQ(f[2].function, "operator()");
  EXPECT_EQ(f[2].file, "code/sys/process.cc");
  // No SUMMARY: the report was cut.
  EXPECT_TRUE(s[0].crash.has_problem(model::problem::truncated));
}

TEST(SanitizerParse, MsvcAsanWindowsPathsAndInterleavedLines) {
  auto s = sanitize(
      "==9944==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x11e2f6c0043c at pc "
      "0x7ff6a8b11094 bp 0x00c6b2aff6f0 sp 0x00c6b2aff6f8\n"
      "READ of size 4 at 0x11e2f6c0043c thread T0\n"
      "    #0 0x7ff6a8b11093 in main C:\\Users\\John Doe\\source\\Srv\\main.cpp:9\n"
      "    #1 0x7ff6a8b2d468 in invoke_main D:\\a\\_work\\1\\s\\exe_common.inl:78\n"
      "'Srv.exe' (Win32): Loaded 'C:\\Windows\\System32\\kernel.appcore.dll'.\n"
      "    #2 0x7ffd1d607033 in BaseThreadInitThunk+0x13 "
      "(C:\\WINDOWS\\System32\\KERNEL32.DLL+0x180017033)\n"
      "\n"
      "0x11e2f6c0043c is located 0 bytes to the right of 60-byte region "
      "[0x11e2f6c00400,0x11e2f6c0043c)\n"
      "allocated by thread T0 here:\n"
      "    #0 0x7ff6a8b11052 in main C:\\Users\\John Doe\\source\\Srv\\main.cpp:7\n"
      "\n"
      "SUMMARY: AddressSanitizer: heap-buffer-overflow C:\\Users\\John "
      "Doe\\source\\Srv\\main.cpp:9 in main\n"
      "==9944==ABORTING\n");
  ASSERT_EQ(s.size(), 1u);
  const auto& c = s[0].crash;
  EXPECT_EQ(c.exception_code, "heap-buffer-overflow");
  ASSERT_EQ(c.threads.size(), 2u);
  const auto& f = c.threads[0].frames;
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].function, "main");
  EXPECT_EQ(f[0].file, "C:\\Users\\John Doe\\source\\Srv\\main.cpp");
  EXPECT_EQ(f[0].line, 9);
  EXPECT_EQ(f[1].function, "invoke_main");
  EXPECT_EQ(f[2].function, "BaseThreadInitThunk");
  EXPECT_EQ(f[2].module, "C:\\WINDOWS\\System32\\KERNEL32.DLL");
  EXPECT_EQ(f[2].offset, 0x180017033u);
  EXPECT_EQ(c.threads[1].role, "allocated");
  EXPECT_EQ(c.threads[1].frames[0].line, 7);
  EXPECT_TRUE(c.problems.empty());
}

TEST(SanitizerParse, WrapperPrefixOnTheReportLinesOnly) {
  // Too few prefixed lines for Document to strip them: the parser takes the prefix from its header.
  auto s = sanitize("Attaching to srv\n"
                    "db_1   | ready\n"
                    "random line one\nrandom line two\nrandom line three\nrandom line four\n"
                    "random line five\nrandom line six\nrandom line seven\nrandom line eight\n"
                    "srv_1  | ==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x6020 "
                    "at pc 0x55 bp 0x1 sp 0x2\n"
                    "srv_1  | WRITE of size 4 at 0x6020 thread T3 (map-upd)\n"
                    "srv_1  |     #0 0x55 in Map::Update(unsigned int) /src/Map.cpp:100:5\n"
                    "db_1   | checkpoint\n"
                    "srv_1  |     #1 0x57 in start_thread (/lib/libpthread.so.0+0x7fa3)\n"
                    "srv_1  | \n"
                    "srv_1  | SUMMARY: AddressSanitizer: heap-use-after-free /src/Map.cpp:100:5 in "
                    "Map::Update(unsigned int)\n"
                    "srv_1  | ==1==ABORTING\n");
  ASSERT_EQ(s.size(), 1u);
  const auto& c = s[0].crash;
  EXPECT_EQ(s[0].first, 10u);
  EXPECT_EQ(s[0].last, 17u);
  EXPECT_EQ(c.threads[0].id, "T3");
  EXPECT_EQ(c.threads[0].name, "map-upd");
  ASSERT_EQ(c.threads[0].frames.size(), 2u);
  EXPECT_EQ(c.threads[0].frames[1].function, "start_thread");
  EXPECT_TRUE(c.problems.empty());
}

TEST(SanitizerParse, LeakSanitizerFirstLeakIsTheCrashingStack) {
  auto s =
      sanitize("\n=================================================================\n"
               "==26475==ERROR: LeakSanitizer: detected memory leaks\n"
               "\n"
               "Direct leak of 7 byte(s) in 1 object(s) allocated from:\n"
               "    #0 0x4af01b in __interceptor_malloc /compiler-rt/asan_malloc_linux.cc:52:3\n"
               "    #1 0x4da26a in main memory-leak.c:4:7\n"
               "\n"
               "Indirect leak of 16 byte(s) in 1 object(s) allocated from:\n"
               "    #0 0x4af01b in operator new(unsigned long) (/tmp/a.out+0x4af01b)\n"
               "    #1 0x4da2aa in Foo::make() /tmp/foo.cpp:9\n"
               "\n"
               "SUMMARY: AddressSanitizer: 23 byte(s) leaked in 2 allocation(s).\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].format, "lsan");
  const auto& c = s[0].crash;
  EXPECT_EQ(c.exception_code, "detected memory leaks");
  EXPECT_EQ(c.error_message, "Direct leak of 7 byte(s) in 1 object(s)");
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_TRUE(c.threads[0].crashing);
  EXPECT_EQ(c.threads[0].frames[1].function, "main");
  EXPECT_EQ(c.threads[0].frames[1].file, "memory-leak.c");
  EXPECT_EQ(c.threads[1].role, "allocated");
  EXPECT_EQ(c.threads[1].name, "Indirect leak of 16 byte(s) in 1 object(s)");
  EXPECT_EQ(c.threads[1].frames[1].function, "Foo::make()");
  EXPECT_TRUE(c.problems.empty());
}

TEST(SanitizerParse, UbsanWithStackIsAReport) {
  auto s = sanitize(
      "Server started\n"
      "/src/game/Spell.cpp:1234:17: runtime error: member call on address 0x602000000010 which "
      "does not "
      "point to an object of type 'Unit'\n"
      "0x602000000010: note: object is of type 'GameObject'\n"
      " 00 00 00 00  30 8d 6f 00 00 00 00 00  00 00 00 00\n"
      "              ^~~~~~~~~~~~~~~~~~~~~~~\n"
      "              vptr for 'GameObject'\n"
      "    #0 0x55d1 in Spell::cast(bool) /src/game/Spell.cpp:1234:17\n"
      "    #1 0x55d3 in main (/srv/worldserver+0x55d3)\n"
      "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior /src/game/Spell.cpp:1234:17 in \n"
      "Player logged in\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].format, "ubsan");
  EXPECT_EQ(s[0].role, Role::report);
  EXPECT_EQ(s[0].first, 1u);
  EXPECT_EQ(s[0].last, 8u);
  const auto& c = s[0].crash;
  EXPECT_EQ(c.exception_code, "undefined-behavior");
  EXPECT_EQ(c.fault_address, 0x602000000010u);
  ASSERT_EQ(c.threads.size(), 1u);
  ASSERT_EQ(c.threads[0].frames.size(), 2u); // the stack replaces the site frame
  EXPECT_EQ(c.threads[0].frames[0].function, "Spell::cast(bool)");
  EXPECT_EQ(c.threads[0].frames[0].column, 17);
  EXPECT_TRUE(c.problems.empty());
}

TEST(SanitizerParse, UbsanLinesWithoutStackAreHeadersWithTheSite) {
  auto s =
      sanitize("src/a.cpp:3:5: runtime error: signed integer overflow: 2147483647 + 1 cannot be "
               "represented in type 'int'\n"
               "src/b.cpp:7:1: runtime error: load of null pointer of type 'int'\n");
  ASSERT_EQ(s.size(), 2u);
  for (const auto& sec : s) {
    EXPECT_EQ(sec.role, Role::header);
    EXPECT_EQ(sec.crash.exception_code, "undefined-behavior");
    EXPECT_TRUE(sec.crash.problems.empty());
    ASSERT_EQ(sec.crash.threads.size(), 1u);
    ASSERT_EQ(sec.crash.threads[0].frames.size(), 1u);
    EXPECT_EQ(sec.crash.threads[0].frames[0].function, "");
  }
  EXPECT_EQ(s[1].crash.threads[0].frames[0].file, "src/b.cpp");
  EXPECT_EQ(s[1].crash.threads[0].frames[0].line, 7);
  EXPECT_EQ(s[1].crash.threads[0].frames[0].column, 1);
  EXPECT_EQ(s[1].crash.error_message,
            "src/b.cpp:7:1: runtime error: load of null pointer of type 'int'");
}

TEST(SanitizerParse, TsanDataRaceRoles) {
  auto s = sanitize(
      "==================\n"
      "WARNING: ThreadSanitizer: data race (pid=9337)\n"
      "  Write of size 4 at 0x7fe3c3075190 by thread T1:\n"
      "    #0 foo1() /tmp/simple_stack2.cc:9:3 (exe+0x000000003c9a)\n"
      "    #1 bar1() /tmp/simple_stack2.cc:16 (exe+0x000000003ce4)\n"
      "\n"
      "  Previous read of size 4 at 0x7fe3c3075190 by main thread:\n"
      "    #0 foo2() /tmp/simple_stack2.cc:20 (exe+0x000000003d0c)\n"
      "\n"
      "  Location is global 'Global' of size 4 at 0x7fe3c3075190 (exe+0x000000010190)\n"
      "\n"
      "  Thread T1 (tid=9338, running) created by main thread at:\n"
      "    #0 pthread_create tsan_interceptors.cc:683 (exe+0x00000001106b)\n"
      "    #1 main /tmp/simple_stack2.cc:37 (exe+0x000000003d67) (BuildId: 1234abcd)\n"
      "\n"
      "SUMMARY: ThreadSanitizer: data race /tmp/simple_stack2.cc:9 in foo1()\n"
      "==================\n"
      "==================\n"
      "WARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) (pid=1)\n"
      "  Cycle in lock order graph: M1 (0x7b0c00000020) => M2 (0x7b0c00000048) => M1\n"
      "\n"
      "  Mutex M2 acquired here while holding mutex M1 in main thread:\n"
      "    #0 pthread_mutex_lock <null> (a.out+0x4a1b2)\n"
      "\n"
      "  Mutex M1 acquired here while holding mutex M2 in thread T1:\n"
      "    #0 pthread_mutex_lock <null> (a.out+0x4a1b2)\n"
      "\n"
      "SUMMARY: ThreadSanitizer: lock-order-inversion (potential deadlock) in pthread_mutex_lock\n"
      "==================\n"
      "ThreadSanitizer: reported 2 warnings\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].last, 16u);
  EXPECT_EQ(s[1].first, 17u);
  const auto& c = s[0].crash;
  EXPECT_EQ(s[0].format, "tsan");
  EXPECT_EQ(c.exception_code, "data race");
  EXPECT_EQ(c.fault_address, 0x7fe3c3075190u);
  EXPECT_EQ(c.error_message, "Write of size 4 at 0x7fe3c3075190 by thread T1");
  ASSERT_EQ(c.threads.size(), 3u);
  EXPECT_EQ(c.threads[0].id, "T1");
  EXPECT_FALSE(c.threads[0].frames[0].address.has_value());
  EXPECT_EQ(c.threads[0].frames[0].function, "foo1()");
  EXPECT_EQ(c.threads[0].frames[0].file, "/tmp/simple_stack2.cc");
  EXPECT_EQ(c.threads[0].frames[0].column, 3);
  EXPECT_EQ(c.threads[0].frames[0].module, "exe");
  EXPECT_EQ(c.threads[0].frames[0].offset, 0x3c9au);
  EXPECT_EQ(c.threads[1].role, "previous_access");
  EXPECT_EQ(c.threads[1].id, "main thread");
  EXPECT_EQ(c.threads[2].role, "created");
  EXPECT_EQ(c.threads[2].id, "T1");
  EXPECT_EQ(c.threads[2].frames[0].file, "tsan_interceptors.cc");
  EXPECT_EQ(c.threads[2].frames[1].line, 37);
  EXPECT_TRUE(c.problems.empty());

  const auto& d = s[1].crash;
  EXPECT_EQ(d.exception_code, "lock-order-inversion");
  ASSERT_EQ(d.threads.size(), 2u);
  EXPECT_TRUE(d.threads[0].crashing);
  EXPECT_EQ(d.threads[0].frames[0].function, "pthread_mutex_lock");
  EXPECT_EQ(d.threads[0].frames[0].file, "");
  EXPECT_EQ(d.threads[1].role, "locks");
  EXPECT_EQ(d.threads[1].id, "T1");
}

TEST(SanitizerParse, FixtureAlive2UbsanThenAsan) {
  auto text = read_fixture("sanitizer/alive2-7-ubsan-null-ref-then-asan-segv-unsymbolized.txt");
  auto s = sanitize(text);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].format, "ubsan");
  EXPECT_EQ(s[0].role, Role::header);
  EXPECT_EQ(s[0].crash.threads[0].frames[0].file, "/home/regehr/alive2/ir/function.h");
  EXPECT_EQ(s[0].crash.threads[0].frames[0].line, 64);
  EXPECT_EQ(s[1].format, "asan");
  EXPECT_EQ(s[1].role, Role::report);
  EXPECT_EQ(s[1].crash.exception_code, "SEGV");
  EXPECT_EQ(s[1].crash.threads[0].frames.size(), 4u);
  EXPECT_TRUE(s[1].crash.problems.empty());

  auto r = parse::parse_text(text);
  const model::Crash* c = crash_with(r, "asan");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, model::Kind::sanitizer);
  EXPECT_NE(std::find(c->formats.begin(), c->formats.end(), "ubsan"), c->formats.end());
}

TEST(SanitizerParse, FixtureLibiec61850CrossThreadUaf) {
  auto r = parse::parse_text(read_fixture("sanitizer/libiec61850-165-asan-uaf-cross-thread.txt"));
  const model::Crash* c = crash_with(r, "asan");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, model::Kind::sanitizer);
  EXPECT_EQ(c->exception_code, "heap-use-after-free");
  EXPECT_EQ(c->fault_address, 0x61c00000f880u);
  EXPECT_TRUE(c->has_problem(model::problem::truncated));
  const auto& f = c->crashing_frames();
  ASSERT_EQ(f.size(), 6u);
  EXPECT_EQ(f[0].function, "MmsServer_waitReady");
  EXPECT_EQ(f[0].file, "/home/fuzzer/libiec61850/src/mms/iso_mms/server/mms_server.c");
  EXPECT_EQ(f[0].line, 482);
  EXPECT_EQ(f[1].function, "IedServer_waitReady");
  EXPECT_EQ(c->crashing_thread()->id, "T1");
  const model::Thread* freed = thread_with_role(*c, "freed");
  ASSERT_NE(freed, nullptr);
  EXPECT_EQ(freed->id, "T0");
  ASSERT_EQ(freed->frames.size(), 2u);
  EXPECT_EQ(freed->frames[0].function, "__interceptor_free");
}

TEST(SanitizerParse, FixturePxcoreTsan) {
  auto r = parse::parse_text(read_fixture("sanitizer/pxcore-1066-tsan-heap-use-after-free.txt"));
  const model::Crash* c = crash_with(r, "tsan");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->exception_code, "heap-use-after-free");
  EXPECT_TRUE(c->has_problem(model::problem::truncated));
  const auto& f = c->crashing_frames();
  ASSERT_EQ(f.size(), 7u);
  EXPECT_EQ(f[0].function, "__tsan_atomic32_fetch_sub");
  EXPECT_EQ(f[0].module, "libtsan.so.0");
  EXPECT_EQ(f[1].function, "rtObject::Release()");
  EXPECT_EQ(f[1].file, "/home/sw/projects/pxscene/pxCore/src/rtObject.cpp");
  EXPECT_EQ(f[1].line, 312);
  EXPECT_EQ(c->crashing_thread()->id, "main thread");
}

TEST(SanitizerParse, FixtureRealmStackUseAfterScope) {
  auto r = parse::parse_text(
      read_fixture("sanitizer/realm-core-2870-asan-stack-use-after-scope-unsymbolized.txt"));
  const model::Crash* c = crash_with(r, "asan");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->exception_code, "stack-use-after-scope");
  EXPECT_TRUE(c->has_problem(model::problem::truncated));
  // The frame in "is located in stack of thread T0 ... in frame" is not a thread.
  ASSERT_EQ(c->threads.size(), 1u);
  const auto& f = c->crashing_frames();
  ASSERT_EQ(f.size(), 10u);
  EXPECT_EQ(f[0].address, 0x7d61dcu);
  EXPECT_EQ(f[0].module, "/tmp/build/test/realm-tests");
  EXPECT_EQ(f[9].offset, 0x4aef18u);
}

TEST(SanitizerParse, FixtureSneezymud) {
  auto r = parse::parse_text(read_fixture("sanitizer/sneezymud-415-asan-uaf-butcher-with-log.txt"));
  const model::Crash* c = crash_with(r, "asan");
  ASSERT_NE(c, nullptr);
  const auto& f = c->crashing_frames();
  ASSERT_GE(f.size(), 3u);
  EXPECT_EQ(f[0].function, "TThing::inRoom() const");
  EXPECT_EQ(f[0].file, "code/misc/thing.cc");
  EXPECT_EQ(f[0].line, 196);
  EXPECT_TRUE(f[0].inlined);
  EXPECT_EQ(f[2].function, "task_butchering(TBeing*, cmdTypeT, char const*, int, TRoom*, TObj*)");

  auto r2 =
      parse::parse_text(read_fixture("sanitizer/sneezymud-419-asan-uaf-troom-operator-plus.txt"));
  const model::Crash* c2 = crash_with(r2, "asan");
  ASSERT_NE(c2, nullptr);
  const auto& f2 = c2->crashing_frames();
  ASSERT_GE(f2.size(), 2u);
  EXPECT_EQ(f2[0].function, "std::__cxx11::list<TThing*, std::allocator<TThing*> >::begin()");
  EXPECT_EQ(f2[1].function, "TRoom::operator+=(TThing&)");
  EXPECT_EQ(f2[1].file, "code/misc/structs.cc");
  EXPECT_EQ(f2[1].line, 805);
}

TEST(SanitizerParse, TotalOnGarbage) {
  EXPECT_TRUE(sanitize("").empty());
  EXPECT_TRUE(sanitize("\n\n\n").empty());
  EXPECT_TRUE(sanitize("hello world\n").empty());
  EXPECT_TRUE(sanitize(std::string("\0\xff\xfe runtime error", 17)).empty());
  // Headers with (almost) nothing after them.
  EXPECT_EQ(sanitize("==1==ERROR: AddressSanitizer: x").size(), 1u);
  EXPECT_EQ(sanitize(": runtime error: x").size(), 1u);
  EXPECT_EQ(sanitize("WARNING: ThreadSanitizer: data race (pid=1)\n  Read of size").size(), 1u);
  // Frame lines that are nearly frames.
  auto s =
      sanitize("==1==ERROR: AddressSanitizer: SEGV on unknown address\n#\n#9999999999999 0x\n#1 (\n"
               "#2 0xzz in )(\n#3 in (+0x)\n#4 0x1 in f (m+0x)\n");
  ASSERT_EQ(s.size(), 1u);
  // A pathological line and a deep stack stay bounded.
  std::string huge =
      "==1==ERROR: AddressSanitizer: SEGV on unknown address 0x0 (pc 0x1 bp 0x2 sp 0x3 T0)\n";
  huge += "    #0 0x1 in " + std::string(10000, '(') + " " + std::string(10000, ')') + "\n";
  for (int k = 1; k < 3000; ++k) {
    huge += "    #" + std::to_string(k) + " 0x1 in f() /a.cc:1\n";
  }
  auto h = sanitize(huge);
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].crash.threads[0].frames.size(), 1024u);
  EXPECT_TRUE(h[0].crash.has_problem(model::problem::truncated));
  std::string lines;
  for (int k = 0; k < 10000; ++k) {
    lines += "src/a.cpp:1:1: runtime error: x\n";
  }
  EXPECT_EQ(sanitize(lines).size(), 10000u);
}

TEST(SanitizerParse, MemorySanitizerOrigin) {
  auto s = sanitize("==5712==WARNING: MemorySanitizer: use-of-uninitialized-value\n"
                    "    #0 0x4915c6 in Player::Update(unsigned int) /src/Player.cpp:40:7\n"
                    "    #1 0x7f3a in __libc_start_main (/lib/x86_64-linux-gnu/libc.so.6+0x21b96)\n"
                    "\n"
                    "  Uninitialized value was created by a heap allocation\n"
                    "    #0 0x43e2 in malloc (/srv/worldserver+0x43e2)\n"
                    "    #1 0x4914 in Player::Player() /src/Player.cpp:10:3\n"
                    "\n"
                    "SUMMARY: MemorySanitizer: use-of-uninitialized-value /src/Player.cpp:40:7 in "
                    "Player::Update(unsigned int)\n"
                    "Exiting\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].format, "msan");
  EXPECT_EQ(s[0].last, 8u);
  const auto& c = s[0].crash;
  EXPECT_EQ(c.exception_code, "use-of-uninitialized-value");
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_EQ(c.threads[0].frames[0].function, "Player::Update(unsigned int)");
  EXPECT_EQ(c.threads[1].role, "allocated");
  EXPECT_EQ(c.threads[1].frames[1].function, "Player::Player()");
  EXPECT_TRUE(c.problems.empty());
}
