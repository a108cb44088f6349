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

parse::Sections gdb(std::string_view text) { return parse::testing::run(parse::parse_gdb, text); }

using crashpilot::parse::testing::read_fixture;

const model::Frame& frame0(const parse::Section& s) {
  return s.crash.crashing_frames().at(0);
}

} // namespace

// ---- frame grammar --------------------------------------------------------------------------

TEST(GdbParse, FrameWithAddressArgumentsAndLocation) {
  auto out =
      gdb("#0  0x0000555555ffdaa1 in DBCStorage<MapEntry>::LookupEntry (this=<optimized out>, "
          "id=4294967295) at /home/u/src/server/shared/DataStores/DBCStore.h:69\n"
          "#1  0x00007f90f51a3e45 in start_thread () from /lib64/libpthread.so.0\n"
          "#2  0x00007f90f472c4af in clone () from /lib64/libc.so.6\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].format, "gdb");
  EXPECT_EQ(out[0].role, Role::stack);
  EXPECT_EQ(out[0].crash.kind, model::Kind::unknown);
  const auto& frames = out[0].crash.crashing_frames();
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].address, 0x555555ffdaa1u);
  EXPECT_EQ(frames[0].function, "DBCStorage<MapEntry>::LookupEntry");
  EXPECT_EQ(frames[0].arguments, "this=<optimized out>, id=4294967295");
  EXPECT_EQ(frames[0].file, "/home/u/src/server/shared/DataStores/DBCStore.h");
  EXPECT_EQ(frames[0].line, 69);
  EXPECT_EQ(frames[1].function, "start_thread");
  EXPECT_EQ(frames[1].module, "/lib64/libpthread.so.0");
  EXPECT_EQ(frames[1].arguments, "");
  EXPECT_EQ(frames[2].index, 2);
  EXPECT_TRUE(out[0].crash.problems.empty()); // ends in clone(): complete
}

TEST(GdbParse, NoDebugInfoKeepsParameterTypesInFunction) {
  auto out =
      gdb("#0  0x0000000000588d31 in PlayerbotAI::TellMaster(std::__cxx11::basic_string<char, "
          "std::char_traits<char>, std::allocator<char> >, PlayerbotSecurityLevel) ()\n"
          "#1  0x0000000000aef325 in ?? ()\n"
          "#2  0x00007f90f48db884 in ?? () from /usr/lib64/libstdc++.so.6\n"
          "#3  0x0000000000b5cd8b in PlayerbotAI::Attack(Unit*) const ()\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].function,
            "PlayerbotAI::TellMaster(std::__cxx11::basic_string<char, "
            "std::char_traits<char>, std::allocator<char> >, PlayerbotSecurityLevel)");
  EXPECT_EQ(f[0].arguments, "");
  EXPECT_EQ(f[1].function, "??");
  EXPECT_EQ(f[2].function, "??");
  EXPECT_EQ(f[2].module, "/usr/lib64/libstdc++.so.6");
  EXPECT_EQ(f[3].function, "PlayerbotAI::Attack(Unit*) const");
}

