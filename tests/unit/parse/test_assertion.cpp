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

parse::Sections asserts(std::string_view text) { return parse::testing::run(parse::parse_assertion, text); }

using crashpilot::parse::testing::read_fixture;

// The single assertion section a fixture yields.
model::Crash fixture_assertion(const std::string& rel) {
  auto s = asserts(read_fixture(rel));
  EXPECT_EQ(s.size(), 1u) << rel;
  if (s.empty()) {
    return {};
  }
  EXPECT_EQ(s[0].role, Role::assertion);
  EXPECT_TRUE(s[0].crash.assertion.has_value());
  return s[0].crash;
}

// The crash of parse_text() that carries an assertion.
const model::Crash* asserted_crash(const parse::Result& r) {
  for (const auto& c : r.crashes) {
    if (c.assertion) {
      return &c;
    }
  }
  return nullptr;
}

} // namespace

TEST(AssertionParse, TrinityCoreAssertionWithDebugInfoAndShellLine) {
  auto s =
      asserts("/home/tc/src/server/game/Entities/Object/Object.h:392 in GetMap ASSERTION FAILED:\n"
              "  m_currMap\n"
              "MapID: 571 Map name: 'Northrend' X: 7416.87\n"
              "flags:  Done CanSwim\n"
              "\n"
              "AIName:  ScriptName: druid_bot SpawnId: 213864\n"
              "Segmentation fault (core dumped)\n"
              "I hope this helps.\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].format, "tc-assert");
  EXPECT_EQ(s[0].role, Role::assertion);
  EXPECT_EQ(s[0].first, 0u);
  EXPECT_EQ(s[0].last, 6u);
  const auto& c = s[0].crash;
  EXPECT_EQ(c.kind, model::Kind::assertion);
  EXPECT_EQ(c.exception_code, "SIGSEGV");
  EXPECT_EQ(c.exception_name, "Segmentation fault");
  EXPECT_EQ(c.signal, 11);
  EXPECT_EQ(c.error_message, "m_currMap");
  ASSERT_TRUE(c.assertion);
  EXPECT_EQ(c.assertion->file, "/home/tc/src/server/game/Entities/Object/Object.h");
  EXPECT_EQ(c.assertion->line, 392);
  EXPECT_EQ(c.assertion->function, "GetMap");
  EXPECT_EQ(c.assertion->condition, "m_currMap");
  EXPECT_EQ(c.assertion->message,
            "MapID: 571 Map name: 'Northrend' X: 7416.87\nflags:  Done CanSwim\n\n"
            "AIName:  ScriptName: druid_bot SpawnId: 213864");
}

TEST(AssertionParse, TrinityCoreOtherForms) {
  auto s = asserts("/tc/src/server/game/Entities/Unit/Unit.cpp:500 in Unit::Kill FATAL ERROR:\n"
                   "Victim is already dead\n"
                   "\n"
                   "/tc/src/server/shared/Packets/ByteBuffer.cpp:40 in read ERROR:\n"
                   "  Attempted to get value with size: 4 in ByteBuffer (pos: 10 size: 12)\n"
                   "Aborted (core dumped)\n"
                   "\n"
                   "/tc/src/server/worldserver/Main.cpp:300 in Handler ABORTED.\n"
                   "[1]+  Segmentation fault      (core dumped) ./worldserver -c worldserver.conf\n"
                   "\n"
                   "/tc/src/server/game/Maps/Map.cpp:77 in Map::Update WARNING:\n"
                   "  not a crash\n"
                   "\n"
                   "/tc/src/server/game/Maps/Map.cpp:78 in Map::Update ABORTED:\n"
                   "Map 571 has no grid\n");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].crash.kind, model::Kind::assertion);
  EXPECT_EQ(s[0].crash.assertion->function, "Unit::Kill");
  EXPECT_EQ(s[0].crash.assertion->condition, "");
  EXPECT_EQ(s[0].crash.assertion->message, "Victim is already dead");
  EXPECT_EQ(s[0].crash.signal, 0);

  EXPECT_EQ(s[1].crash.kind, model::Kind::assertion);
  EXPECT_EQ(s[1].crash.error_message,
            "Attempted to get value with size: 4 in ByteBuffer (pos: 10 size: 12)");
  EXPECT_EQ(s[1].crash.exception_code, "SIGABRT");
  EXPECT_EQ(s[1].crash.signal, 6);

  EXPECT_EQ(s[2].crash.kind, model::Kind::abort);
  EXPECT_EQ(s[2].crash.assertion->line, 300);
  EXPECT_EQ(s[2].crash.assertion->message, "");
  EXPECT_EQ(s[2].crash.exception_code, "SIGSEGV");
  EXPECT_EQ(s[2].last, 8u);

  EXPECT_EQ(s[3].crash.kind, model::Kind::abort);
  EXPECT_EQ(s[3].crash.error_message, "Map 571 has no grid");
  EXPECT_EQ(s[3].crash.assertion->message, "Map 571 has no grid");
}

