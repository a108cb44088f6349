// SPDX-License-Identifier: MIT
#include "triage_test_util.hpp"

#include <triage/classify.hpp>
#include <triage/signature.hpp>
#include <triage/triage.hpp>

using namespace crashpilot;
using namespace crashpilot::triage;
using triage::testing::crash_with;
using triage::testing::rules;

namespace {
model::Crash build_a() {
  return crash_with(model::Kind::signal, {{"raise"},
                                          {"Spell::HandleMoveTeleportAck(WorldPacket&)", "/home/a/TrinityCore/src/server/game/Spells/Spell.cpp", 603},
                                          {"WorldSession::Update(unsigned int)", "/home/a/TrinityCore/src/server/game/Server/WorldSession.cpp", 410},
                                          {"World::UpdateSessions(unsigned int)", "/home/a/TrinityCore/src/server/game/World/World.cpp", 2900}});
}
// The same bug in another build: other paths, addresses, a few lines of drift, template noise.
model::Crash build_b() {
  return crash_with(model::Kind::signal, {{"__GI_raise"},
                                          {"Spell::HandleMoveTeleportAck(WorldPacket&) [clone .cold]", "D:\\build\\tc\\src\\server\\game\\Spells\\Spell.cpp", 611},
                                          {"WorldSession::Update(unsigned int)", "D:\\build\\tc\\src\\server\\game\\Server\\WorldSession.cpp", 402},
                                          {"World::UpdateSessions(unsigned int)", "D:\\build\\tc\\src\\server\\game\\World\\World.cpp", 2931}});
}
} // namespace

TEST(TriageSignature, SameBugTwoBuildsSameSignature) {
  auto a = build_a();
  auto b = build_b();
  triage::triage(a, rules());
  triage::triage(b, rules());
  EXPECT_EQ(a.signature.id, b.signature.id);
  EXPECT_EQ(a.signature.id.size(), 12u);
  EXPECT_EQ(a.signature.frames, (std::vector<std::string>{"Spell::HandleMoveTeleportAck", "WorldSession::Update", "World::UpdateSessions"}));
  EXPECT_EQ(a.crash_id, a.signature.id);
}

TEST(TriageSignature, DifferentBugDifferentSignatureButNear) {
  auto a = build_a();
  auto c = crash_with(model::Kind::signal, {{"Spell::cancel()", "Spell.cpp", 10},
                                            {"WorldSession::Update(unsigned int)", "WorldSession.cpp", 410},
                                            {"World::UpdateSessions(unsigned int)", "World.cpp", 2900}});
  triage::triage(a, rules());
  triage::triage(c, rules());
  EXPECT_NE(a.signature.id, c.signature.id);
  EXPECT_TRUE(is_near(a.signature, c.signature, 0.8)); // two frames in common
  auto d = crash_with(model::Kind::signal, {{"Guild::Save()"}, {"Guild::Update()"}, {"GuildMgr::Update()"}});
  triage::triage(d, rules());
  EXPECT_FALSE(is_near(a.signature, d.signature, 0.8));
  EXPECT_LT(similarity(a.signature, d.signature), 0.5);
  auto e = build_a();
  e.kind = model::Kind::abort;
  triage::triage(e, rules());
  EXPECT_EQ(similarity(a.signature, e.signature), 0.0); // kinds differ
}

TEST(TriageSignature, AssertionSiteAgreesAcrossCompilers) {
  // GCC prints __FUNCTION__ unqualified, MSVC qualified; paths and lines differ between forks.
  auto gcc = crash_with(model::Kind::assertion, {});
  gcc.assertion = model::Assertion{"/home/t/src/server/game/Entities/Object/Object.h", 392, "GetMap", "m_currMap", "x"};
  auto msvc = crash_with(model::Kind::assertion, {});
  msvc.assertion = model::Assertion{"D:\\AC\\src\\server\\game\\Entities\\Object\\Object.h", 523, "WorldObject::GetMap", "m_currMap", "y"};
  triage::triage(gcc, rules());
  triage::triage(msvc, rules());
  EXPECT_EQ(gcc.signature.id, msvc.signature.id);
  EXPECT_EQ(gcc.crash_category, "ASSERTION");
}

TEST(TriageSignature, NoFramesFallsBackToCodeAndMessage) {
  model::Crash a;
  a.kind = model::Kind::freeze;
  a.error_message = "World Thread hangs for 60012 ms, forcing a crash!";
  model::Crash b = a;
  b.error_message = "World Thread hangs for 61200 ms, forcing a crash!";
  triage::triage(a, rules());
  triage::triage(b, rules());
  EXPECT_EQ(a.signature.id, b.signature.id); // numbers normalized
  EXPECT_EQ(a.crash_category, "FREEZE");
}

