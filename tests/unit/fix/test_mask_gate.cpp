// SPDX-License-Identifier: MIT
// The anti-mask gate, rule by rule: each mask shape is flagged, and the legitimate patch that looks
// most like it is not.
#include <config/config.hpp>

#include <fix/fix_options.hpp>
#include <fix/mask_gate.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

using namespace crashpilot;
using fix::find_masks;
using fix::GateContext;
using fix::MaskFinding;

namespace {

const char* k_bot = "src/server/game/AI/BotAI.cpp";

// One file section with one hunk; `lines` carry their diff marker (' ', '+', '-').
std::string hunk(const std::string& path, int old_start, int new_start,
                 const std::vector<std::string>& lines, bool with_header = true) {
  int old_count = 0;
  int new_count = 0;
  std::string body;
  for (const auto& l : lines) {
    old_count += l[0] != '+' ? 1 : 0;
    new_count += l[0] != '-' ? 1 : 0;
    body += l + "\n";
  }
  std::string header = with_header ? "diff --git a/" + path + " b/" + path + "\n--- a/" + path +
                                         "\n+++ b/" + path + "\n"
                                   : "";
  return header + "@@ -" + std::to_string(old_start) + "," + std::to_string(old_count) + " +" +
         std::to_string(new_start) + "," + std::to_string(new_count) + " @@\n" + body;
}

// The real defaults: assert macros and test paths from the built-in base preset.
GateContext context(std::vector<fix::FaultFrame> frames = {{k_bot, 120, "BotAI::UpdateAI"}}) {
  config::LoadOptions lo;
  lo.preset = "generic";
  lo.search_default_file = false;
  auto cfg = config::Config::load(lo);
  EXPECT_TRUE(cfg) << cfg.error();
  auto o = fix::fix_options_from_config(*cfg);
  EXPECT_TRUE(o) << o.error();
  GateContext ctx;
  ctx.frames = std::move(frames);
  ctx.assert_macros = o->assert_macros;
  ctx.test_paths = o->test_paths;
  ctx.window_lines = o->gate_window_lines;
  return ctx;
}

std::vector<std::string> rules(const std::vector<MaskFinding>& f) {
  std::vector<std::string> out;
  for (const auto& m : f) {
    out.push_back(m.rule);
  }
  return out;
}

std::string dump(const std::vector<MaskFinding>& f) {
  return fix::to_json(f).dump(2);
}

using Rules = std::vector<std::string>;

// A file far from any crash frame, for rules that do not depend on the crash site.
const char* k_other = "src/server/game/Spells/SpellMgr.cpp";

} // namespace

// ---- signal_handler ----------------------------------------------------------------------------

TEST(MaskGateSignal, FlagsEveryWayOfInstallingACrashHandler) {
  const std::vector<std::string> masks{
      "+    signal(SIGSEGV, CrashHandler);",
      "+    std::signal(SIGABRT, &OnAbort);",
      "+    ::signal (SIGFPE, h);",
      "+    sigaction(SIGSEGV, &sa, nullptr);",
      "+    sigaction(sig, &sa, nullptr);",
      "+    SetUnhandledExceptionFilter(TopLevelFilter);",
      "+    AddVectoredExceptionHandler(1, VectoredHandler);",
      "+    _set_se_translator(SehTranslator);",
      "+    std::set_terminate([] { std::_Exit(0); });",
      "+    set_terminate(OnTerminate);",
      "+    __except (EXCEPTION_EXECUTE_HANDLER) { return; }",
  };
  for (const auto& m : masks) {
    auto f = find_masks(hunk(k_other, 10, 10, {"     Init();", m, "     Run();"}), context());
    ASSERT_EQ(rules(f), Rules{"signal_handler"}) << m << "\n" << dump(f);
    EXPECT_EQ(f[0].file, k_other);
    EXPECT_EQ(f[0].line, 11);
    EXPECT_FALSE(f[0].why.empty());
  }
}

TEST(MaskGateSignal, LeavesOrdinarySignalPlumbingAlone) {
  const std::vector<std::string> fine{
      "+    signal(SIGPIPE, SIG_IGN);                 // sockets report EPIPE instead",
      "+    std::signal(SIGINT, OnStop); std::signal(SIGTERM, OnStop);",
      "+    signal(SIGSEGV, SIG_DFL);",
      "+    m_onDeath.signal(unit);",
      "+    session->signal(Event::Logout);",
      "+    struct sigaction sa {};",
      "+    // do not call signal(SIGSEGV, handler) here: crashpilot captures the crash",
      "+    TC_LOG_INFO(\"server\", \"signal(SIGSEGV) is left to the supervisor\");",
      "+    raise_signal(SIGSEGV);",
  };
  for (const auto& m : fine) {
    auto f = find_masks(hunk(k_other, 10, 10, {"     Init();", m}), context());
    EXPECT_TRUE(f.empty()) << m << "\n" << dump(f);
  }
  // Removing a handler never hides a crash.
  auto removed =
      find_masks(hunk(k_other, 10, 10, {"-    signal(SIGSEGV, CrashHandler);"}), context());
  EXPECT_TRUE(removed.empty()) << dump(removed);
}