TEST(AssertionParse, TrinityCoreOldLogPrefixAndCaughtSignal) {
  auto s = asserts("2012-12-11 18:35:05 ERROR: \n"
                   "........\\Core\\src\\server\\shared\\Database\\MySQLConnection.cpp:198 in "
                   "MySQLConnection::Execute ASSERTION FAILED:\n"
                   "  m_mStmt\n"
                   "[0x333208]\n"
                   "\n"
                   "2012-12-11 18:35:07 ERROR: /tc/src/game/Spell.cpp:12 in Spell::cast ASSERTION "
                   "FAILED: m_caster\n"
                   "Caught signal 6\n"
                   "\n"
                   "terminate called after throwing an instance of 'std::bad_alloc'\n"
                   "Caught signal 6\n");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].first, 0u); // the "ERROR:" line of the old sLog
  EXPECT_EQ(s[0].last, 2u);  // the ACE frame is not part of it
  EXPECT_EQ(s[0].crash.assertion->file,
            "........\\Core\\src\\server\\shared\\Database\\MySQLConnection.cpp");
  EXPECT_EQ(s[0].crash.assertion->function, "MySQLConnection::Execute");
  EXPECT_EQ(s[0].crash.assertion->condition, "m_mStmt");

  EXPECT_EQ(s[1].crash.assertion->file, "/tc/src/game/Spell.cpp");
  EXPECT_EQ(s[1].crash.assertion->condition, "m_caster");
  EXPECT_EQ(s[1].crash.exception_code, "SIGABRT");
  EXPECT_EQ(s[1].last, 6u);

  // AbortHandler alone: an abort.
  EXPECT_EQ(s[2].crash.kind, model::Kind::abort);
  EXPECT_EQ(s[2].crash.signal, 6);
  EXPECT_EQ(s[2].crash.exception_code, "SIGABRT");
  EXPECT_FALSE(s[2].crash.assertion.has_value());
}

