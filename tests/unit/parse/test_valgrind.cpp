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

parse::Sections valgrind(std::string_view text) { return parse::testing::run(parse::parse_valgrind, text); }

using crashpilot::parse::testing::read_fixture;

const model::Thread* thread_with_role(const model::Crash& c, std::string_view role) {
  for (const auto& t : c.threads) {
    if (t.role == role) {
      return &t;
    }
  }
  return nullptr;
}

constexpr std::string_view k_use_after_free =
    "==4242== Memcheck, a memory error detector\n"
    "==4242== Command: ./worldserver\n"
    "==4242== \n"
    "==4242== Thread 5:\n"
    "==4242== Invalid read of size 8\n"
    "==4242==    at 0x8C1D2E: Unit::GetTarget() const (Unit.h:1403)\n"
    "==4242==    by 0x8C2F10: ai::AttackAction::Execute(ai::Event&) (AttackAction.cpp:33)\n"
    "==4242==    by 0x4E3B6DA: start_thread (pthread_create.c:463)\n"
    "==4242==  Address 0x1c5e3a48 is 24 bytes inside a block of size 4,096 free'd\n"
    "==4242==    at 0x4C3123B: operator delete(void*) (vg_replace_malloc.c:576)\n"
    "==4242==    by 0x9A1B2C: Map::RemoveAllObjects() (Map.cpp:700)\n"
    "==4242==  Block was alloc'd at\n"
    "==4242==    at 0x4C3017F: operator new(unsigned long) (vg_replace_malloc.c:334)\n"
    "==4242==    by 0x9A0000: Creature::Create() (Creature.cpp:12)\n"
    "==4242== \n"
    "==4242== Conditional jump or move depends on uninitialised value(s)\n"
    "==4242==    at 0x55D4950: Player::Update(unsigned int) (in /opt/bin/worldserver)\n"
    "==4242==    by 0x55E047B: ??? (in /usr/lib/libstdc++.so.6.0.28)\n"
    "==4242==  Uninitialised value was created by a heap allocation\n"
    "==4242==    at 0x4C3017F: operator new(unsigned long) (vg_replace_malloc.c:334)\n"
    "==4242== \n"
    "==4242== HEAP SUMMARY:\n"
    "==4242==     in use at exit: 0 bytes in 0 blocks\n"
    "==4242== \n"
    "==4242== 40 bytes in 1 blocks are definitely lost in loss record 1 of 2\n"
    "==4242==    at 0x4C3017F: operator new(unsigned long) (vg_replace_malloc.c:334)\n"
    "==4242==    by 0x400B2D: main (main.cpp:5)\n"
    "==4242== \n"
    "==4242== 8 bytes in 1 blocks are still reachable in loss record 2 of 2\n"
    "==4242==    at 0x4C3017F: operator new(unsigned long) (vg_replace_malloc.c:334)\n"
    "==4242== \n"
    "==4242== ERROR SUMMARY: 2 errors from 2 contexts (suppressed: 0 from 0)\n";

} // namespace

TEST(ValgrindParse, NonFatalErrorsAreSanitizerSections) {
  auto out = valgrind(k_use_after_free);
  ASSERT_EQ(out.size(), 3u);
  const auto& uaf = out[0].crash;
  EXPECT_EQ(out[0].format, "valgrind");
  EXPECT_EQ(out[0].role, Role::report);
  EXPECT_EQ(out[0].first, 4u);
  EXPECT_EQ(out[0].last, 13u);
  EXPECT_EQ(uaf.kind, model::Kind::sanitizer);
  EXPECT_EQ(uaf.exception_code, "InvalidRead");
  EXPECT_EQ(uaf.error_message, "Invalid read of size 8");
  EXPECT_EQ(uaf.fault_address, 0x1c5e3a48u);
  ASSERT_EQ(uaf.threads.size(), 3u);
  EXPECT_TRUE(uaf.threads[0].crashing);
  EXPECT_EQ(uaf.threads[0].id, "5");
  const auto& f = uaf.crashing_frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].address, 0x8C1D2Eu);
  EXPECT_EQ(f[0].function, "Unit::GetTarget() const");
  EXPECT_EQ(f[0].file, "Unit.h");
  EXPECT_EQ(f[0].line, 1403);
  EXPECT_EQ(f[1].function, "ai::AttackAction::Execute(ai::Event&)");
  const auto* freed = thread_with_role(uaf, "freed");
  ASSERT_NE(freed, nullptr);
  ASSERT_EQ(freed->frames.size(), 2u);
  EXPECT_EQ(freed->frames[1].function, "Map::RemoveAllObjects()");
  const auto* alloc = thread_with_role(uaf, "allocated");
  ASSERT_NE(alloc, nullptr);
  EXPECT_EQ(alloc->frames[1].function, "Creature::Create()");
  EXPECT_FALSE(uaf.has_problem(model::problem::truncated));

  const auto& uninit = out[1].crash;
  EXPECT_EQ(uninit.exception_code, "UninitCondition");
  EXPECT_EQ(uninit.crashing_frames()[0].module, "/opt/bin/worldserver");
  EXPECT_EQ(uninit.crashing_frames()[1].function, "??");
  EXPECT_NE(thread_with_role(uninit, "allocated"), nullptr);

  // Definite leaks are reported, reachable blocks are not.
  EXPECT_EQ(out[2].crash.exception_code, "Leak_DefinitelyLost");
}