// ---- assert_removed ----------------------------------------------------------------------------

TEST(MaskGateAssert, FlagsARemovedAssert) {
  auto f = find_masks(hunk(k_other, 40, 40,
                           {"     Unit* target = GetTarget();", "-    ASSERT(target);",
                            "     target->CastSpell(spell);"}),
                      context());
  ASSERT_EQ(rules(f), Rules{"assert_removed"}) << dump(f);
  EXPECT_EQ(f[0].line, 41); // the old-file line of a removal
  EXPECT_EQ(f[0].text, "ASSERT(target);");
  EXPECT_NE(f[0].why.find("ASSERT(target)"), std::string::npos) << f[0].why;
}

TEST(MaskGateAssert, FlagsASplitAssertAndEveryConfiguredMacro) {
  auto f =
      find_masks(hunk(k_other, 40, 40,
                      {"-    WPAssert(map &&", "-             map->IsGridLoaded(x, y));",
                       "-    assert(count < 10);", "-    DCHECK(ok) << \"bad\";", "     Next();"}),
                 context());
  EXPECT_EQ(rules(f), (Rules{"assert_removed", "assert_removed", "assert_removed"})) << dump(f);
}

TEST(MaskGateAssert, AcceptsAMovedOrReformattedAssert) {
  std::string d =
      hunk(k_other, 40, 40, {"-    ASSERT(target && target->IsInWorld());", "     Foo();"}) +
      hunk(k_other, 90, 89, {"     Bar();", "+    ASSERT( target &&  target->IsInWorld() );"},
           false);
  auto f = find_masks(d, context());
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(MaskGateAssert, AcceptsAStrengthenedAssertAndAMessageChange) {
  auto f = find_masks(hunk(k_other, 40, 40,
                           {"-    ASSERT(target);", "+    ASSERT(target && target->IsInWorld());",
                            "-    ASSERT(map, \"no map\");",
                            "+    ASSERT(map, \"no map for instance {}\", instanceId);"}),
                      context());
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(MaskGateAssert, AcceptsAnIfThatStillAborts) {
  auto f = find_masks(hunk(k_other, 40, 40,
                           {"-    ASSERT(map);", "+    if (!map)", "+    {",
                            "+        TC_LOG_FATAL(\"maps\", \"no map for {}\", GetGUID());",
                            "+        ABORT();", "+    }"}),
                      context());
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(MaskGateAssert, AssertInAnotherFileDoesNotCount) {
  std::string d = hunk(k_other, 40, 40, {"-    ASSERT(target);", "     Foo();"}) +
                  hunk("src/server/game/Other.cpp", 5, 5, {"+    ASSERT(target);", "     Foo();"});
  EXPECT_EQ(rules(find_masks(d, context())), Rules{"assert_removed"});
}

TEST(MaskGateAssert, StringsAndCommentsAreNotAsserts) {
  auto f = find_masks(hunk(k_other, 40, 40,
                           {"-    TC_LOG_ERROR(\"misc\", \"ASSERT(target) failed\");",
                            "-    // ASSERT(target) used to be here",
                            "+    TC_LOG_ERROR(\"misc\", \"target missing\");"}),
                      context());
  EXPECT_TRUE(f.empty()) << dump(f);
}

// ---- assert_weakened ---------------------------------------------------------------------------

TEST(MaskGateAssert, FlagsACommentedOutAssert) {
  auto f = find_masks(hunk(k_other, 40, 40, {"-    ASSERT(target);", "+    // ASSERT(target);"}),
                      context());
  ASSERT_EQ(rules(f), Rules{"assert_weakened"}) << dump(f);
  EXPECT_EQ(f[0].line, 40);
  f = find_masks(hunk(k_other, 40, 40, {"-    ASSERT(target);", "+    /* ASSERT(target); */"}),
                 context());
  EXPECT_EQ(rules(f), Rules{"assert_weakened"}) << dump(f);
}

TEST(MaskGateAssert, FlagsAnAssertTurnedIntoAnIfThatCarriesOn) {
  auto f = find_masks(hunk(k_other, 40, 40,
                           {"-    ASSERT(target);", "+    if (!target)", "+        return;",
                            "     target->Kill();"}),
                      context());
  ASSERT_EQ(rules(f), Rules{"assert_weakened"}) << dump(f);
  EXPECT_NE(f[0].why.find("carries on"), std::string::npos);
}

TEST(MaskGateAssert, FlagsAlwaysTrueAndDroppedConditions) {
  auto f = find_masks(hunk(k_other, 40, 40, {"-    ASSERT(x > 0);", "+    ASSERT(x > 0 || true);"}),
                      context());
  EXPECT_EQ(rules(f), Rules{"assert_weakened"}) << dump(f);
  f = find_masks(hunk(k_other, 40, 40, {"-    ASSERT(x > 0);", "+    ASSERT(true);"}), context());
  EXPECT_EQ(rules(f), Rules{"assert_weakened"}) << dump(f);
  f = find_masks(hunk(k_other, 40, 40, {"-    ASSERT(a && b);", "+    ASSERT(a);"}), context());
  ASSERT_EQ(rules(f), Rules{"assert_weakened"}) << dump(f);
  EXPECT_NE(f[0].why.find("dropping"), std::string::npos);
  f = find_masks(
      hunk(k_other, 40, 40, {"-    ASSERT(count < max);", "+    ASSERT(count <= max + 10);"}),
      context());
  EXPECT_EQ(rules(f), Rules{"assert_weakened"}) << dump(f);
}

TEST(MaskGateAssert, MacroSwapIsWeakenedOnlyWhenReleaseBuildsLoseIt) {
  auto f =
      find_masks(hunk(k_other, 40, 40, {"-    ASSERT(map);", "+    WPAssert(map);"}), context());
  EXPECT_TRUE(f.empty()) << dump(f);
  f = find_masks(hunk(k_other, 40, 40, {"-    ASSERT(map);", "+    assert(map);"}), context());
  EXPECT_EQ(rules(f), Rules{"assert_weakened"}) << dump(f);
}

TEST(MaskGateAssert, FlagsAssertsWrappedInDisablingConditionals) {
  for (std::string opener : {"#if 0", "#ifndef NDEBUG", "#ifdef _DEBUG", "#if !defined(NDEBUG)",
                             "#  if defined(DEBUG)"}) {
    auto f = find_masks(
        hunk(k_other, 40, 40, {"+" + opener, "     ASSERT(target);", "+#endif", "     Go();"}),
        context());
    ASSERT_EQ(rules(f), Rules{"assert_weakened"}) << opener << "\n" << dump(f);
    EXPECT_EQ(f[0].line, 41);
  }
}

TEST(MaskGateAssert, OtherConditionalsAndDisabledCodeWithoutAssertsAreFine) {
  auto f = find_masks(hunk(k_other, 40, 40,
                           {"+#ifdef _WIN32", "     ASSERT(handle);", "+#endif", "+#if 0",
                            "+    LegacyPath();", "+#else", "+    ASSERT(x);", "+#endif"}),
                      context());
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(MaskGateAssert, FlagsNdebugAndRedefinedAssertMacros) {
  EXPECT_EQ(
      rules(find_masks(hunk(k_other, 1, 1, {"+#define NDEBUG", " #include <cassert>"}), context())),
      Rules{"assert_weakened"});
  EXPECT_EQ(rules(find_masks(hunk(k_other, 1, 1, {"+#define ASSERT(cond) ((void)0)"}), context())),
            Rules{"assert_weakened"});
  EXPECT_EQ(rules(find_masks(hunk(k_other, 1, 1, {"+#undef WPAssert"}), context())),
            Rules{"assert_weakened"});
  EXPECT_EQ(
      rules(find_masks(hunk("src/server/game/CMakeLists.txt", 3, 3, {"+add_definitions(-DNDEBUG)"}),
                       context())),
      Rules{"assert_weakened"});
  // Not NDEBUG: an ordinary define, and a CMake comment mentioning it.
  EXPECT_TRUE(find_masks(hunk(k_other, 1, 1, {"+#define MAX_BOTS 500"}), context()).empty());
  EXPECT_TRUE(
      find_masks(hunk("CMakeLists.txt", 3, 3, {"+# never add -DNDEBUG here"}), context()).empty());
}

// ---- bare_early_return -------------------------------------------------------------------------

TEST(MaskGateEarlyReturn, FlagsEveryShapeAtTheCrashLine) {
  const std::vector<std::vector<std::string>> shapes{
      {"+    if (!target) return;"},
      {"+    if (!target)", "+        return;"},
      {"+    if (!target)", "+    {", "+        return;", "+    }"},
      {"+    if (!target) {", "+        return false;", "+    }"},
      {"+    if (target == nullptr) { return nullptr; }"},
      {"+    if (NULL == target)", "+        continue;"},
      {"+    if (!me || !me->GetMap())", "+        return;"},
      {"+    if (!GetVictim())", "+", "+        break;"},
      {"+    if (target == 0) return 0;"},
  };
  for (const auto& shape : shapes) {
    std::vector<std::string> lines{"     Unit* target = GetTarget();"};
    lines.insert(lines.end(), shape.begin(), shape.end());
    lines.push_back("     target->CastSpell(spell);");
    auto f = find_masks(hunk(k_bot, 119, 119, lines), context());
    ASSERT_EQ(rules(f), Rules{"bare_early_return"}) << shape[0] << "\n" << dump(f);
    EXPECT_EQ(f[0].file, k_bot);
    EXPECT_EQ(f[0].line, 120);
    EXPECT_NE(f[0].why.find("BotAI::UpdateAI"), std::string::npos) << f[0].why;
  }
}

TEST(MaskGateEarlyReturn, LoggingDoesNotExcuseAnUndocumentedReturn) {
  auto f =
      find_masks(hunk(k_bot, 119, 119,
                      {"     Unit* target = GetTarget();", "+    if (!target)", "+    {",
                       "+        TC_LOG_ERROR(\"playerbot\", \"no target for {}\", GetName());",
                       "+        return;", "+    }", "     target->CastSpell(spell);"}),
                 context());
  ASSERT_EQ(rules(f), Rules{"bare_early_return"}) << dump(f);
  EXPECT_NE(f[0].why.find("logs"), std::string::npos) << f[0].why;
}

TEST(MaskGateEarlyReturn, AcceptsADocumentedReturn) {
  // The comment on the line above, or on the `if` itself, says why the value may be missing.
  auto above = find_masks(
      hunk(
          k_bot, 119, 119,
          {"     Unit* target = GetTarget();",
           "+    // The target can despawn between the AI tick and the spell hit (instance reset).",
           "+    if (!target)", "+        return;", "     target->CastSpell(spell);"}),
      context());
  EXPECT_TRUE(above.empty()) << dump(above);
  auto trailing =
      find_masks(hunk(k_bot, 119, 119,
                      {"     Unit* target = GetTarget();",
                       "+    if (!target) // bots lose their target when the master logs out",
                       "+        return;"}),
                 context());
  EXPECT_TRUE(trailing.empty()) << dump(trailing);
  auto block = find_masks(hunk(k_bot, 119, 119,
                               {"+    /* GetTarget() is empty while the bot is teleporting */",
                                "+    if (!target) return;"}),
                          context());
  EXPECT_TRUE(block.empty()) << dump(block);
}

TEST(MaskGateEarlyReturn, AVagueCommentIsNoExplanation) {
  for (std::string c : {"// fix crash", "// null check to prevent crash", "// TODO",
                        "// added safety check", "//"}) {
    auto f =
        find_masks(hunk(k_bot, 119, 119, {"+    " + c, "+    if (!target) return;"}), context());
    EXPECT_EQ(rules(f), Rules{"bare_early_return"}) << c << "\n" << dump(f);
  }
}

TEST(MaskGateEarlyReturn, OnlyNearTheCrashFrameOfTheCrashFile) {
  // 200 lines away from the crash line.
  auto far =
      find_masks(hunk(k_bot, 320, 320, {"     Foo();", "+    if (!target) return;"}), context());
  EXPECT_TRUE(far.empty()) << dump(far);
  // Another file.
  auto other =
      find_masks(hunk(k_other, 119, 119, {"     Foo();", "+    if (!target) return;"}), context());
  EXPECT_TRUE(other.empty()) << dump(other);
  // At the window's edge (25 lines) and just past it.
  auto edge =
      find_masks(hunk(k_bot, 144, 144, {"     Foo();", "+    if (!target) return;"}), context());
  EXPECT_EQ(rules(edge), Rules{"bare_early_return"}) << dump(edge);
  auto past =
      find_masks(hunk(k_bot, 145, 145, {"     Foo();", "+    if (!target) return;"}), context());
  EXPECT_TRUE(past.empty()) << dump(past);
}

TEST(MaskGateEarlyReturn, ACallerFrameCountsToo) {
  auto ctx = context({{k_bot, 120, "BotAI::UpdateAI"},
                      {"src/server/game/Entities/Unit/Unit.cpp", 5000, "Unit::Update"}});
  auto f = find_masks(hunk("src/server/game/Entities/Unit/Unit.cpp", 4995, 4995,
                           {"     i_AI->UpdateAI(diff);", "+    if (!i_AI) return;"}),
                      ctx);
  EXPECT_EQ(rules(f), Rules{"bare_early_return"}) << dump(f);
}

TEST(MaskGateEarlyReturn, MapsTheCrashLineThroughEarlierHunks) {
  // An earlier hunk adds 40 lines, so old line 120 is new line 160.
  std::vector<std::string> forty{"     // header"};
  for (int i = 0; i < 40; ++i) {
    forty.push_back("+    Helper" + std::to_string(i) + "();");
  }
  std::string d = hunk(k_bot, 10, 10, forty) +
                  hunk(k_bot, 119, 159,
                       {"     Unit* target = GetTarget();", "+    if (!target) return;",
                        "     target->CastSpell(spell);"},
                       false);
  auto f = find_masks(d, context());
  ASSERT_EQ(rules(f), Rules{"bare_early_return"}) << dump(f);
  EXPECT_EQ(f[0].line, 160);
  // The same early return at old line ~85 (new 125) is 35 lines from the mapped crash line.
  std::string d2 = hunk(k_bot, 10, 10, forty) +
                   hunk(k_bot, 84, 124, {"     Foo();", "+    if (!target) return;"}, false);
  auto f2 = find_masks(d2, context());
  EXPECT_TRUE(f2.empty()) << dump(f2);
}

TEST(MaskGateEarlyReturn, MatchesBuildMachineAndWindowsFramePaths) {
  for (std::string path : {"/home/build/TrinityCore/src/server/game/AI/BotAI.cpp",
                           "C:\\build\\TrinityCore\\src\\server\\game\\AI\\BotAI.cpp", "BotAI.cpp",
                           "./src/server/game/AI/BotAI.cpp"}) {
    auto f = find_masks(hunk(k_bot, 119, 119, {"     Foo();", "+    if (!target) return;"}),
                        context({{path, 120, "BotAI::UpdateAI"}}));
    EXPECT_EQ(rules(f), Rules{"bare_early_return"}) << path << "\n" << dump(f);
  }
  // A file that merely ends with the same letters is another file.
  auto f = find_masks(hunk(k_bot, 119, 119, {"     Foo();", "+    if (!target) return;"}),
                      context({{"/src/MyBotAI.cpp", 120, ""}}));
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(MaskGateEarlyReturn, AnUnknownCrashLineCoversTheWholeFile) {
  auto f = find_masks(hunk(k_bot, 900, 900, {"     Foo();", "+    if (!target) return;"}),
                      context({{k_bot, 0, "BotAI::UpdateAI"}}));
  EXPECT_EQ(rules(f), Rules{"bare_early_return"}) << dump(f);
}

TEST(MaskGateEarlyReturn, RealWorkIsNotABareReturn) {
  const std::vector<std::vector<std::string>> fine{
      {"+    if (!target)", "+        target = SelectNewTarget();"},
      {"+    if (target) return;"},
      {"+    if (!target) { ResetAI(); return; }"},
      {"+    if (count > 10) return;"},
      {"+    if (!target && !fallback) { target = fallback; }"},
      {"+    if (!target) { m_bot->Logout(); return; }"},
  };
  for (size_t i = 0; i < fine.size(); ++i) {
    std::vector<std::string> lines{"     Unit* target = GetTarget();"};
    lines.insert(lines.end(), fine[i].begin(), fine[i].end());
    auto f = find_masks(hunk(k_bot, 119, 119, lines), context());
    EXPECT_TRUE(f.empty()) << fine[i][0] << "\n" << dump(f);
  }
  // A removed early return is not an added one.
  auto removed =
      find_masks(hunk(k_bot, 119, 119, {"-    if (!target) return;", "     Foo();"}), context());
  EXPECT_TRUE(removed.empty()) << dump(removed);
}

TEST(MaskGateEarlyReturn, FindsTheIfAfterOtherCodeOnTheLine) {
  auto f = find_masks(hunk(k_bot, 119, 119,
                           {"+    Unit* target = GetTarget(); if (!target) return;",
                            "+    else if (!m_master) return;"}),
                      context());
  EXPECT_EQ(rules(f), (Rules{"bare_early_return", "bare_early_return"})) << dump(f);
  // Not an `if` statement: a function whose name ends in "if".
  auto g = find_masks(hunk(k_bot, 119, 119, {"+    remove_if(!target) return;"}), context());
  EXPECT_TRUE(g.empty()) << dump(g);
}

// ---- null_guard --------------------------------------------------------------------------------

TEST(MaskGateNullGuard, FlagsCrashingCodeMovedUnderAPresenceCheck) {
  const std::vector<std::vector<std::string>> masks{
      {"-    target->CastSpell(spell);", "+    if (target)", "+        target->CastSpell(spell);"},
      {"-    target->CastSpell(spell);", "+    if (target != nullptr)", "+    {",
       "+        target->CastSpell(spell);", "+    }"},
      {"-    me->GetMap()->Relocate(me);",
       "+    if (me && me->GetMap()) me->GetMap()->Relocate(me);"},
  };
  for (const auto& m : masks) {
    std::vector<std::string> lines{"     Unit* target = GetTarget();"};
    lines.insert(lines.end(), m.begin(), m.end());
    auto f = find_masks(hunk(k_bot, 119, 119, lines), context());
    ASSERT_EQ(rules(f), Rules{"null_guard"}) << m[1] << "\n" << dump(f);
    EXPECT_EQ(f[0].line, 120);
  }
}

TEST(MaskGateNullGuard, NewCodeAndDocumentedGuardsAreFine) {
  // New code written with a check is not a moved crash site.
  auto fresh = find_masks(
      hunk(k_bot, 119, 119,
           {"     Foo();", "+    if (Unit* pet = GetPet())", "+        pet->Follow(me);"}),
      context());
  EXPECT_TRUE(fresh.empty()) << dump(fresh);
  auto documented =
      find_masks(hunk(k_bot, 119, 119,
                      {"-    target->CastSpell(spell);",
                       "+    // Spells on a despawned target are dropped by design (see SpellMgr).",
                       "+    if (target)", "+        target->CastSpell(spell);"}),
                 context());
  EXPECT_TRUE(documented.empty()) << dump(documented);
  // A condition that is not a presence test (a state check) is ordinary logic.
  auto state = find_masks(
      hunk(k_bot, 119, 119,
           {"-    target->CastSpell(spell);", "+    if (target->IsAlive() && range < 30)",
            "+        target->CastSpell(spell);"}),
      context());
  EXPECT_TRUE(state.empty()) << dump(state);
}

// ---- catch_all ---------------------------------------------------------------------------------

TEST(MaskGateCatch, FlagsCatchAllThatSwallows) {
  const std::vector<std::vector<std::string>> masks{
      {"+    try { bot->Update(diff); } catch (...) {}"},
      {"+    try", "+    {", "+        bot->Update(diff);", "+    }", "+    catch( ... )", "+    {",
       "+    }"},
      {"+    } catch (...) {", "+        TC_LOG_ERROR(\"bots\", \"update failed\");", "+    }"},
  };
  for (const auto& m : masks) {
    auto f = find_masks(hunk(k_other, 10, 10, m), context());
    ASSERT_EQ(rules(f), Rules{"catch_all"}) << m[0] << "\n" << dump(f);
  }
}

TEST(MaskGateCatch, CatchAllThatRethrowsIsFine) {
  auto f = find_masks(hunk(k_other, 10, 10,
                           {"+    try { Load(); }", "+    catch (...)", "+    {",
                            "+        Rollback();", "+        throw;", "+    }"}),
                      context());
  EXPECT_TRUE(f.empty()) << dump(f);
  // Removing one is fine too.
  f = find_masks(hunk(k_other, 10, 10, {"-    catch (...) {}"}), context());
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(MaskGateCatch, FlagsStdExceptionCatchesThatDoNothing) {
  const std::vector<std::vector<std::string>> masks{
      {"+    catch (const std::exception&) { return; }"},
      {"+    catch (std::exception& e) {}"},
      {"+    catch (std::exception const& e)", "+    {", "+        return false;", "+    }"},
      {"+    catch (const std::out_of_range&) { return nullptr; }"},
      {"+    catch (exception&) { continue; }"},
  };
  for (const auto& m : masks) {
    auto f = find_masks(hunk(k_other, 10, 10, m), context());
    ASSERT_EQ(rules(f), Rules{"catch_all"}) << m[0] << "\n" << dump(f);
  }
}

TEST(MaskGateCatch, HandledExceptionsAreFine) {
  const std::vector<std::vector<std::string>> fine{
      {"+    catch (const std::exception& e)", "+    {",
       "+        TC_LOG_ERROR(\"sql\", \"bad row: {}\", e.what());", "+        return false;",
       "+    }"},
      {"+    catch (const std::exception& e) { m_lastError = e.what(); return false; }"},
      {"+    catch (const MyParseError&) { return false; }"},
  };
  for (const auto& m : fine) {
    auto f = find_masks(hunk(k_other, 10, 10, m), context());
    EXPECT_TRUE(f.empty()) << m[0] << "\n" << dump(f);
  }
}

// ---- test_deleted / test_weakened --------------------------------------------------------------

TEST(MaskGateTests, FlagsADeletedTestFile) {
  std::string d = "diff --git a/tests/unit/test_bot.cpp b/tests/unit/test_bot.cpp\n"
                  "deleted file mode 100644\n"
                  "--- a/tests/unit/test_bot.cpp\n"
                  "+++ /dev/null\n"
                  "@@ -1,3 +0,0 @@\n"
                  "-TEST(Bot, Moves) {\n"
                  "-  EXPECT_TRUE(Move());\n"
                  "-}\n";
  auto f = find_masks(d, context());
  ASSERT_EQ(rules(f), Rules{"test_deleted"}) << dump(f);
  EXPECT_EQ(f[0].file, "tests/unit/test_bot.cpp");
  // Deleting an ordinary source file is not a test deletion.
  std::string src = "diff --git a/src/old.cpp b/src/old.cpp\ndeleted file mode 100644\n"
                    "--- a/src/old.cpp\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-int old() { return 1; }\n";
  EXPECT_TRUE(find_masks(src, context()).empty());
}

TEST(MaskGateTests, FlagsARemovedTestCaseOnce) {
  auto f = find_masks(hunk("src/modules/Bots/tests/BotAITest.cpp", 20, 20,
                           {"     // movement", "-TEST_F(BotAITest, FollowsMaster)", "-{",
                            "-    ASSERT_TRUE(bot->Follow(master));",
                            "-    EXPECT_EQ(bot->GetDistance(master), 2.0f);", "-}", " "}),
                      context());
  EXPECT_EQ(rules(f), Rules{"test_deleted"}) << dump(f);
  for (std::string header : {"-TEST(A, B) {", "-BOOST_AUTO_TEST_CASE(moves)",
                             "-TEST_CASE(\"bot moves\", \"[bot]\")", "-TEST_P(Param, Case)"}) {
    EXPECT_EQ(rules(find_masks(hunk("tests/bot.cpp", 5, 5, {header, "-}"}), context())),
              Rules{"test_deleted"})
        << header;
  }
}

TEST(MaskGateTests, FlagsRemovedOrChangedExpectations) {
  auto f = find_masks(
      hunk("tests/unit/test_loot.cpp", 10, 10,
           {" TEST(Loot, Rolls) {", "-  EXPECT_EQ(Roll(seed), 3);", "+  EXPECT_EQ(Roll(seed), 4);",
            "-  REQUIRE(items.size() == 2);", "-  BOOST_CHECK(valid);", " }"}),
      context());
  EXPECT_EQ(rules(f), (Rules{"test_weakened", "test_weakened", "test_weakened"})) << dump(f);
}

TEST(MaskGateTests, ReformattedAndNewTestsAreFine) {
  auto f = find_masks(
      hunk("tests/unit/test_loot.cpp", 10, 10,
           {" TEST(Loot, Rolls) {", "-  EXPECT_EQ(Roll(seed),3);", "+  EXPECT_EQ(Roll(seed), 3);",
            " }", "+TEST(Loot, RollsTwice) {", "+  EXPECT_NE(Roll(1), Roll(2));", "+}"}),
      context());
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(MaskGateTests, FlagsDisabledAndSkippedTests) {
  auto disabled = find_masks(hunk("tests/unit/test_bot.cpp", 10, 10,
                                  {"-TEST(Bot, Moves) {", "+TEST(Bot, DISABLED_Moves) {"}),
                             context());
  EXPECT_EQ(rules(disabled), Rules{"test_weakened"}) << dump(disabled);
  auto skip = find_masks(
      hunk("tests/unit/test_bot.cpp", 10, 10,
           {" TEST(Bot, Moves) {", "+  GTEST_SKIP() << \"flaky\";", "   EXPECT_TRUE(Move());"}),
      context());
  EXPECT_EQ(rules(skip), Rules{"test_weakened"}) << dump(skip);
  auto hidden = find_masks(
      hunk("tests/bot_test.cpp", 10, 10,
           {"-TEST_CASE(\"bot moves\", \"[bot]\")", "+TEST_CASE(\"bot moves\", \"[bot][.]\")"}),
      context());
  EXPECT_EQ(rules(hidden), Rules{"test_weakened"}) << dump(hidden);
  // Renaming a test to another name is deleting one test and adding another.
  auto renamed = find_masks(
      hunk("tests/unit/test_bot.cpp", 10, 10, {"-TEST(Bot, Moves) {", "+TEST(Bot, Walks) {"}),
      context());
  EXPECT_EQ(rules(renamed), Rules{"test_deleted"}) << dump(renamed);
}

TEST(MaskGateTests, FlagsAReturnAtTheStartOfATestOnly) {
  auto f =
      find_masks(hunk("tests/unit/test_bot.cpp", 10, 10,
                      {" TEST(Bot, Moves)", " {", "+    return;", "     EXPECT_TRUE(Move());"}),
                 context());
  ASSERT_EQ(rules(f), Rules{"test_weakened"}) << dump(f);
  EXPECT_EQ(f[0].line, 12);
  auto same_line = find_masks(
      hunk("tests/unit/test_bot.cpp", 10, 10, {" TEST(Bot, Moves) {", "+  return;", "   Foo();"}),
      context());
  EXPECT_EQ(rules(same_line), Rules{"test_weakened"}) << dump(same_line);
  // A helper's early return in the middle of a test file is not a skipped test.
  auto helper = find_masks(
      hunk("tests/unit/test_bot.cpp", 10, 10,
           {" static void Setup(Bot* b) {", "   if (b->Ready())", "+    return;", "   b->Init();"}),
      context());
  EXPECT_TRUE(helper.empty()) << dump(helper);
}

TEST(MaskGateTests, FlagsARemovedTestRegistration) {
  auto f = find_masks(
      hunk("tests/CMakeLists.txt", 5, 5,
           {" add_executable(bot_tests bot.cpp)", "-add_test(NAME bot COMMAND bot_tests)"}),
      context());
  EXPECT_EQ(rules(f), Rules{"test_weakened"}) << dump(f);
}

TEST(MaskGateTests, TestFilesMayInstallHandlersAndCatch) {
  auto f = find_masks(hunk("tests/unit/test_crash.cpp", 5, 5,
                           {"+  signal(SIGSEGV, OnSegv);", "+  try { Run(); } catch (...) {}"}),
                      context());
  EXPECT_TRUE(f.empty()) << dump(f);
}

// ---- whole patches -----------------------------------------------------------------------------

TEST(MaskGate, ARealFixPassesAndAMaskingPatchIsCaughtByEveryRuleItBreaks) {
  // The fix: the bot re-acquires its master instead of keeping a dangling pointer.
  std::string fix =
      hunk(k_bot, 116, 116,
           {"     if (m_followTimer.Passed())", "     {", "-        Player* master = m_master;",
            "+        Player* master = ObjectAccessor::FindPlayer(m_masterGuid);",
            "+        ASSERT(master == nullptr || master->IsInWorld());",
            "         MoveTo(master);", "     }"});
  auto ok = find_masks(fix, context());
  EXPECT_TRUE(ok.empty()) << dump(ok);
  EXPECT_FALSE(fix::masked(ok));

  std::string mask =
      hunk(k_bot, 116, 116,
           {"     if (m_followTimer.Passed())", "     {", "         Player* master = m_master;",
            "-        ASSERT(master);", "+        if (!master)", "+            return;",
            "         MoveTo(master);", "     }"}) +
      hunk("src/server/worldserver/Main.cpp", 50, 50,
           {"     InitLogging();", "+    signal(SIGSEGV, [](int) { _exit(0); });"}) +
      hunk("tests/unit/test_bot_follow.cpp", 30, 30,
           {" TEST(BotFollow, MasterLogsOut) {", "-  EXPECT_DEATH(bot->Update(1), \"master\");",
            " }"});
  auto f = find_masks(mask, context());
  EXPECT_TRUE(fix::masked(f));
  EXPECT_EQ(rules(f),
            (Rules{"assert_weakened", "bare_early_return", "signal_handler", "test_weakened"}))
      << dump(f);
  auto j = fix::to_json(f);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 4u);
  for (const auto& e : j) {
    for (const char* key : {"rule", "file", "line", "text", "why"}) {
      EXPECT_TRUE(e.contains(key)) << key;
    }
  }
}

TEST(MaskGate, EmptyAndMalformedDiffsFindNothing) {
  EXPECT_TRUE(find_masks("", context()).empty());
  EXPECT_TRUE(find_masks("not a diff at all\n+signal(SIGSEGV, h);\n", context()).empty());
  EXPECT_TRUE(find_masks("@@ -1,1 +1,1 @@\n+signal(SIGSEGV, h);\n", context()).empty());
}

// Responses may carry megabytes of diff; the gate must stay linear. (Before the lookups were
// indexed, this diff took 28 s.)
TEST(MaskGate, LargeDiffsStayFast) {
  const int n = 20000;
  std::vector<std::string> lines;
  for (int i = 0; i < n; ++i) {
    lines.push_back(i % 2 ? "-    ASSERT(p" + std::to_string(i) + " && q);"
                          : "+    if (!p" + std::to_string(i) + ") return; // x");
  }
  auto start = std::chrono::steady_clock::now();
  auto f = find_masks(hunk(k_bot, 1, 1, lines), context({{k_bot, 0, ""}}));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(f.size(), static_cast<size_t>(n));
  EXPECT_LT(took, std::chrono::seconds(10));
}