TEST(AssertionParse, TrinityCoreFreezeDetectorAbortIsAFreeze) {
  auto s =
      asserts("D:\\tc\\src\\server\\worldserver\\Main.cpp:642 in FreezeDetector::Handler ABORTED:\n"
              "World Thread hangs for 60034 ms, forcing a crash!\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].crash.kind, model::Kind::freeze);
  EXPECT_EQ(s[0].crash.error_message, "World Thread hangs for 60034 ms, forcing a crash!");
  EXPECT_EQ(s[0].crash.assertion->function, "FreezeDetector::Handler");
}

TEST(AssertionParse, AzerothCoreBannerForms) {
  auto s = asserts("#----------------------------------------------------------------------#\n"
                   " \n"
                   ">> ABORTED\n"
                   "\n"
                   "# Location '/azerothcore/src/server/apps/worldserver/Main.cpp:595'\n"
                   "# Function 'Handler'\n"
                   "# Message 'World Thread hangs for 60034 ms, forcing a crash!'\n"
                   " \n"
                   "#----------------------------------------------------------------------#\n"
                   "\n"
                   "#----------------------------------------------------------------------#\n"
                   ">> WARNING\n"
                   "# Location '/ac/src/a.cpp:1'\n"
                   "# Function 'f'\n"
                   "# Condition 'x'\n"
                   "#----------------------------------------------------------------------#\n"
                   "\n"
                   "Location '/ac/src/common/Debugging/Errors.h:81'\n"
                   "Function 'ASSERT_NOTNULL_IMPL'\n"
                   "Condition 'pointer'\n"
                   "Message 'player->GetGroup()'\n"
                   "Debug info: 'Map name: 'Northrend'\n"
                   "Entry: 5'\n"
                   "Aborted\n"
                   "I think the group was disbanded.\n");
  ASSERT_EQ(s.size(), 2u);
  const auto& abort = s[0].crash;
  EXPECT_EQ(s[0].format, "ac-assert");
  EXPECT_EQ(s[0].first, 0u);
  EXPECT_EQ(s[0].last, 8u);
  EXPECT_EQ(abort.kind, model::Kind::freeze); // ABORT from the freeze detector
  EXPECT_EQ(abort.assertion->file, "/azerothcore/src/server/apps/worldserver/Main.cpp");
  EXPECT_EQ(abort.assertion->line, 595);
  EXPECT_EQ(abort.assertion->function, "Handler");
  EXPECT_EQ(abort.error_message, "World Thread hangs for 60034 ms, forcing a crash!");

  // ASSERT_NOTNULL, pasted without banner and without '#': kept as printed.
  const auto& nn = s[1].crash;
  EXPECT_EQ(nn.kind, model::Kind::assertion);
  EXPECT_EQ(nn.assertion->file, "/ac/src/common/Debugging/Errors.h");
  EXPECT_EQ(nn.assertion->line, 81);
  EXPECT_EQ(nn.assertion->function, "ASSERT_NOTNULL_IMPL");
  EXPECT_EQ(nn.assertion->condition, "pointer");
  EXPECT_EQ(nn.assertion->message, "player->GetGroup()\nMap name: 'Northrend'\nEntry: 5");
  EXPECT_EQ(nn.error_message, "player->GetGroup()");
  EXPECT_EQ(nn.exception_code, "SIGABRT");
  EXPECT_EQ(s[1].last, 23u);
}

TEST(AssertionParse, MangosForms) {
  auto s = asserts(
      "/mnt/vcore/src/game/Movement/spline/spline.h:195: Error: Assertion in initLengths failed: "
      "prev_length <= new_length\n"
      "./mangosd(_ZN8Movement14MoveSplineInit6LaunchEv+0x38b) [0x87b37b]\n"
      "2025-05-25 09:55:29 F:\\Repack 21 Source\\src\\game\\Spell.cpp:10: Warning: Assertion in "
      "Spell::prepare failed: m_spellInfo\n"
      "Stack Trace:\n");
  // WPWarning logs and carries on, like TrinityCore's WARNING block: it is not a crash.
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].format, "mangos-assert");
  EXPECT_EQ(s[0].last, 0u);
  EXPECT_EQ(s[0].crash.assertion->file, "/mnt/vcore/src/game/Movement/spline/spline.h");
  EXPECT_EQ(s[0].crash.assertion->line, 195);
  EXPECT_EQ(s[0].crash.assertion->function, "initLengths");
  EXPECT_EQ(s[0].crash.assertion->condition, "prev_length <= new_length");
}

TEST(AssertionParse, CAssertForms) {
  auto s =
      asserts("worldserver: /w/src/game/Grids/NGrid.h:91: GridType& NGrid<N>::GetGridType(unsigned "
              "int, unsigned int) "
              "[with unsigned int N = 8]: Assertion `x < N && y < N' failed.\n"
              "Aborted (core dumped)\n"
              "\n"
              "Assertion failed: (ptr != nullptr), function Update, file /src/Map.cpp, line 12.\n"
              "Assertion failed: x > 0 (src/main.c: main: 7)\n"
              "Assertion failed: m_size > 0, file C:\\build\\src\\Queue.cpp, line 55\n"
              " minkernel\\crts\\ucrt\\src\\appcrt\\convert\\isctype.cpp(42) : Assertion failed: c "
              ">= -1 && c <= 255\n"
              "Assertion Failed: (this->mSingleton == 0)\n"
              "Location: /srv/ascemu/src/shared/Singleton.h(46)\n");
  ASSERT_EQ(s.size(), 6u);
  const auto& g = *s[0].crash.assertion;
  EXPECT_EQ(g.file, "/w/src/game/Grids/NGrid.h");
  EXPECT_EQ(g.line, 91);
  EXPECT_EQ(
      g.function,
      "GridType& NGrid<N>::GetGridType(unsigned int, unsigned int) [with unsigned int N = 8]");
  EXPECT_EQ(g.condition, "x < N && y < N");
  EXPECT_EQ(s[0].crash.exception_code, "SIGABRT");
  EXPECT_EQ(s[1].crash.assertion->condition, "ptr != nullptr");
  EXPECT_EQ(s[1].crash.assertion->function, "Update");
  EXPECT_EQ(s[1].crash.assertion->file, "/src/Map.cpp");
  EXPECT_EQ(s[2].crash.assertion->condition, "x > 0");
  EXPECT_EQ(s[2].crash.assertion->file, "src/main.c");
  EXPECT_EQ(s[2].crash.assertion->line, 7);
  EXPECT_EQ(s[3].crash.assertion->file, "C:\\build\\src\\Queue.cpp");
  EXPECT_EQ(s[3].crash.assertion->line, 55);
  EXPECT_EQ(s[4].format, "crt-assert");
  EXPECT_EQ(s[4].crash.assertion->file, "minkernel\\crts\\ucrt\\src\\appcrt\\convert\\isctype.cpp");
  EXPECT_EQ(s[4].crash.assertion->line, 42);
  EXPECT_EQ(s[4].crash.assertion->condition, "c >= -1 && c <= 255");
  EXPECT_EQ(s[5].crash.assertion->condition, "(this->mSingleton == 0)");
  EXPECT_EQ(s[5].crash.assertion->file, "/srv/ascemu/src/shared/Singleton.h");
  EXPECT_EQ(s[5].crash.assertion->line, 46);
  for (const auto& sec : s) {
    EXPECT_EQ(sec.crash.kind, model::Kind::assertion);
  }
}

