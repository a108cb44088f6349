// SPDX-License-Identifier: MIT
#include <fix/fix_options.hpp>
#include <fix/risk.hpp>
#include <gtest/gtest.h>

#include <algorithm>

using namespace crashpilot;
using fix::Risk;

namespace {

queue::Policy tc_policy() {
  queue::Policy p;
  p.allowed_paths = {"src/modules/**", "src/server/game/**", "src/server/scripts/**"};
  p.forbidden_paths = {".git/**", "dep/**", "src/server/shared/**"};
  p.max_files = 5;
  p.max_changed_lines = 300;
  return p;
}

queue::DiffSummary diff(std::vector<std::pair<std::string, int64_t>> files) {
  queue::DiffSummary d;
  for (auto& [path, lines] : files) {
    queue::DiffFile f;
    f.old_path = f.new_path = path;
    f.added = lines;
    d.files.push_back(f);
    d.added += lines;
  }
  return d;
}

bool mentions(const fix::Assessment& a, const std::string& what) {
  return std::any_of(a.reasons.begin(), a.reasons.end(),
                     [&](const std::string& r) { return r.find(what) != std::string::npos; });
}

fix::FixOptions options(std::optional<Risk> approval = Risk::high) {
  fix::FixOptions o;
  o.approval_risk = approval;
  return o;
}

} // namespace

TEST(Risk, SmallModulePatchIsLow) {
  auto a = fix::assess(tc_policy(), options(), diff({{"src/modules/Bots/BotAI.cpp", 12}}), {});
  EXPECT_EQ(a.risk, Risk::low);
  EXPECT_EQ(a.level, 1);
  EXPECT_FALSE(a.needs_approval);
  EXPECT_TRUE(a.reasons.empty());
}

TEST(Risk, LevelTwoOrSizeMakesMedium) {
  auto game =
      fix::assess(tc_policy(), options(), diff({{"src/server/game/Spells/Spell.cpp", 5}}), {});
  EXPECT_EQ(game.risk, Risk::medium);
  EXPECT_EQ(game.level, 2);
  EXPECT_TRUE(mentions(game, "level 2"));
  auto big = fix::assess(tc_policy(), options(), diff({{"src/modules/Bots/BotAI.cpp", 31}}), {});
  EXPECT_EQ(big.risk, Risk::medium);
  auto three = fix::assess(
      tc_policy(), options(),
      diff({{"src/modules/a.cpp", 1}, {"src/modules/b.cpp", 1}, {"src/modules/c.cpp", 1}}), {});
  EXPECT_EQ(three.risk, Risk::medium);
  EXPECT_FALSE(three.needs_approval); // medium < approval_risk high
}

TEST(Risk, HighForLevelThreeBigPatchesHeadersAndMasks) {
  auto scripts =
      fix::assess(tc_policy(), options(), diff({{"src/server/scripts/boss.cpp", 3}}), {});
  EXPECT_EQ(scripts.risk, Risk::high);
  EXPECT_EQ(scripts.level, 3);
  EXPECT_TRUE(scripts.needs_approval);
  auto huge = fix::assess(tc_policy(), options(), diff({{"src/modules/Bots/BotAI.cpp", 101}}), {});
  EXPECT_EQ(huge.risk, Risk::high);
  auto header = fix::assess(tc_policy(), options(), diff({{"src/modules/Bots/BotAI.h", 2}}), {});
  EXPECT_EQ(header.risk, Risk::high);
  EXPECT_TRUE(mentions(header, "header"));
  fix::MaskFinding m{"catch_all", "src/modules/Bots/BotAI.cpp", 3, "catch (...) {}", "why"};
  auto masked = fix::assess(tc_policy(), options(std::nullopt),
                            diff({{"src/modules/Bots/BotAI.cpp", 2}}), {m});
  EXPECT_EQ(masked.risk, Risk::high);
  EXPECT_TRUE(masked.needs_approval); // even with approval_risk = none
  EXPECT_TRUE(mentions(masked, "catch_all"));
}

TEST(Risk, ApprovalThreshold) {
  auto d = diff({{"src/server/game/Spells/Spell.cpp", 5}}); // medium
  EXPECT_TRUE(fix::assess(tc_policy(), options(Risk::low), d, {}).needs_approval);
  EXPECT_TRUE(fix::assess(tc_policy(), options(Risk::medium), d, {}).needs_approval);
  EXPECT_FALSE(fix::assess(tc_policy(), options(Risk::high), d, {}).needs_approval);
  EXPECT_FALSE(fix::assess(tc_policy(), options(std::nullopt), d, {}).needs_approval);
  auto low = diff({{"src/modules/x.cpp", 1}});
  EXPECT_TRUE(fix::assess(tc_policy(), options(Risk::low), low, {}).needs_approval);
}

TEST(Risk, PolicyViolationsNeedApprovalAsDefenceInDepth) {
  auto forbidden = fix::assess(tc_policy(), options(std::nullopt),
                               diff({{"src/server/shared/Util.cpp", 1}}), {});
  EXPECT_TRUE(forbidden.needs_approval);
  EXPECT_EQ(forbidden.risk, Risk::high);
  EXPECT_TRUE(mentions(forbidden, "forbidden"));
  auto outside = fix::assess(tc_policy(), options(std::nullopt), diff({{"README.md", 1}}), {});
  EXPECT_TRUE(outside.needs_approval);
  EXPECT_TRUE(mentions(outside, "outside the allowed paths"));
  std::vector<std::pair<std::string, int64_t>> six;
  for (int i = 0; i < 6; ++i) {
    six.push_back({"src/modules/f" + std::to_string(i) + ".cpp", 1});
  }
  auto many = fix::assess(tc_policy(), options(std::nullopt), diff(six), {});
  EXPECT_TRUE(many.needs_approval);
  EXPECT_TRUE(mentions(many, "6 files, the policy allows 5"));
  auto lines =
      fix::assess(tc_policy(), options(std::nullopt), diff({{"src/modules/a.cpp", 301}}), {});
  EXPECT_TRUE(mentions(lines, "301 changed lines, the policy allows 300"));
  auto d = diff({{"src/modules/a.cpp", 1}});
  d.files[0].binary = true;
  EXPECT_TRUE(fix::assess(tc_policy(), options(std::nullopt), d, {}).needs_approval);
  EXPECT_TRUE(
      fix::assess(tc_policy(), options(std::nullopt), queue::DiffSummary{}, {}).needs_approval);
}

TEST(Risk, NoHierarchyIsLevelZero) {
  queue::Policy p;
  auto a = fix::assess(p, options(), diff({{"anything/at/all.cpp", 4}}), {});
  EXPECT_EQ(a.level, 0);
  EXPECT_EQ(a.risk, Risk::low);
  EXPECT_FALSE(a.needs_approval);
}

TEST(Risk, Strings) {
  EXPECT_EQ(fix::to_string(Risk::medium), "medium");
  EXPECT_EQ(fix::risk_from_string("high"), Risk::high);
  EXPECT_FALSE(fix::risk_from_string("none"));
  EXPECT_FALSE(fix::risk_from_string("High"));
  auto j = fix::to_json(fix::assess(tc_policy(), options(), diff({{"src/modules/x.h", 1}}), {}));
  EXPECT_EQ(j["risk"], "high");
  EXPECT_EQ(j["level"], 1);
  EXPECT_EQ(j["needs_approval"], true);
  EXPECT_TRUE(j["reasons"].is_array());
}