TEST(GdbParse, ArgumentValuesWithParensQuotesAndSpecialValues) {
  auto out =
      gdb("#0  0x0000000000ffcdde in Trinity::Abort (file=0x11b9568 \"/src/Player.cpp (x)\", "
          "line=18840, "
          "function=0x11bc768 \"StopCastingCharm\") at /src/common/Debugging/Errors.cpp:155\n"
          "#1  0x0000000001440d59 in WorldSession::HandleAddIgnoreOpcode (this=<error reading "
          "variable: "
          "Cannot access memory at address 0xde610000d794>, recv_data=...) at "
          "/src/MiscHandler.cpp:711\n"
          "#2  0x0000555556aae9a0 in ai::ReactionEngine::Update (this=0x7ffef15d61e0, "
          "elapsed=elapsed@entry=106, reactionFound=@0x7fffe6abdaf0: false, cb=(void (*)(int)) "
          "0x4005) at "
          "/src/ReactionEngine.cpp:194\n"
          "#3  0x0000555557d8f971 in PlayerbotsMgr::Update (this=0x555557d8f970 "
          "<PlayerbotsMgr::instance()::instance>, c=40 '(') at /src/PlayerbotMgr.cpp:12\n"
          "#4  0x0000555557d8f972 in Foo::{lambda(int)#1}::operator()(int) const (__closure=0x1) "
          "at a.cpp:4\n"
          "#5  0x0000555557d8f973 in std::operator<< <std::char_traits<char> > (__out=..., __s=0x5 "
          "\"a\") at "
          "/usr/include/c++/12/ostream:611\n"
          "#6  0x0000555557d8f974 in (anonymous namespace)::Crash (message=0x0) at Errors.cpp:20\n"
          "#7  <signal handler called>\n"
          "#8  0x0000555557d8f975 in Foo::operator bool() const (this=0x1) at b.cpp:3\n"
          "#9  0x0000555557d8f976 in bar(int) [clone .cold] ()\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 10u);
  EXPECT_EQ(f[0].function, "Trinity::Abort");
  EXPECT_EQ(f[0].arguments,
            "file=0x11b9568 \"/src/Player.cpp (x)\", line=18840, function=0x11bc768 "
            "\"StopCastingCharm\"");
  EXPECT_EQ(f[0].line, 155);
  EXPECT_EQ(f[1].function, "WorldSession::HandleAddIgnoreOpcode");
  EXPECT_EQ(f[1].file, "/src/MiscHandler.cpp");
  EXPECT_EQ(f[2].function, "ai::ReactionEngine::Update");
  EXPECT_EQ(f[2].line, 194);
  EXPECT_EQ(f[3].function, "PlayerbotsMgr::Update");
  EXPECT_EQ(f[3].arguments, "this=0x555557d8f970 <PlayerbotsMgr::instance()::instance>, c=40 '('");
  EXPECT_EQ(f[4].function, "Foo::{lambda(int)#1}::operator()(int) const");
  EXPECT_EQ(f[5].function, "std::operator<< <std::char_traits<char> >");
  EXPECT_EQ(f[6].function, "(anonymous namespace)::Crash");
  EXPECT_EQ(f[7].function, "<signal handler called>");
  EXPECT_EQ(f[8].function, "Foo::operator bool() const");
  EXPECT_EQ(f[9].function, "bar(int) [clone .cold]");
  // Trinity::Abort on top: the deliberate crash of ABORT().
  EXPECT_EQ(out[0].crash.kind, model::Kind::abort);
}

TEST(GdbParse, InlinedFramesHaveNoAddress) {
  auto out = gdb("#0  0x0000555555ffdaa1 in A::f (this=0x1) at a.h:69\n"
                 "#1  B::g (this=0x1) at b.cpp:401\n"
                 "#2  0x0000555555ff6774 in C::h (this=0x2) at c.cpp:106\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_FALSE(f[0].inlined);
  EXPECT_TRUE(f[1].inlined);
  EXPECT_FALSE(f[1].address.has_value());
  EXPECT_FALSE(f[2].inlined);
}

TEST(GdbParse, MangledNameIsDemangled) {
  auto out =
      gdb("#0  0x00000000004005d0 in _ZN4Unit6UpdateEjj ()\n#1  0x00000000004005d1 in main ()\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(frame0(out[0]).function, "Unit::Update(unsigned int, unsigned int)");
}

// ---- bt full, thread lists ----------------------------------------------------------------------

TEST(GdbParse, BtFullLocalsAreNotFrames) {
  auto out = gdb(
      "(gdb) bt full\n"
      "#0  0x00007ffff66197bc in __lll_lock_wait () from /usr/lib/libpthread.so.0\n"
      "No symbol table info available.\n"
      "#1  ai::Engine::ProcessTriggers (this=this@entry=0x7ffef15d61e0) at /src/Engine.cpp:577\n"
      "        node = 0x8c52\n"
      "        fires = std::unordered_map with 0 elements\n"
      "        item = {\n"
      "          name = \"x\"\n"
      "        }\n"
      "#2  0x0000555556aadf57 in ai::ReactionEngine::FindReaction (this=0x1) at /src/R.cpp:47\n"
      "No locals.\n"
      "#3  0x00007f90f472c4af in clone () from /lib64/libc.so.6\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[1].function, "ai::Engine::ProcessTriggers");
  EXPECT_EQ(f[2].function, "ai::ReactionEngine::FindReaction");
  EXPECT_EQ(f[3].function, "clone");
}

TEST(GdbParse, ThreadApplyAllHeaderStyles) {
  auto out = gdb("Thread 3 (Thread 0x7fffe6abe6c0 (LWP 12686) \"mangosd\"):\n"
                 "#0  0x00007ffff7a91d61 in pthread_cond_wait () from /lib/libpthread.so.0\n"
                 "#1  0x00007ffff7a94ac3 in start_thread () from /lib/libpthread.so.0\n"
                 "\n"
                 "Thread 2 (Thread 0x7fff923ff700 (LWP 6513)):\n"
                 "#0  0x00007ffff7ae5fa5 in epoll_wait () from /lib/libc.so.6\n"
                 "\n"
                 "Thread 1 (LWP 123):\n"
                 "#0  0x00007ffff7ae5fa6 in nanosleep () from /lib/libc.so.6\n"
                 "#1  0x0000555555a1b2c3 in main (argc=1) at /src/Main.cpp:400\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  ASSERT_EQ(c.threads.size(), 3u);
  EXPECT_EQ(c.threads[0].id, "3");
  EXPECT_EQ(c.threads[0].name, "mangosd");
  EXPECT_EQ(c.threads[1].id, "2");
  EXPECT_EQ(c.threads[1].name, "");
  EXPECT_EQ(c.threads[2].id, "1");
  EXPECT_EQ(c.threads[2].frames.size(), 2u);
  // Nothing tells which thread crashed.
  for (const auto& t : c.threads) {
    EXPECT_FALSE(t.crashing);
  }
}

TEST(GdbParse, SignalHandlerFrameMarksCrashingThread) {
  auto out = gdb("Thread 2 (Thread 0x7fff923ff700 (LWP 6513)):\n"
                 "#0  0x00007ffff7ae5fa5 in epoll_wait () from /lib/libc.so.6\n"
                 "Thread 1 (Thread 0x7fff923ff800 (LWP 6512)):\n"
                 "#0  0x00007ffff7ae5fa5 in waitpid () from /lib/libc.so.6\n"
                 "#1  0x0000000000a1b2c3 in CrashHandler (sig=11) at /src/Main.cpp:40\n"
                 "#2  <signal handler called>\n"
                 "#3  0x0000000000a1b2c4 in Unit::Update (this=0x0) at /src/Unit.cpp:10\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_TRUE(c.threads[0].crashing);
  EXPECT_EQ(c.threads[0].id, "1");
  EXPECT_EQ(c.threads[1].id, "2");
}

TEST(GdbParse, InfoThreadsStarAndThreadListPickCrashingThread) {
  auto out = gdb(
      "(gdb) info threads\n"
      "  Id   Target Id                                  Frame \n"
      "  1    Thread 0x7ffff7fe8740 (LWP 30902) \"MCServer\" 0x00007ffff6a2a9b3 in select () from "
      "/lib64/libc.so.6\n"
      "* 2    Thread 0x7ffff6b51700 (LWP 30905) \"MCServer\" 0x0000000000a1b2c3 in cWorld::Tick "
      "(this=0x1) at /src/World.cpp:12\n"
      "(gdb) thread apply all bt\n"
      "\n"
      "Thread 2 (Thread 0x7ffff6b51700 (LWP 30905)):\n"
      "#0  0x0000000000a1b2c3 in cWorld::Tick (this=0x1) at /src/World.cpp:12\n"
      "#1  0x0000000000a1b2c4 in cWorld::Run (this=0x1) at /src/World.cpp:40\n"
      "\n"
      "Thread 1 (Thread 0x7ffff7fe8740 (LWP 30902)):\n"
      "#0  0x00007ffff6a2a9b3 in select () from /lib64/libc.so.6\n"
      "#1  0x0000000000a1b2c5 in main () at /src/main.cpp:3\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_TRUE(c.threads[0].crashing);
  EXPECT_EQ(c.threads[0].id, "2");
  EXPECT_EQ(c.threads[0].name, "MCServer");
  EXPECT_EQ(c.threads[0].frames.size(), 2u);
  EXPECT_EQ(c.threads[1].id, "1");
  EXPECT_FALSE(c.threads[1].crashing);
}

TEST(GdbParse, InfoThreadsRowsBecomeOtherThreadsWhenNoThreadList) {
  auto out = gdb(
      "Thread 2 \"MCServer\" received signal SIGSEGV, Segmentation fault.\n"
      "0x0000000000a1b2c3 in cWorld::Tick (this=0x0) at /src/World.cpp:12\n"
      "12\t  m_x->Tick();\n"
      "(gdb) bt\n"
      "#0  0x0000000000a1b2c3 in cWorld::Tick (this=0x0) at /src/World.cpp:12\n"
      "#1  0x0000000000a1b2c4 in cWorld::Run (this=0x0) at /src/World.cpp:40\n"
      "(gdb) info threads\n"
      "  Id   Target Id         Frame \n"
      "  1    Thread 0x7ffff7fe8740 (LWP 30902) \"MCServer\" 0x00007ffff6a2a9b3 in select () from "
      "/lib64/libc.so.6\n"
      "* 2    Thread 0x7ffff6b51700 (LWP 30905) \"MCServer\" 0x0000000000a1b2c3 in cWorld::Tick "
      "(this=0x0) at /src/World.cpp:12\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_EQ(c.threads[0].id, "2");
  EXPECT_EQ(c.threads[0].frames.size(), 2u);
  EXPECT_EQ(c.threads[1].id, "1");
  ASSERT_EQ(c.threads[1].frames.size(), 1u);
  EXPECT_EQ(c.threads[1].frames[0].function, "select");
}

// ---- banners and one picture per session
// ---------------------------------------------------------

TEST(GdbParse, LiveSessionIsOneSectionWithoutDuplicatedCrashingThread) {
  auto out = gdb(
      "[New Thread 0x7fffe6abe6c0 (LWP 12686)]\n"
      "\n"
      "Thread 10 \"worldserver\" received signal SIGSEGV, Segmentation fault.\n"
      "[Switching to Thread 0x7fffaa7ff6c0 (LWP 136591)]\n"
      "0x0000555555ffdaa1 in DBCStorage<MapEntry>::LookupEntry (this=<optimized out>, id=1) at "
      "/src/DBCStore.h:69\n"
      "69\t    T const* LookupEntry(uint32 id) const\n"
      "#0  0x0000555555ffdaa1 in DBCStorage<MapEntry>::LookupEntry (this=<optimized out>, id=1) at "
      "/src/DBCStore.h:69\n"
      "#1  0x0000555555ff6774 in FleeManager::calc (this=0x7) at /src/FleeManager.cpp:106\n"
      "#2  0x00007ffff7b26850 in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81\n"
      "#0  0x0000555555ffdaa1 in DBCStorage<MapEntry>::LookupEntry (this=<optimized out>, id=1) at "
      "/src/DBCStore.h:69\n"
      "No locals.\n"
      "#1  0x0000555555ff6774 in FleeManager::calc (this=0x7) at /src/FleeManager.cpp:106\n"
      "        y = <optimized out>\n"
      "#2  0x00007ffff7b26850 in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81\n"
      "\n"
      "Thread 10 (Thread 0x7fffaa7ff6c0 (LWP 136591) \"worldserver\"):\n"
      "#0  0x0000555555ffdaa1 in DBCStorage<MapEntry>::LookupEntry (this=<optimized out>, id=1) at "
      "/src/DBCStore.h:69\n"
      "\n"
      "Thread 1 (Thread 0x7ffff7a4b740 (LWP 136500) \"worldserver\"):\n"
      "#0  0x00007ffff7ae5fa5 in clock_nanosleep () from /lib/libc.so.6\n"
      "#1  0x0000555555a1b2c3 in main (argc=1) at /src/Main.cpp:400\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  EXPECT_EQ(out[0].role, Role::report);
  EXPECT_EQ(c.kind, model::Kind::signal);
  EXPECT_EQ(c.exception_code, "SIGSEGV");
  EXPECT_EQ(c.exception_name, "Segmentation fault");
  EXPECT_EQ(c.signal, 11);
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_TRUE(c.threads[0].crashing);
  EXPECT_EQ(c.threads[0].id, "10");
  EXPECT_EQ(c.threads[0].name, "worldserver");
  EXPECT_EQ(c.threads[0].frames.size(), 3u);
  EXPECT_EQ(c.threads[1].id, "1");
  EXPECT_TRUE(c.problems.empty());
  EXPECT_EQ(out[0].first, 2u); // the session starts at the banner, not at the noise before it
}

TEST(GdbParse, OlderBannerSigabrtIsAbort) {
  auto out = gdb("Program received signal SIGABRT, Aborted.\n"
                 "0x00007ffff7a42428 in raise () from /lib64/libc.so.6\n"
                 "(gdb) bt\n"
                 "#0  0x00007ffff7a42428 in raise () from /lib64/libc.so.6\n"
                 "#1  0x00007ffff7a4402a in abort () from /lib64/libc.so.6\n"
                 "#2  0x0000000000a1b2c3 in cChunk::Tick (this=0x1) at /src/Chunk.cpp:10\n"
                 "#3  0x0000000000a1b2c5 in main () at /src/main.cpp:3\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.kind, model::Kind::abort);
  EXPECT_EQ(out[0].crash.exception_code, "SIGABRT");
  EXPECT_EQ(out[0].crash.signal, 6);
  EXPECT_EQ(out[0].crash.crashing_frames().size(), 4u);
}

TEST(GdbParse, CoreFileBannerAndCurrentThread) {
  auto out =
      gdb("Core was generated by `./worldserver'.\n"
          "Program terminated with signal SIGSEGV, Segmentation fault.\n"
          "#0  0x0000000000a16974 in Player::StopCastingCharm (this=0x0) at /src/Player.cpp:18840\n"
          "18840\t    charm->RemoveAura();\n"
          "[Current thread is 1 (Thread 0x7f72582137c0 (LWP 12323))]\n"
          "(gdb) bt\n"
          "#0  0x0000000000a16974 in Player::StopCastingCharm (this=0x0) at /src/Player.cpp:18840\n"
          "#1  0x0000000000a16214 in Player::RemoveFromWorld (this=0x0) at /src/Player.cpp:2065\n"
          "#2  0x0000000000a16215 in main () at /src/main.cpp:3\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  EXPECT_EQ(c.kind, model::Kind::signal);
  ASSERT_EQ(c.threads.size(), 1u);
  EXPECT_EQ(c.threads[0].id, "1");
  EXPECT_EQ(c.crashing_frames().size(), 3u);
  EXPECT_EQ(c.crashing_frames()[1].function, "Player::RemoveFromWorld");
}

TEST(GdbParse, TerminatedWithSignalNumberOnly) {
  auto out = gdb("Program terminated with signal 11, Segmentation fault.\n"
                 "#0  0x0000000000a16974 in f () at a.c:1\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.exception_code, "SIGSEGV");
  EXPECT_EQ(out[0].crash.signal, 11);
}

TEST(GdbParse, CommunityCrashlogScript) {
  auto out =
      gdb("CRASHLOG BEGIN\n"
          "\n"
          "\tUsing the running image of child Thread 0x7fff95fff700 (LWP 22763).\n"
          "Program stopped at 0x555555cff912.\n"
          "It stopped with signal SIGSEGV, Segmentation fault.\n"
          "Type \"info stack\" or \"info registers\" for more information.\n"
          "\n"
          "BACKTRACE\n"
          "\n"
          "#0  0x0000555555cff912 in PlayerbotAI::Attack (this=0x1) at /src/ObjectGuid.h:90\n"
          "#1  0x0000555555cff913 in Player::Update (this=0x1) at /src/Player.cpp:5\n"
          "\n"
          "BACKTRACE FULL\n"
          "\n"
          "#0  0x0000555555cff912 in PlayerbotAI::Attack (this=0x1) at /src/ObjectGuid.h:90\n"
          "No locals.\n"
          "#1  0x0000555555cff913 in Player::Update (this=0x1) at /src/Player.cpp:5\n"
          "        x = 1\n"
          "\n"
          "THREADS\n"
          "\n"
          "  Id   Target Id         Frame \n"
          "* 10   Thread 0x7fff95fff700 (LWP 22763) \"mangosd\" 0x0000555555cff912 in "
          "PlayerbotAI::Attack (this=0x1) at /src/ObjectGuid.h:90\n"
          "  1    Thread 0x7ffff7a4b740 (LWP 22700) \"mangosd\" 0x00007ffff7ae5fa5 in nanosleep () "
          "from /lib/libc.so.6\n"
          "\n"
          "THREADS BACKTRACE\n"
          "\n"
          "Thread 10 (Thread 0x7fff95fff700 (LWP 22763)):\n"
          "#0  0x0000555555cff912 in PlayerbotAI::Attack (this=0x1) at /src/ObjectGuid.h:90\n"
          "No locals.\n"
          "#1  0x0000555555cff913 in Player::Update (this=0x1) at /src/Player.cpp:5\n"
          "\n"
          "Thread 1 (Thread 0x7ffff7a4b740 (LWP 22700)):\n"
          "#0  0x00007ffff7ae5fa5 in nanosleep () from /lib/libc.so.6\n"
          "#1  0x0000555555a1b2c3 in main (argc=1) at /src/Main.cpp:400\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  EXPECT_EQ(c.kind, model::Kind::signal);
  EXPECT_EQ(c.exception_code, "SIGSEGV");
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_EQ(c.threads[0].id, "10");
  EXPECT_EQ(c.threads[0].name, "mangosd");
  EXPECT_EQ(c.threads[0].frames.size(), 2u);
  EXPECT_EQ(c.threads[1].id, "1");
  EXPECT_TRUE(c.problems.empty());
}

TEST(GdbParse, TrinityCrashreportGdbMarkers) {
  auto out =
      gdb("--- DEBUG: --- START\n"
          "Starting program: /home/tc/bin/worldserver\n"
          "[Thread debugging using libthread_db enabled]\n"
          "TrinityCore rev. 1234 (Unix, Release)\n"
          "\n"
          "Thread 1 \"worldserver\" received signal SIGSEGV, Segmentation fault.\n"
          "0x0000000000ffcdde in Trinity::Assert (file=0x1 \"a\", line=1, function=0x2 \"f\", "
          "debugInfo=\"\", message=0x3 \"m\") at /src/common/Debugging/Errors.cpp:90\n"
          "90\t    Crash(formattedMessage.c_str());\n"
          "--- DEBUG: BACKTRACE FULL\n"
          "\n"
          "/src/server/game/Maps/Map.h:682 in getNGrid ASSERTION FAILED:\n"
          "  x < MAX_NUMBER_OF_GRIDS\n"
          "#0  0x0000000000ffcdde in Trinity::Assert (file=0x1 \"a\", line=1, function=0x2 \"f\", "
          "debugInfo=\"\", message=0x3 \"m\") at /src/common/Debugging/Errors.cpp:90\n"
          "        formattedMessage = \"x\"\n"
          "#1  0x0000000000a1b2c3 in Map::getNGrid (this=0x1, x=64, y=1) at /src/Map.h:682\n"
          "No locals.\n"
          "#2  0x0000000000a1b2c5 in main () at /src/main.cpp:3\n"
          "--- DEBUG: INFO REGISTERS\n"
          "rax            0x0                 0\n"
          "rip            0xffcdde            0xffcdde <Trinity::Assert(...)+30>\n"
          "--- DEBUG: CALLS (x/16i $pc)\n"
          "=> 0xffcdde <_ZN7Trinity6AssertEPKciS1_S1_S1_z+30>:\tmov    DWORD PTR ds:0x0,0x0\n"
          "   0xffcde9 <_ZN7Trinity6AssertEPKciS1_S1_S1_z+41>:\tnop\n"
          "--- DEBUG: THREAD APPLY ALL BACKTRACE\n"
          "\n"
          "Thread 2 (Thread 0x7f1 (LWP 12))\n"
          "#0  0x00007ffff7ae5fa5 in epoll_wait () from /lib/libc.so.6\n"
          "\n"
          "Thread 1 (Thread 0x7f0 (LWP 11)):\n"
          "#0  0x0000000000ffcdde in Trinity::Assert (file=0x1 \"a\", line=1, function=0x2 \"f\", "
          "debugInfo=\"\", message=0x3 \"m\") at /src/common/Debugging/Errors.cpp:90\n"
          "#1  0x0000000000a1b2c3 in Map::getNGrid (this=0x1, x=64, y=1) at /src/Map.h:682\n"
          "--- DEBUG: --- STOP\n"
          "Generated by crashreport.gdb script version 1.3\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  EXPECT_EQ(c.kind, model::Kind::assertion); // SIGSEGV raised by Trinity::Assert
  EXPECT_EQ(c.exception_code, "SIGSEGV");
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_EQ(c.threads[0].id, "1");
  ASSERT_EQ(c.threads[0].frames.size(), 3u);
  EXPECT_EQ(c.threads[0].frames[1].function, "Map::getNGrid");
  EXPECT_EQ(c.threads[1].id, "2");
  EXPECT_FALSE(c.assertion.has_value()); // the assertion text is the assertion parser's
  EXPECT_TRUE(c.problems.empty());
}

TEST(GdbParse, SecondBacktraceWithOtherFrameZeroIsAnotherCrash) {
  auto out = gdb("1st crash:\n"
                 "#0  0x0000000000b5cd8b in PlayerbotAI::Attack(Unit*) ()\n"
                 "#1  0x00007f90f472c4af in clone () from /lib64/libc.so.6\n"
                 "2nd crash:\n"
                 "#0  0x0000000000b5cd99 in Unit::Update(unsigned int) ()\n"
                 "#1  0x00007f90f472c4af in clone () from /lib64/libc.so.6\n");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(frame0(out[0]).function, "PlayerbotAI::Attack(Unit*)");
  EXPECT_EQ(frame0(out[1]).function, "Unit::Update(unsigned int)");
}

TEST(GdbParse, SecondBannerIsAnotherCrash) {
  auto out = gdb("Thread 2 \"a\" received signal SIGSEGV, Segmentation fault.\n"
                 "0x0000000000a1b2c3 in f (x=1) at a.c:1\n"
                 "#0  0x0000000000a1b2c3 in f (x=1) at a.c:1\n"
                 "#1  0x0000000000a1b2c5 in main () at a.c:9\n"
                 "\n"
                 "Thread 3 \"a\" received signal SIGBUS, Bus error.\n"
                 "0x0000000000a1b2d3 in g (x=1) at b.c:1\n");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].crash.exception_code, "SIGSEGV");
  EXPECT_EQ(out[1].crash.exception_code, "SIGBUS");
  EXPECT_EQ(out[1].crash.signal, 7);
  EXPECT_EQ(frame0(out[1]).function, "g");
}

TEST(GdbParse, BannerAfterAnotherBacktraceStartsTheNextCrash) {
  auto out = gdb("1st crash:\n"
                 "#0  0x0000000000b5cd8b in PlayerbotAI::Attack(Unit*) ()\n"
                 "#1  0x00007f90f472c4af in clone () from /lib64/libc.so.6\n"
                 "2nd crash:\n"
                 "Thread 3 \"a\" received signal SIGBUS, Bus error.\n"
                 "0x0000000000a1b2d3 in g (x=1) at b.c:1\n"
                 "#0  0x0000000000a1b2d3 in g (x=1) at b.c:1\n"
                 "#1  0x00007f90f472c4af in clone () from /lib64/libc.so.6\n");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].crash.kind, model::Kind::unknown);
  EXPECT_EQ(out[0].crash.exception_code, "");
  EXPECT_EQ(out[0].last, 2u);
  EXPECT_EQ(out[1].first, 4u);
  EXPECT_EQ(out[1].crash.exception_code, "SIGBUS");
  EXPECT_EQ(out[1].crash.threads[0].id, "3");
  EXPECT_EQ(frame0(out[1]).function, "g");
}

TEST(GdbParse, BannerPastedAfterItsBacktrace) {
  auto out = gdb("#0  0x0000000000a1b2d3 in g (x=1) at b.c:1\n"
                 "#1  0x00007f90f472c4af in clone () from /lib64/libc.so.6\n"
                 "\n"
                 "Program received signal SIGSEGV, Segmentation fault.\n"
                 "0x0000000000a1b2d3 in g (x=1) at b.c:1\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.exception_code, "SIGSEGV");
  EXPECT_EQ(out[0].crash.crashing_frames().size(), 2u);
}

TEST(GdbParse, HarmlessStopBeforeTheCrashIsDropped) {
  auto out = gdb("Thread 1 \"a\" received signal SIGPIPE, Broken pipe.\n"
                 "0x00007ffff7ae5fa5 in write () from /lib/libc.so.6\n"
                 "(gdb) c\n"
                 "Continuing.\n"
                 "Thread 4 \"a\" received signal SIGSEGV, Segmentation fault.\n"
                 "0x0000000000a1b2c3 in f (x=1) at a.c:1\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.exception_code, "SIGSEGV");
}

TEST(GdbParse, InterruptedHangIsNotASignalCrash) {
  auto out = gdb("Thread 1 \"w\" received signal SIGINT, Interrupt.\n"
                 "0x00007ffff7ae5fa5 in epoll_wait () from /lib/libc.so.6\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.kind, model::Kind::unknown);
  EXPECT_EQ(out[0].crash.exception_code, "SIGINT");
}

TEST(GdbParse, BannerWithoutStackIsHeader) {
  auto out = gdb("Program received signal SIGSEGV, Segmentation fault.\n(gdb) quit\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].role, Role::header);
  EXPECT_EQ(out[0].crash.kind, model::Kind::signal);
  EXPECT_TRUE(out[0].crash.threads.empty());
}

TEST(GdbParse, UserSwitchedThreadIsNotTheCrashingStack) {
  auto out = gdb("Thread 2 \"a\" received signal SIGSEGV, Segmentation fault.\n"
                 "0x0000000000a1b2c3 in f (x=1) at a.c:1\n"
                 "(gdb) bt\n"
                 "#0  0x0000000000a1b2c3 in f (x=1) at a.c:1\n"
                 "#1  0x0000000000a1b2c5 in main () at a.c:9\n"
                 "(gdb) thread 1\n"
                 "[Switching to thread 1 (Thread 0x7ffff7a4b740 (LWP 100))]\n"
                 "#0  0x00007ffff7ae5fa5 in epoll_wait () from /lib/libc.so.6\n"
                 "(gdb) bt\n"
                 "#0  0x00007ffff7ae5fa5 in epoll_wait () from /lib/libc.so.6\n"
                 "#1  0x0000000000a1b2c9 in Net::Run () at n.c:2\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  ASSERT_EQ(c.threads.size(), 2u);
  EXPECT_EQ(c.threads[0].id, "2");
  EXPECT_EQ(c.crashing_frames().at(0).function, "f");
  EXPECT_EQ(c.threads[1].id, "1");
  EXPECT_EQ(c.threads[1].frames.size(), 2u);
}

// ---- damaged pastes
// ---------------------------------------------------------------------------------

TEST(GdbParse, LostHashSignAndSourceLine) {
  auto out =
      gdb("Program terminated with signal SIGSEGV, Segmentation fault.\n"
          "0  0x0000000000ffcdde in Trinity::Abort (line=1) at /src/Errors.cpp:155\n"
          "155         Crash(formattedMessage.c_str());\n"
          "[Current thread is 1 (LWP 18656)]\n"
          "(gdb) bt\n"
          "0  0x0000000000ffcdde in Trinity::Abort (line=1) at /src/Errors.cpp:155\n"
          "1  0x0000000000a16974 in Player::StopCastingCharm (this=0x0) at /src/Player.cpp:18840\n"
          "2  boost::process::posix::search_path (filename=...) at /dep/search_path.hpp:37\n"
          "3  0x0000000000000000 in ?? ()\n"
          "5 players online\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[1].function, "Player::StopCastingCharm");
  EXPECT_EQ(f[2].function, "boost::process::posix::search_path");
  EXPECT_TRUE(f[2].inlined);
  EXPECT_EQ(f[3].function, "??");
  EXPECT_EQ(out[0].crash.threads[0].id, "1");
}

TEST(GdbParse, HashlessFrameNumberEqualToPreviousLineNumber) {
  auto out = gdb("0  0x0000000000feceda in f (c=...) at /usr/include/a.hpp:1\n"
                 "1  g (x=1) at /src/b.cpp:2\n"
                 "2  0x0000000000fecedb in main () at /src/c.cpp:3\n");
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].crash.crashing_frames().size(), 3u);
  EXPECT_EQ(out[0].crash.crashing_frames()[1].function, "g");
}

TEST(GdbParse, MarkdownEscapedAndQuoted) {
  auto out = gdb("> \\# 0  0xb78d6430 in __kernel_vsyscall ()\n"
                 "> \\#1  0xb7633b21 in raise () from /lib/libc.so.6\n"
                 "> \\#2  0x0804a1b2 in main () at main.cpp:10\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].function, "__kernel_vsyscall");
  EXPECT_EQ(f[1].module, "/lib/libc.so.6");
  EXPECT_EQ(out[0].crash.kind, model::Kind::abort); // raise() on top, no banner
}

TEST(GdbParse, WrappedFrameLinesAreJoined) {
  auto out =
      gdb("Thread 10 \"worldserver\" received signal SIGSEGV, Segmentation fault.\n"
          "0x0000555555ffdaa1 in DBCStorage<MapEntry>::LookupEntry (\n"
          "    this=<optimized out>,\n"
          "    id=4294967295)\n"
          "    at /home/u/DBCStore.h:69\n"
          "69          T const* LookupEntry(uint32 id) const;\n"
          "(gdb) bt\n"
          "#0  0x0000555555ffdaa1 in DBCStorage<MapEntry>::LookupEntry (this=<optimized out>,\n"
          "    id=4294967295) at /home/u/DBCStore.h:69\n"
          "#1  0x0000555555ff6774 in FleeManager::calc (this=0x7fffaa7fc578)\n"
          "    at /home/u/FleeManager.cpp:106\n"
          "#2  0x00007f90f472c4af in clone ()\n"
          "    from /lib64/libc.so.6\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].arguments, "this=<optimized out>, id=4294967295");
  EXPECT_EQ(f[0].line, 69);
  EXPECT_EQ(f[1].file, "/home/u/FleeManager.cpp");
  EXPECT_EQ(f[1].line, 106);
  EXPECT_EQ(f[2].module, "/lib64/libc.so.6");
}

TEST(GdbParse, WrappedStopFrameAloneGivesFrameZero) {
  auto out = gdb("Thread 10 \"worldserver\" received signal SIGSEGV, Segmentation fault.\n"
                 "0x0000555555ffdaa1 in DBCStorage<MapEntry>::LookupEntry (\n"
                 "    this=<optimized out>,\n"
                 "    id=4294967295)\n"
                 "    at /home/u/DBCStore.h:69\n"
                 "69          T const* LookupEntry(uint32 id) const;\n"
                 "Any user comment here.\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].function, "DBCStorage<MapEntry>::LookupEntry");
  EXPECT_EQ(f[0].line, 69);
}

TEST(GdbParse, HandTrimmedFrames) {
  auto out = gdb("Thread 9 \"mangosd\" received signal SIGSEGV, Segmentation fault.\n"
                 "0x0000633519049057 in ai::AttackAction::Execute(ai::Event&) ()\n"
                 "#0  ai::AttackAction::Execute(ai::Event&)\n"
                 "#1  ai::Engine::ListenAndExecute(ai::Action*, ai::Event&)\n"
                 "#2  ai::Engine::ExecuteAction(std::string const&, ai::Event&)\n"
                 "#3 is what I think matters\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].function, "ai::AttackAction::Execute(ai::Event&)");
  EXPECT_FALSE(f[0].address.has_value());
  EXPECT_EQ(f[2].function, "ai::Engine::ExecuteAction(std::string const&, ai::Event&)");
}

TEST(GdbParse, PagerLinesInsideBacktrace) {
  auto out =
      gdb("#0  0x0000000000a1b2c3 in f () at a.c:1\n"
          "---Type <return> to continue, or q <return> to quit---\n"
          "#1  0x0000000000a1b2c4 in g () at a.c:2\n"
          "--Type <RET> for more, q to quit, c to continue without paging--#2  0x0000000000a1b2c5 "
          "in main () at a.c:3\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[2].function, "main");
}

TEST(GdbParse, SanitizerFramesAreNotGdbFrames) {
  auto out =
      gdb("==14087==ERROR: AddressSanitizer: heap-use-after-free on address 0x61c00000f880\n"
          "READ of size 8 at 0x61c00000f880 thread T1\n"
          "    #0 0x53f40a in MmsServer_waitReady /home/f/mms_server.c:482\n"
          "    #1 0x4eeaa1 in Foo::bar(int) /home/f/ied_server.c:670:3\n"
          "    #4 0x7f5d22ce86b9 in start_thread (/lib/x86_64-linux-gnu/libpthread.so.0+0x76b9)\n"
          "    #5 0x7f5d222fb41c  (/lib/x86_64-linux-gnu/libc.so.6+0x10741c)\n"
          "WARNING: ThreadSanitizer: heap-use-after-free (pid=7812)\n"
          "    #0 __tsan_atomic32_fetch_sub <null> (libtsan.so.0+0x00000006571f)\n"
          "    #1 rtObject::Release() /home/sw/rtObject.cpp:312 (pxscene+0x0000006281ee)\n");
  EXPECT_TRUE(out.empty());
}

TEST(GdbParse, ProseIsNotGdb) {
  auto out = gdb("# Crash report\n"
                 "#1 issue: the server crashes\n"
                 "1  2  3\n"
                 "0x1234 is the address\n"
                 "Thread 5 started\n"
                 "#2 crash at startup\n"
                 "#3 report from user\n"
                 "#4 crash (see below)\n"
                 "BACKTRACE\n");
  EXPECT_TRUE(out.empty());
}

// ---- truncation
// ---------------------------------------------------------------------------------------

TEST(GdbParse, StackRunningToEndOfTextIsTruncated) {
  auto out =
      gdb("#0  0x0000000000a1b2c3 in f () at a.c:1\n#1  0x0000000000a1b2c4 in g () at a.c:2\n\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
}

TEST(GdbParse, StackFollowedByTextOrStoppedIsNotTruncated) {
  auto a = gdb("#0  0x0000000000a1b2c3 in f () at a.c:1\n#1  0x0000000000a1b2c4 in g () at a.c:2\n"
               "I hope this helps.\n");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_FALSE(a[0].crash.has_problem(model::problem::truncated));
  auto b = gdb("#0  0x0000000000a1b2c3 in f () at a.c:1\n#1  0x0000000000a1b2c4 in g () at a.c:2\n"
               "Backtrace stopped: Cannot access memory at address 0x8\n");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_FALSE(b[0].crash.has_problem(model::problem::truncated));
}

TEST(GdbParse, CutInsideArgumentListIsTruncated) {
  auto out = gdb("#0  0x0000000000a1b2c3 in f (this=0x1, x=<error reading");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(frame0(out[0]).function, "f");
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
}

TEST(GdbParse, BacktraceMarkerAtEndOfTextIsTruncated) {
  auto out = gdb("0x0000555555cff912 in PlayerbotAI::Attack (this=0x1) at /src/ObjectGuid.h:90\n"
                 "90\t        operator uint64() const { return m_guid; }\n"
                 "\n"
                 "CRASHLOG BEGIN\n"
                 "\n"
                 "Program stopped at 0x555555cff912.\n"
                 "It stopped with signal SIGSEGV, Segmentation fault.\n"
                 "\n"
                 "BACKTRACE\n"
                 "\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.kind, model::Kind::signal);
  EXPECT_EQ(frame0(out[0]).function, "PlayerbotAI::Attack");
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
}

// ---- totality
// -----------------------------------------------------------------------------------------

TEST(GdbParse, TotalOnGarbage) {
  EXPECT_TRUE(gdb("").empty());
  EXPECT_TRUE(gdb("#").empty());
  EXPECT_TRUE(gdb("#0").empty());
  EXPECT_TRUE(gdb("#0  ").empty());
  EXPECT_TRUE(gdb("0x").empty());
  EXPECT_TRUE(gdb("Thread 1 (").empty());
  std::string junk;
  for (int i = 0; i < 4096; ++i) {
    junk += static_cast<char>((i * 131 + 7) % 256);
  }
  (void)gdb(junk);
  // 10k continuation lines after an unclosed argument list, and a 1 MB line of parentheses.
  std::string wrapped = "#0  0x0000000000a1b2c3 in f (\n";
  for (int i = 0; i < 10000; ++i) {
    wrapped += "    x=(((\n";
  }
  auto w = gdb(wrapped);
  ASSERT_FALSE(w.empty());
  std::string parens = "#0  0x1 in f (" + std::string(1 << 20, '(') + "\n";
  (void)gdb(parens);
  std::string angles = "#0  0x1 in " + std::string(1 << 20, '<') + " ()\n";
  (void)gdb(angles);
}

TEST(GdbParse, FramesPerThreadAreCapped) {
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += "#" + std::to_string(i) + "  0x0000000000a1b2c3 in f () at a.c:1\n";
  }
  text += "Backtrace stopped: previous frame identical to this frame (corrupt stack?)\n";
  auto out = gdb(text);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.crashing_frames().size(), 1024u);
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
}

// ---- fixtures through the whole parse stage
// -------------------------------------------------------------

namespace {
const model::Crash& only_crash(const parse::Result& r) {
  EXPECT_EQ(r.crashes.size(), 1u);
  return r.crashes.at(0);
}
} // namespace

TEST(GdbFixtures, Ac2216CrashScript) {
  auto r = parse::parse_text(read_fixture("gdb/ac-2216-crashscript-handleaddignore.txt"));
  const auto& c = only_crash(r);
  EXPECT_EQ(c.kind, model::Kind::signal);
  EXPECT_EQ(c.exception_code, "SIGSEGV");
  const auto& f = c.crashing_frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].module, "/usr/lib/x86_64-linux-gnu/libstdc++.so.6");
  EXPECT_EQ(f[1].function, "WorldSession::HandleAddIgnoreOpcode");
  EXPECT_EQ(f[1].file, "/root/master2/src/server/game/Handlers/MiscHandler.cpp");
  EXPECT_EQ(f[1].line, 711);
}

TEST(GdbFixtures, Cmangos2261StopLineOnly) {
  auto r = parse::parse_text(read_fixture("gdb/cmangos-2261-crashlog-begin-playerbot-attack.txt"));
  const auto& c = only_crash(r);
  EXPECT_EQ(c.kind, model::Kind::signal);
  ASSERT_EQ(c.crashing_frames().size(), 1u);
  EXPECT_EQ(c.crashing_frames()[0].function, "PlayerbotAI::Attack");
  EXPECT_EQ(c.crashing_frames()[0].file, "/src/game/Entities/ObjectGuid.h");
  EXPECT_EQ(c.crashing_frames()[0].line, 90);
  EXPECT_TRUE(c.has_problem(model::problem::truncated));
}

TEST(GdbFixtures, Cmangos3310NoSymbols) {
  auto r = parse::parse_text(read_fixture("gdb/cmangos-3310-playerbot-attack-nosym.txt"));
  const auto& c = only_crash(r);
  const auto& f = c.crashing_frames();
  ASSERT_EQ(f.size(), 9u);
  EXPECT_EQ(f[0].function, "PlayerbotAI::Attack(Unit*)");
  EXPECT_EQ(f[4].function, "??");
  EXPECT_EQ(f[8].function, "clone");
  EXPECT_FALSE(c.has_problem(model::problem::truncated));
}

TEST(GdbFixtures, Cmangos3911ThreadBlock) {
  auto r = parse::parse_text(
      read_fixture("gdb/cmangos-3911-thread-apply-all-bt-full-playerbot-trigger.txt"));
  const auto& c = only_crash(r);
  ASSERT_GE(c.threads.size(), 1u);
  EXPECT_EQ(c.threads[0].id, "11");
  EXPECT_EQ(c.threads[0].name, "mangosd");
  const auto& f = c.crashing_frames();
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].function, "ai::TriggerNode::getTrigger");
  EXPECT_EQ(f[0].file, "/root/tbc/src/modules/PlayerBots/playerbot/strategy/Trigger.h");
  EXPECT_EQ(f[0].line, 83);
  EXPECT_EQ(f[3].function, "ai::ReactionEngine::Update");
  EXPECT_TRUE(c.has_problem(model::problem::truncated));
}

TEST(GdbFixtures, Cmangos4139BareFrames) {
  auto r = parse::parse_text(
      read_fixture("gdb/cmangos-4139-playerbot-attackaction-execute-bare-frames.txt"));
  const auto& c = only_crash(r);
  EXPECT_EQ(c.kind, model::Kind::signal);
  ASSERT_EQ(c.crashing_frames().size(), 3u);
  EXPECT_EQ(c.crashing_frames()[0].function, "ai::AttackAction::Execute(ai::Event&)");
  EXPECT_EQ(c.threads[0].id, "9");
}

TEST(GdbFixtures, Playerbots2608WrappedBtFull) {
  auto r =
      parse::parse_text(read_fixture("gdb/playerbots-2608-fleemanager-lookupentry-btfull.txt"));
  const auto& c = only_crash(r);
  EXPECT_EQ(c.kind, model::Kind::signal);
  EXPECT_EQ(c.signal, 11);
  const auto& f = c.crashing_frames();
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].function, "DBCStorage<MapEntry>::LookupEntry");
  EXPECT_EQ(f[0].line, 69);
  EXPECT_EQ(f[1].function, "WorldPosition::getMapEntry");
  EXPECT_TRUE(f[1].inlined);
  EXPECT_EQ(f[3].function, "FleeManager::calculatePossibleDestinations");
  EXPECT_EQ(f[3].line, 106);
}

TEST(GdbFixtures, ZhengTellMasterNoSymbols) {
  auto r = parse::parse_text(read_fixture("gdb/playerbots-zheng-35-tellmaster-nosym.txt"));
  const auto& c = only_crash(r);
  EXPECT_EQ(c.exception_code, "SIGSEGV");
  ASSERT_EQ(c.crashing_frames().size(), 4u);
  EXPECT_EQ(c.crashing_frames()[1].function, "PlayerbotHolder::OnBotLogin(Player*)");
}

TEST(GdbFixtures, Sunstrider911LostHash) {
  auto r = parse::parse_text(read_fixture("gdb/sunstrider-911-boost-tokenizer-search-path.txt"));
  const auto& c = only_crash(r);
  const auto& f = c.crashing_frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].file, "/usr/include/boost/tokenizer.hpp");
  EXPECT_EQ(f[1].function, "boost::process::posix::search_path");
  EXPECT_EQ(f[1].file, "/home/tbc/server/dep/process/boost/process/posix/search_path.hpp");
  EXPECT_EQ(f[1].line, 37);
  EXPECT_FALSE(c.has_problem(model::problem::truncated)); // ends in 0x0 ?? ()
}

TEST(GdbFixtures, Sunstrider985Abort) {
  auto r = parse::parse_text(read_fixture("gdb/sunstrider-985-abort-stopcastingcharm.txt"));
  const auto& c = only_crash(r);
  EXPECT_EQ(c.kind, model::Kind::abort);
  EXPECT_EQ(c.exception_code, "SIGSEGV");
  const auto& f = c.crashing_frames();
  ASSERT_EQ(f.size(), 6u);
  EXPECT_EQ(f[0].function, "Trinity::Abort");
  EXPECT_EQ(f[1].function, "Player::StopCastingCharm");
  EXPECT_EQ(f[1].line, 18840);
}

TEST(GdbFixtures, LuantiLockWaitStack) {
  auto r = parse::parse_text(read_fixture("freeze/luanti-8666-deadlock-lll-lock-wait-nosym.txt"));
  ASSERT_EQ(r.crashes.size(), 1u);
  const auto& f = r.crashes[0].crashing_frames();
  ASSERT_EQ(f.size(), 9u);
  EXPECT_EQ(f[0].function, "__lll_lock_wait");
  EXPECT_EQ(f[2].function, "Server::SendBlock(unsigned short, irr::core::vector3d<short> const&)");
}

TEST(GdbFixtures, NoGdbSectionInOtherFormats) {
  for (const char* rel : {"sanitizer/libiec61850-165-asan-uaf-cross-thread.txt",
                          "sanitizer/pxcore-1066-tsan-heap-use-after-free.txt",
                          "sanitizer/sneezymud-415-asan-uaf-butcher-with-log.txt",
                          "sanitizer/sneezymud-419-asan-uaf-troom-operator-plus.txt",
                          "windows/cmangos-934-threatmanager-arlokk-callstack.txt",
                          "assertion/ac-16300-map-getngrid-icc.txt"}) {
    EXPECT_TRUE(gdb(read_fixture(rel)).empty()) << rel;
  }
}