TEST(ValgrindParse, FatalSignalIsTheOneCrash) {
  std::string text(k_use_after_free.substr(0, k_use_after_free.find("==4242== HEAP SUMMARY")));
  text += "==4242== Process terminating with default action of signal 11 (SIGSEGV)\n"
          "==4242==  Access not within mapped region at address 0x0\n"
          "==4242==    at 0x8C1D2E: Unit::GetTarget() const (Unit.h:1403)\n"
          "==4242==    by 0x8C2F10: ai::AttackAction::Execute(ai::Event&) (AttackAction.cpp:33)\n"
          "==4242==  If you believe this happened as a result of a stack\n"
          "==4242==  overflow in your program's main thread (unlikely but\n"
          "==4242== \n"
          "==4242== HEAP SUMMARY:\n";
  auto out = valgrind(text);
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  EXPECT_EQ(c.kind, model::Kind::signal);
  EXPECT_EQ(c.exception_code, "SIGSEGV");
  EXPECT_EQ(c.exception_name, "Segmentation fault");
  EXPECT_EQ(c.signal, 11);
  EXPECT_EQ(c.fault_address, 0u);
  EXPECT_EQ(c.error_message, "Conditional jump or move depends on uninitialised value(s)");
  ASSERT_GE(c.threads.size(), 1u);
  EXPECT_TRUE(c.threads[0].crashing);
  EXPECT_EQ(c.threads[0].id, "5");
  ASSERT_EQ(c.crashing_frames().size(), 2u);
  EXPECT_EQ(c.crashing_frames()[0].function, "Unit::GetTarget() const");
  const auto* prev = thread_with_role(c, "previous_error");
  ASSERT_NE(prev, nullptr);
  EXPECT_EQ(prev->frames[0].function, "Player::Update(unsigned int)");
  EXPECT_FALSE(c.has_problem(model::problem::truncated));
}

TEST(ValgrindParse, FatalWithoutPrecedingErrorUsesAccessLine) {
  auto out = valgrind("==7== Process terminating with default action of signal 11 (SIGSEGV)\n"
                      "==7==  Bad permissions for mapped region at address 0x5A1C040\n"
                      "==7==    at 0x400B2D: main (main.cpp:5)\n"
                      "==7== \n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.error_message, "Bad permissions for mapped region at address 0x5A1C040");
  EXPECT_EQ(out[0].crash.fault_address, 0x5A1C040u);
}

TEST(ValgrindParse, ProcessesAreSeparate) {
  auto out = valgrind("==1== Invalid write of size 4\n"
                      "==1==    at 0x400B2D: f (a.c:5)\n"
                      "==2== Invalid free() / delete / delete[] / realloc()\n"
                      "==2==    at 0x400B2E: g (b.c:6)\n"
                      "==1== \n"
                      "==2== \n"
                      "==2== Process terminating with default action of signal 6 (SIGABRT)\n"
                      "==2==    at 0x58C918B: raise (raise.c:51)\n"
                      "==2== \n");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].crash.exception_code, "InvalidWrite");
  EXPECT_EQ(out[1].crash.kind, model::Kind::abort);
  EXPECT_EQ(out[1].crash.error_message, "Invalid free() / delete / delete[] / realloc()");
}

