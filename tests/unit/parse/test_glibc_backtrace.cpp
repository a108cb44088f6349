// SPDX-License-Identifier: MIT
#include "parse_test_util.hpp"
#include <parse/document.hpp>
#include <parse/parser.hpp>
#include <parse/section.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace crashpilot;
using parse::Role;

namespace {

parse::Sections glibc(std::string_view text) { return parse::testing::run(parse::parse_glibc_backtrace, text); }

using crashpilot::parse::testing::read_fixture;

} // namespace

TEST(GlibcBacktraceParse, SymbolOffsetAndAddress) {
  auto out = glibc("./mangosd(_ZN4Unit6UpdateEjj+0x56f) [0x97689f]\n"
                   "/lib64/libpthread.so.0(+0x7a51) [0x7f8a6b442a51]\n"
                   "/lib64/libc.so.6(clone+0x6d) [0x7f8a6a4e593d]\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].format, "glibc-backtrace");
  EXPECT_EQ(out[0].role, Role::stack);
  EXPECT_EQ(out[0].crash.kind, model::Kind::unknown);
  EXPECT_EQ(out[0].first, 0u);
  EXPECT_EQ(out[0].last, 2u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].module, "./mangosd");
  EXPECT_EQ(f[0].function, "Unit::Update(unsigned int, unsigned int)");
  EXPECT_EQ(f[0].offset, 0x56fu);
  EXPECT_EQ(f[0].address, 0x97689fu);
  EXPECT_EQ(f[0].index, 0);
  EXPECT_EQ(f[1].function, "");
  EXPECT_EQ(f[1].module, "/lib64/libpthread.so.0");
  EXPECT_EQ(f[1].offset, 0x7a51u);
  EXPECT_EQ(f[2].function, "clone");
  EXPECT_EQ(f[2].index, 2);
  EXPECT_TRUE(out[0].crash.threads[0].crashing);
}

