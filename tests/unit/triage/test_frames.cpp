// SPDX-License-Identifier: MIT
#include "triage_test_util.hpp"

#include <triage/frames.hpp>

using namespace crashpilot;
using namespace crashpilot::triage;
using triage::testing::crash_with;
using triage::testing::rules;

TEST(TriageNormalize, FunctionNames) {
  EXPECT_EQ(normalize_function("Map::Update(unsigned int)"), "Map::Update");
  EXPECT_EQ(normalize_function("DBCStorage<MapEntry>::LookupEntry(unsigned int) const"), "DBCStorage::LookupEntry");
  EXPECT_EQ(normalize_function("std::_Rb_tree<int, std::pair<int const, int> >::find(int const&)"), "std::_Rb_tree::find");
  EXPECT_EQ(normalize_function("(anonymous namespace)::Worker::run()"), "Worker::run");
  EXPECT_EQ(normalize_function("non-virtual thunk to Foo::bar()"), "Foo::bar");
  EXPECT_EQ(normalize_function("Foo::baz() [clone .cold]"), "Foo::baz");
  EXPECT_EQ(normalize_function("void __cdecl Foo::qux(int)"), "Foo::qux");
  EXPECT_EQ(normalize_function("TRoom::operator+=(TThing&)"), "TRoom::operator+=");
  EXPECT_EQ(normalize_function("bool operator<(A const&, A const&)"), "operator<");
  EXPECT_EQ(normalize_function("?Update@Creature@@UEAAXII@Z"), "Creature::Update");
  EXPECT_EQ(normalize_function("??1BotAI@Playerbot@@UEAA@XZ"), "Playerbot::BotAI::~BotAI");
  EXPECT_EQ(normalize_function("std::__cxx11::basic_string<char>::_M_dispose[abi:cxx11]()"),
            "std::__cxx11::basic_string::_M_dispose");
  EXPECT_EQ(unqualified("Movement::MoveSpline::ComputePosition"), "ComputePosition");
  EXPECT_EQ(unqualified("Foo<a::b>::bar"), "bar");
}

TEST(TriageNormalize, ShortenPath) {
  const auto& m = rules().root_markers;
  EXPECT_EQ(shorten_path("/root/Azerothcore/src/server/game/Maps/Map.h", m), "src/server/game/Maps/Map.h");
  EXPECT_EQ(shorten_path("D:\\Program Files (x86)\\trinity\\src\\server\\game\\Item.cpp", m),
            "src/server/game/Item.cpp");
  EXPECT_EQ(shorten_path("C:\\build\\azerothcore\\modules\\mod-playerbots\\src\\ChatHelper.cpp", m),
            "modules/mod-playerbots/src/ChatHelper.cpp");
  EXPECT_EQ(shorten_path("/home/regehr/alive2/ir/function.h", m), "alive2/ir/function.h");
  EXPECT_EQ(shorten_path("Map.cpp", m), "Map.cpp");
}

TEST(TriageMeaningful, SkipsRuntimeAndAssertHelpers) {
  auto c = crash_with(model::Kind::abort, {{"__pthread_kill_implementation", "", 0, "/lib/x86_64-linux-gnu/libc.so.6"},
                                           {"raise"},
                                           {"abort"},
                                           {"Trinity::Abort(char const*, int, char const*)", "/src/common/Debugging/Errors.cpp", 155},
                                           {"Player::StopCastingCharm()", "/home/x/src/server/game/Entities/Player/Player.cpp", 18840},
                                           {"Player::RemoveFromWorld()"}});
  auto m = find_meaningful_frame(c, rules());
  EXPECT_EQ(m.index, 4);
  EXPECT_EQ(m.function, "Player::StopCastingCharm");
  EXPECT_EQ(m.location, "src/server/game/Entities/Player/Player.cpp:18840");
}

TEST(TriageMeaningful, StepsOverAccessorsWhenACallerFollows) {
  auto c = crash_with(model::Kind::exception,
                      {{"Object::GetUInt64Value", "d:\\core\\src\\game\\object.h", 192},
                       {"Object::GetGuidValue", "d:\\core\\src\\game\\object.h", 216},
                       {"ThreatContainer::getReferenceByTarget", "d:\\core\\src\\game\\threatmanager.cpp", 225}});
  auto m = find_meaningful_frame(c, rules());
  EXPECT_EQ(m.function, "ThreatContainer::getReferenceByTarget");
  // Alone, an accessor is still the answer.
  auto lone = crash_with(model::Kind::exception, {{"Object::GetGuidValue", "object.h", 216}});
  EXPECT_EQ(find_meaningful_frame(lone, rules()).function, "Object::GetGuidValue");
}

TEST(TriageMeaningful, AssertionSiteWinsAndGetsQualified) {
  auto c = crash_with(model::Kind::assertion, {{"Trinity::Assert(char const*, int, char const*, char const*)"},
                                               {"WorldObject::GetMap() const", "/x/src/game/Object.h", 392},
                                               {"Unit::Update(unsigned int)"}});
  c.assertion = model::Assertion{"/home/t/src/server/game/Entities/Object/Object.h", 392, "GetMap", "m_currMap", ""};
  auto m = find_meaningful_frame(c, rules());
  EXPECT_TRUE(m.assertion_site);
  EXPECT_EQ(m.index, 1);
  EXPECT_EQ(m.function, "WorldObject::GetMap");
  EXPECT_EQ(m.location, "src/server/game/Entities/Object/Object.h:392");
}

TEST(TriageMeaningful, AssertNotNullHelperFallsBackToTheStack) {
  auto c = crash_with(model::Kind::assertion, {{"ASSERT_NOTNULL_IMPL<Creature>(Creature*, char const*)", "/src/common/Debugging/Errors.h", 81},
                                               {"BattlegroundAV::HandleKillUnit(Creature*, Player*)", "/src/server/game/BG/BattlegroundAV.cpp", 77}});
  c.assertion = model::Assertion{"/src/common/Debugging/Errors.h", 81, "ASSERT_NOTNULL_IMPL", "pointer", "GetBGCreature(AV_NPC_A)"};
  auto m = find_meaningful_frame(c, rules());
  EXPECT_FALSE(m.assertion_site);
  EXPECT_EQ(m.function, "BattlegroundAV::HandleKillUnit");
}

TEST(TriageMeaningful, UnsymbolizedFramesNameModuleAndOffset) {
  model::Crash c = crash_with(model::Kind::exception, {});
  model::Frame f;
  f.module = "C:\\srv\\worldserver.exe";
  f.offset = 0x2B067C;
  c.threads[0].frames.push_back(f);
  auto m = find_meaningful_frame(c, rules());
  EXPECT_EQ(m.function, "worldserver.exe+0x2b067c");
}