TEST(TriageClassify, CategoriesFromFacts) {
  auto nul = build_a();
  nul.exception_code = "SIGSEGV";
  nul.fault_address = 0x18;
  triage::triage(nul, rules());
  EXPECT_EQ(nul.crash_category, "NULL_DEREF");
  EXPECT_NE(nul.root_cause_hypothesis.find("0x18"), std::string::npos);
  EXPECT_NE(nul.root_cause_hypothesis.find("Spell::HandleMoveTeleportAck"), std::string::npos);
  EXPECT_NE(nul.root_cause_hypothesis.find("WorldSession::Update"), std::string::npos); // the caller

  auto far = build_a();
  far.exception_code = "SIGSEGV";
  far.fault_address = 0x7f12345678;
  triage::triage(far, rules());
  EXPECT_EQ(far.crash_category, "INVALID_MEMORY_ACCESS");

  auto uaf = build_a();
  uaf.kind = model::Kind::sanitizer;
  uaf.exception_code = "heap-use-after-free";
  model::Thread freed;
  freed.role = "freed";
  model::Frame op;
  op.function = "operator delete(void*)";
  model::Frame site;
  site.function = "Unit::RemoveFromWorld()";
  freed.frames = {op, site};
  uaf.threads.push_back(freed);
  triage::triage(uaf, rules());
  EXPECT_EQ(uaf.crash_category, "USE_AFTER_FREE");
  EXPECT_EQ(uaf.severity, "CRITICAL");
  EXPECT_NE(uaf.root_cause_hypothesis.find("freed in `Unit::RemoveFromWorld`"), std::string::npos);

  auto dddd = build_a();
  dddd.kind = model::Kind::exception;
  dddd.exception_code = "0xC0000005";
  dddd.error_message = "ACCESS_VIOLATION; registers hold debug-heap fill DDDDDDDD";
  triage::triage(dddd, rules());
  EXPECT_EQ(dddd.crash_category, "USE_AFTER_FREE");

  auto this_null = build_a();
  this_null.threads[0].frames[1].arguments = "this=0x0, packet=...";
  triage::triage(this_null, rules());
  EXPECT_EQ(this_null.crash_category, "NULL_DEREF");
  EXPECT_NE(this_null.root_cause_hypothesis.find("Null `this`"), std::string::npos);
}

TEST(TriageClassify, DeadlockFromLockWaiters) {
  auto c = crash_with(model::Kind::freeze, {{"FreezeDetector::Handler(std::weak_ptr<FreezeDetector>, boost::system::error_code const&)"}});
  model::Thread world;
  world.id = "2";
  model::Frame w;
  w.function = "__lll_lock_wait";
  model::Frame u;
  u.function = "Map::Update(unsigned int)";
  world.frames = {w, u};
  c.threads.push_back(world);
  triage::triage(c, rules());
  EXPECT_EQ(c.crash_category, "DEADLOCK");
  EXPECT_NE(c.root_cause_hypothesis.find("thread 2 in `Map::Update`"), std::string::npos);
}

TEST(TriageBot, OnlyTheCrashingPathCounts) {
  auto core = build_a();
  model::Thread idle; // a bot thread that merely runs elsewhere must not make the crash bot-related
  model::Frame f;
  f.function = "PlayerbotAI::UpdateAI(unsigned int)";
  idle.frames = {f};
  core.threads.push_back(idle);
  triage::triage(core, rules());
  EXPECT_FALSE(core.is_bot_related);

  auto bot = crash_with(model::Kind::signal, {{"Object::GetGuidValue(unsigned short) const", "Object.cpp", 339},
                                              {"ChatHelper::FormatWorldobject(WorldObject*)", "C:\\ac\\modules\\mod-playerbots\\src\\ChatHelper.cpp", 340}});
  triage::triage(bot, rules());
  EXPECT_TRUE(bot.is_bot_related);
  ASSERT_FALSE(bot.bot_evidence.empty());
  EXPECT_NE(bot.bot_evidence.front().find("mod-playerbots"), std::string::npos);

  auto generic = bot;
  triage::triage(generic, rules("generic"));
  EXPECT_FALSE(generic.is_bot_related); // the generic preset has no bot rules
}

TEST(TriageRules, BrokenPatternIsNamed) {
  config::LoadOptions o;
  o.search_default_file = false;
  o.overrides = {"triage.skip_functions=['(unclosed']"};
  auto c = config::Config::load(o);
  ASSERT_TRUE(c);
  auto r = Rules::from_config(*c);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("triage.skip_functions[0]"), std::string::npos) << r.error();
}