TEST(AssertionParse, MsvcDebugAssertionDialog) {
  auto s = asserts("Microsoft Visual C++ Runtime Library\n"
                   "Debug Assertion Failed!\n"
                   "\n"
                   "Program: C:\\wow\\worldserver.exe\n"
                   "File: C:\\Program Files\\MSVC\\include\\vector\n"
                   "Line: 1553\n"
                   "\n"
                   "Expression: vector subscript out of range\n"
                   "\n"
                   "For information on how your program can cause an assertion\n"
                   "failure, see the Visual C++ documentation on asserts.\n"
                   "\n"
                   "(Press Retry to debug the application)\n"
                   "Then it closed.\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].format, "crt-assert");
  EXPECT_EQ(s[0].first, 0u);
  EXPECT_EQ(s[0].last, 12u);
  EXPECT_EQ(s[0].crash.assertion->file, "C:\\Program Files\\MSVC\\include\\vector");
  EXPECT_EQ(s[0].crash.assertion->line, 1553);
  EXPECT_EQ(s[0].crash.assertion->condition, "vector subscript out of range");
}

TEST(AssertionParse, FixtureAzerothCore) {
  auto c = fixture_assertion("assertion/ac-16300-map-getngrid-icc.txt");
  EXPECT_EQ(c.kind, model::Kind::assertion);
  EXPECT_EQ(c.assertion->file, "/root/Azerothcore/src/server/game/Maps/Map.h");
  EXPECT_EQ(c.assertion->line, 682);
  EXPECT_EQ(c.assertion->function, "getNGrid");
  EXPECT_EQ(c.assertion->condition, "x < MAX_NUMBER_OF_GRIDS && y < MAX_NUMBER_OF_GRIDS");
  EXPECT_EQ(c.assertion->message, "Id: 631 InstanceId: 85 Difficulty: 0 HasPlayers: "
                                  "true\nScriptId: 728 ScriptName: instance_icecrown_citadel");
  EXPECT_EQ(c.exception_code, "SIGSEGV"); // the run_ser.sh job line

  c = fixture_assertion("assertion/ac-17582-movespline-computeposition.txt");
  EXPECT_EQ(c.kind, model::Kind::assertion);
  EXPECT_EQ(c.assertion->function, "ComputePosition");
  EXPECT_EQ(c.assertion->condition, "Initialized()");
  EXPECT_EQ(c.assertion->line, 28);
  EXPECT_EQ(c.exception_code, "SIGSEGV");

  c = fixture_assertion("assertion/npcbots-302-ac-checkownerexpiry.txt");
  EXPECT_EQ(c.assertion->file,
            "C:\\Game\\AzerothCore-Builder-"
            "2022\\Source\\AzerothCore\\src\\server\\game\\AI\\NpcBots\\bot_ai.cpp");
  EXPECT_EQ(c.assertion->line, 438);
  EXPECT_EQ(c.assertion->function, "bot_ai::CheckOwnerExpiry");
  EXPECT_EQ(c.assertion->condition, "npcBotData");
  EXPECT_EQ(c.error_message, "bot_ai::CheckOwnerExpiry(): data not found!");
  EXPECT_NE(c.assertion->message.find("ScriptName: warrior_bot"), std::string::npos);

  c = fixture_assertion("assertion/npcbots-401-ac-worldobject-getmap.txt");
  EXPECT_EQ(c.assertion->function, "WorldObject::GetMap");
  EXPECT_EQ(c.assertion->line, 523);
  EXPECT_NE(c.assertion->message.find("ScriptName: warlock_bot"), std::string::npos);
}

TEST(AssertionParse, FixtureTrinityCore) {
  auto c = fixture_assertion("assertion/npcbots-13-object-getmap-currmap.txt");
  EXPECT_EQ(c.assertion->function, "GetMap");
  EXPECT_EQ(c.assertion->line, 392);
  EXPECT_EQ(c.assertion->condition, "m_currMap");
  // Debug info runs across its blank lines up to the job line.
  EXPECT_NE(c.assertion->message.find("ScriptName: druid_bot"), std::string::npos);
  EXPECT_EQ(c.signal, 11);

  c = fixture_assertion("assertion/tc-24438-map-getrespawnmapfortype.txt");
  EXPECT_EQ(c.assertion->file, "/src/server/game/Maps/Map.h");
  EXPECT_EQ(c.assertion->line, 853);
  EXPECT_EQ(c.assertion->condition, "false"); // its indent was lost
  EXPECT_EQ(c.assertion->message, "Id: 0 InstanceId: 0 Difficulty: 0 HasPlayers: false");

  c = fixture_assertion("assertion/tc-26731-spellauras-getunitowner.txt");
  EXPECT_EQ(c.assertion->file, "[...]/TrinityCore/src/server/game/Spells/Auras/SpellAuras.h");
  EXPECT_EQ(c.assertion->condition, "GetType() == UNIT_AURA_TYPE");
  EXPECT_EQ(c.exception_code, "SIGSEGV");

  c = fixture_assertion("assertion/tc-14194-movespline-updatestate.txt");
  EXPECT_EQ(c.assertion->function, "_updateState");
  EXPECT_EQ(c.assertion->condition, "minimal_diff >= 0");

  c = fixture_assertion("assertion/skyfire406-766-mysqlconnection-execute-ace.txt");
  EXPECT_EQ(c.assertion->function, "MySQLConnection::Execute");
  EXPECT_EQ(c.assertion->line, 198);
}

TEST(AssertionParse, FixtureMangosAndCAssert) {
  auto c = fixture_assertion("assertion/vmangos-3036-movespline-computeposition-win.txt");
  EXPECT_EQ(c.assertion->file,
            "F:\\Repack 21 Source\\core-0426\\src\\game\\Movement\\spline\\MoveSpline.cpp");
  EXPECT_EQ(c.assertion->line, 63);
  EXPECT_EQ(c.assertion->function, "Movement::MoveSpline::ComputePosition");
  EXPECT_EQ(c.assertion->condition, "desiredTime >= spline.length(lastIndex)");

  c = fixture_assertion("assertion/vmangos-155-spline-initlengths-backtrace-symbols.txt");
  EXPECT_EQ(c.assertion->function, "initLengths");
  EXPECT_EQ(c.assertion->line, 195);

  c = fixture_assertion("assertion/cuberite-2160-c-assert-backtrace-symbols.txt");
  EXPECT_EQ(c.assertion->file, ".../src/Generating/FinishGen.cpp");
  EXPECT_EQ(c.assertion->line, 1043);
  EXPECT_EQ(c.assertion->condition, "!\"Unhandled world dimension\"");
  EXPECT_EQ(c.kind, model::Kind::assertion);
}

TEST(AssertionParse, FixtureWheatyAssertionMessage) {
  auto text = read_fixture("windows/singlecore-99-npcbots-defaultinit-c0000420.txt");
  auto s = asserts(text);
  ASSERT_EQ(s.size(), 1u);
  const auto& a = *s[0].crash.assertion;
  EXPECT_EQ(a.file, "e:\\wow\\trinitycore335\\src\\server\\game\\ai\\npcbots\\bot_ai.cpp");
  EXPECT_EQ(a.line, 7586);
  EXPECT_EQ(a.function, "bot_ai::DefaultInit");
  EXPECT_EQ(a.condition, "!me->GetBotAI()");
  // Ends before the report's "Fault address:" line.
  EXPECT_EQ(a.message.find("Fault address"), std::string::npos);
  EXPECT_NE(a.message.find("ScriptName: paladin_bot"), std::string::npos);

  auto r = parse::parse_text(text);
  const model::Crash* c = asserted_crash(r);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, model::Kind::assertion);
  EXPECT_EQ(c->assertion->function, "bot_ai::DefaultInit");
}