TEST(ValgrindParse, WithoutPidPrefix) {
  auto out = valgrind("Invalid read of size 4\n"
                      "   at 0x400B2D: f (a.c:5)\n"
                      "   by 0x400B2E: main (a.c:9)\n"
                      " Address 0x0 is not stack'd, malloc'd or (recently) free'd\n"
                      "\n"
                      "unrelated text\n"
                      "   at 0x1: nothing\n");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.crashing_frames().size(), 2u);
  EXPECT_EQ(out[0].crash.fault_address, 0u);
  EXPECT_EQ(out[0].crash.threads.size(), 1u); // "not stack'd ... free'd" has no stack
}

TEST(ValgrindParse, InlinedFramesShareTheAddress) {
  auto out = valgrind("==1== Invalid read of size 4\n"
                      "==1==    at 0x400B2D: Grid::get (Grid.h:5)\n"
                      "==1==    by 0x400B2D: Map::update (Map.cpp:9)\n"
                      "==1==    by 0x400C00: main (main.cpp:1)\n"
                      "==1== \n");
  ASSERT_EQ(out.size(), 1u);
  const auto& f = out[0].crash.crashing_frames();
  EXPECT_TRUE(f[0].inlined);
  EXPECT_FALSE(f[1].inlined);
}

TEST(ValgrindParse, TotalOnGarbage) {
  EXPECT_TRUE(valgrind("").empty());
  EXPECT_TRUE(valgrind("====\n==1==\n==1== \n==1==    at 0x\n==x== Invalid read\n").empty());
  EXPECT_TRUE(valgrind("==1== Invalid read of size 4\n==1==    at 0xZZ: f\n").empty());
  std::string many;
  for (int i = 0; i < 2000; ++i) {
    many += "==" + std::to_string(i) + "== Invalid read of size 4\n";
  }
  EXPECT_TRUE(valgrind(many).empty());
  std::string deep = "==1== Invalid read of size 4\n";
  for (int i = 0; i < 3000; ++i) {
    deep += "==1==    by 0x400B2D: f (a.c:5)\n";
  }
  auto out = valgrind(deep);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].crash.crashing_frames().size(), 1024u);
  EXPECT_TRUE(out[0].crash.has_problem(model::problem::truncated));
  std::string parens =
      "==1== Invalid read of size 4\n==1==    at 0x1: " + std::string(1 << 20, ')') + "\n";
  (void)valgrind(parens);
}

TEST(ValgrindFixtures, Ac5544ShutdownSigabrt) {
  auto out = valgrind(read_fixture("other/ac-5544-valgrind-shutdown-sigabrt.txt"));
  ASSERT_EQ(out.size(), 1u);
  const auto& c = out[0].crash;
  EXPECT_EQ(c.kind, model::Kind::abort);
  EXPECT_EQ(c.exception_code, "SIGABRT");
  EXPECT_EQ(c.signal, 6);
  EXPECT_EQ(c.error_message, "Conditional jump or move depends on uninitialised value(s)");
  const auto& f = c.crashing_frames();
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].function, "raise");
  EXPECT_EQ(f[0].file, "raise.c");
  EXPECT_EQ(f[0].line, 51);
  EXPECT_EQ(f[2].function, "??");
  EXPECT_EQ(f[2].module, "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.28");
  const auto* prev = thread_with_role(c, "previous_error");
  ASSERT_NE(prev, nullptr);
  EXPECT_EQ(prev->frames[0].function, "acore::Thread::~Thread()");
  EXPECT_EQ(prev->frames[0].module, "/home/user/run/bin/worldserver");
  EXPECT_TRUE(c.has_problem(model::problem::truncated)); // the text ends inside the stack

  auto r = parse::parse_text(read_fixture("other/ac-5544-valgrind-shutdown-sigabrt.txt"));
  ASSERT_EQ(r.crashes.size(), 1u);
  EXPECT_EQ(r.crashes[0].kind, model::Kind::abort);
  EXPECT_EQ(r.crashes[0].crashing_frames().size(), 4u);
}