TEST(GlibcBacktraceParse, NoSpaceBeforeAddressAndModuleOnly) {
  auto out = glibc("MCServer_debug(_Z15PrintStackTracev+0x23)[0xa3f08f]\n"
                   "MCServer_debug(main+0x115)[0xa25a07]\n"
                   ".../MCServer/MCServer_debug[0x93775c]\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].function, "PrintStackTrace()");
  EXPECT_EQ(f[1].function, "main");
  EXPECT_EQ(f[2].module, ".../MCServer/MCServer_debug");
  EXPECT_EQ(f[2].function, "");
  EXPECT_FALSE(f[2].offset.has_value());
  EXPECT_EQ(f[2].address, 0x93775cu);
}

TEST(GlibcBacktraceParse, HeadersAndNumberedLines) {
  auto out = glibc("Obtained 3 stack frames.\n"
                   "#0 ./prog(_Z3foov+0x1d) [0x400a2d]\n"
                   "1: ./prog(main+0x9) [0x400a79]\n"
                   "[0x400b00]\n"
                   "done\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first, 0u);
  EXPECT_EQ(out[0].last, 3u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].function, "foo()");
  EXPECT_EQ(f[1].function, "main");
  EXPECT_EQ(f[2].address, 0x400b00u);
}

TEST(GlibcBacktraceParse, OneLineNeedsAHeader) {
  EXPECT_TRUE(glibc("./prog(main+0x9) [0x400a79]\n").empty());
  auto out = glibc("Stack Trace:\n./prog(main+0x9) [0x400a79]\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.crashing_frames().size(), 1u);
}

TEST(GlibcBacktraceParse, DemangledSymbolWithParens) {
  auto out = glibc("./worldserver(Unit::Update(unsigned int)+0x56f) [0x97689f]\n"
                   "./worldserver(operator+(A, B)+0x10) [0x97689a]\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].function, "Unit::Update(unsigned int)");
  EXPECT_EQ(f[0].module, "./worldserver");
  EXPECT_EQ(f[1].function, "operator+(A, B)");
  EXPECT_EQ(f[1].offset, 0x10u);
}

TEST(GlibcBacktraceParse, OtherStackFormatsAreNotGlibc) {
  // ACE's Windows stack, gdb frames, sanitizer frames, log lines with brackets.
  EXPECT_TRUE(glibc("ACE_Thread_Adapter::invoke_i()+0x88 [0x0]\n"
                    "crt_at_quick_exit()+0x7d [0x6be5d]\n"
                    "[0x333208]\n"
                    "[0x333209]\n"
                    "#0  0x0000000000a1b2c3 in f () at a.c:1\n"
                    "    #0 0x53f40a in main /a.c:4 (prog+0x53f40a)\n"
                    "Player loaded (guid 5) [0x1]\n"
                    "Player loaded (guid 5) [0x1]\n")
                  .empty());
}

TEST(GlibcBacktraceParse, TwoBlocksAreTwoStacks) {
  auto out = glibc(
      "./a(f+0x1) [0x1]\n./a(g+0x1) [0x2]\n\nsomething else\n./a(h+0x1) [0x3]\n./a(i+0x1) [0x4]\n");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].crash.crashing_frames()[0].function, "h");
}

TEST(GlibcBacktraceParse, GlibcHeapErrorReport) {
  auto out = glibc(
      "*** Error in `./worldserver': double free or corruption (fasttop): 0x0000000001c3c010 ***\n"
      "======= Backtrace: =========\n"
      "/lib64/libc.so.6(+0x7c619)[0x7f3b1c2d5619]\n"
      "./worldserver(_ZN6Player6UpdateEj+0x20)[0x400b2d]\n"
      "======= Memory map: ========\n"
      "00400000-00401000 r-xp 00000000 08:01 123 /tmp/a.out\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].role, Role::report);
  EXPECT_EQ(out[0].first, 0u);
  EXPECT_EQ(out[0].last, 3u);
  EXPECT_EQ(out[0].crash.kind, model::Kind::abort);
  EXPECT_EQ(out[0].crash.exception_code, "SIGABRT");
  EXPECT_EQ(out[0].crash.error_message, "double free or corruption (fasttop): 0x0000000001c3c010");
  EXPECT_EQ(out[0].crash.crashing_frames()[1].function, "Player::Update(unsigned int)");
}

TEST(GlibcBacktraceParse, TotalOnGarbage) {
  EXPECT_TRUE(glibc("").empty());
  EXPECT_TRUE(glibc("]").empty());
  EXPECT_TRUE(glibc("[]\n[]").empty());
  EXPECT_TRUE(glibc("a(+)[0x]\nb(+0x)[0x1]\n").empty());
  EXPECT_TRUE(glibc("(x) [0x1]\n(y) [0x2]\n").empty());
  std::string big(1 << 20, '(');
  big += "[0x1]\n";
  EXPECT_TRUE(glibc(big).empty());
  std::string many;
  for (int i = 0; i < 3000; ++i) {
    many += "./a(f+0x1) [0x1]\n";
  }
  auto out = glibc(many);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.crashing_frames().size(), 1024u);
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
}

TEST(GlibcBacktraceFixtures, CuberiteAssertBacktrace) {
  auto out = glibc(read_fixture("assertion/cuberite-2160-c-assert-backtrace-symbols.txt"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first, 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 12u);
  EXPECT_EQ(f[0].function, "PrintStackTrace()"); // the dumper itself: triage skips it
  EXPECT_EQ(
      f[1].function,
      "cFinishGenFluidSprings::cFinishGenFluidSprings(int, unsigned char, cIniFile&, eDimension)");
  EXPECT_EQ(f[1].module, ".../MCServer/MCServer_debug");
  EXPECT_EQ(f[10].module, "/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(f[11].function, "");

  auto r =
      parse::parse_text(read_fixture("assertion/cuberite-2160-c-assert-backtrace-symbols.txt"));
  ASSERT_EQ(r.crashes.size(), 1u);
  EXPECT_EQ(r.crashes[0].crashing_frames().size(), 12u);
}

TEST(GlibcBacktraceFixtures, VmangosAssertBacktrace) {
  auto out = glibc(read_fixture("assertion/vmangos-155-spline-initlengths-backtrace-symbols.txt"));
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 14u);
  EXPECT_EQ(f[0].function, "Movement::MoveSplineInit::Launch()");
  EXPECT_EQ(f[0].module, "./mangosd");
  EXPECT_EQ(f[0].offset, 0x38bu);
  EXPECT_EQ(f[4].function, "Unit::Update(unsigned int, unsigned int)");
  EXPECT_EQ(f[11].module, "/home/mangos/lib/libace.so");
  EXPECT_EQ(f[13].function, "clone");

  auto r = parse::parse_text(
      read_fixture("assertion/vmangos-155-spline-initlengths-backtrace-symbols.txt"));
  ASSERT_EQ(r.crashes.size(), 1u);
  EXPECT_EQ(r.crashes[0].crashing_frames().size(), 14u);
}