TEST(AssertionParse, FixturesThroughTheDriver) {
  for (const char* rel :
       {"assertion/ac-16300-map-getngrid-icc.txt", "assertion/npcbots-13-object-getmap-currmap.txt",
        "assertion/tc-24438-map-getrespawnmapfortype.txt",
        "assertion/vmangos-155-spline-initlengths-backtrace-symbols.txt"}) {
    auto r = parse::parse_text(read_fixture(rel));
    const model::Crash* c = asserted_crash(r);
    ASSERT_NE(c, nullptr) << rel;
    EXPECT_EQ(c->kind, model::Kind::assertion) << rel;
  }
}

TEST(AssertionParse, NotAssertions) {
  EXPECT_TRUE(asserts("").empty());
  EXPECT_TRUE(asserts("ERROR: could not connect to database\n").empty());
  EXPECT_TRUE(asserts("2012-12-11 18:35:05 ERROR: \n").empty());
  EXPECT_TRUE(asserts("#----------------------------------------------------------------------#\n")
                  .empty());
  EXPECT_TRUE(asserts("The Function 'x' and Location 'y' fields\n").empty());
  EXPECT_TRUE(asserts("/a.cpp:1 in f WARNING:\n  x\n").empty());
  EXPECT_TRUE(asserts("Segmentation fault (core dumped)\n").empty());
  // A one-line log message in the TC shape is not TC's two-line ERROR block.
  EXPECT_TRUE(asserts("src/x.cpp:12 in Foo ERROR: failed to open file\n").empty());
}

TEST(AssertionParse, TotalOnGarbage) {
  const char binary[] = "\0\xff:1 in \xfe ASSERTION FAILED:\n\0\x01";
  asserts(std::string(binary, sizeof(binary) - 1));
  asserts("a:1 in b ASSERTION FAILED:");
  asserts("# Location '");
  asserts("# Debug info: '\n\n\n");
  asserts("Debug Assertion Failed!");
  asserts(":0: Error: Assertion in  failed: ");
  asserts("Assertion failed: , file , line 99999999999999999999");
  std::string huge = "/a.cpp:1 in f ASSERTION FAILED:\n  c\n";
  for (int k = 0; k < 10000; ++k) {
    huge += "Key: value\n";
  }
  auto h = asserts(huge);
  ASSERT_FALSE(h.empty());
  EXPECT_LE(
      std::count(h[0].crash.assertion->message.begin(), h[0].crash.assertion->message.end(), '\n'),
      200);
  std::string open = "# Location '/a.cpp:1'\n# Debug info: 'x\n" + std::string(20000, '\'') + "\n";
  for (int k = 0; k < 5000; ++k) {
    open += "more\n";
  }
  EXPECT_EQ(asserts(open).size(), 1u);
  EXPECT_EQ(asserts(std::string(100000, '#')).size(), 0u);
}

TEST(AssertionParse, LogPrefixBeforeThePathAndStackAfterTheBlock) {
  auto s = asserts(
      "ERROR [server.worldserver] /home/tc/src/server/game/Maps/Map.h:853 in GetRespawnMapForType "
      "ASSERTION FAILED:\n"
      "  false\n"
      "Id: 0 InstanceId: 0\n"
      "#0  0x00007f in Trinity::Assert (file=0x1 \"Map.h\", line=853) at Errors.cpp:41\n"
      "[ERROR] F:\\Repack 21 Source\\src\\game\\Spell.cpp:10: Error: Assertion in Spell::prepare "
      "failed: x\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].crash.assertion->file, "/home/tc/src/server/game/Maps/Map.h");
  EXPECT_EQ(s[0].crash.assertion->message, "Id: 0 InstanceId: 0");
  EXPECT_EQ(s[0].last, 2u);
  EXPECT_EQ(s[1].crash.assertion->file, "F:\\Repack 21 Source\\src\\game\\Spell.cpp");
}

TEST(AssertionParse, ReleaseCrtAssertionDialog) {
  auto s = asserts("Assertion failed!\n"
                   "\n"
                   "Program: C:\\wow\\worldserver.exe\n"
                   "File: ..\\src\\game\\Map.cpp\n"
                   "Line: 123\n"
                   "\n"
                   "Expression: x != 0\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].crash.assertion->file, "..\\src\\game\\Map.cpp");
  EXPECT_EQ(s[0].crash.assertion->line, 123);
  EXPECT_EQ(s[0].crash.assertion->condition, "x != 0");
}

TEST(AssertionParse, ManyBannersStayLinear) {
  std::string text;
  for (int k = 0; k < 50000; ++k) {
    text += "#----------------------------------------------------------------------#\n";
  }
  EXPECT_TRUE(asserts(text).empty());
}
