// SPDX-License-Identifier: MIT
// The multi-literal prefilter and the tagged matcher agree with plain RE2 on every line.
#include <gtest/gtest.h>
#include <logs/literals.hpp>
#include <logs/matcher.hpp>
#include <re2/re2.h>

#include <random>

namespace {

using namespace crashpilot::logs;

std::vector<std::pair<size_t, uint32_t>> brute_force(std::string_view text,
                                                     const std::vector<std::string>& literals) {
  std::vector<std::pair<size_t, uint32_t>> out;
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  for (size_t i = 0; i < text.size(); ++i) {
    for (uint32_t k = 0; k < literals.size(); ++k) {
      const std::string& l = literals[k];
      if (l.empty() || i + l.size() > text.size()) {
        continue;
      }
      bool same = true;
      for (size_t j = 0; j < l.size() && same; ++j) {
        same = lower(text[i + j]) == lower(l[j]);
      }
      if (same) {
        out.emplace_back(i, k);
      }
    }
  }
  return out;
}

std::vector<std::pair<size_t, uint32_t>> found(const LiteralSet& set, std::string_view text) {
  std::vector<LiteralSet::Hit> hits;
  set.find(text, hits);
  std::vector<std::pair<size_t, uint32_t>> out;
  for (const auto& h : hits) {
    out.emplace_back(h.position, h.literal);
  }
  return out;
}

TEST(LiteralSet, FindsEveryOccurrenceInAnyCase) {
  std::vector<std::string> lits = {"[error]", "warn", "world thread hangs", "err"};
  LiteralSet set(lits);
  std::string text = "INFO [sql.sql] [ERROR]: x WARN y Warning World Thread Hangs [error]";
  EXPECT_EQ(found(set, text), brute_force(text, lits));
  EXPECT_FALSE(found(set, text).empty());
}

TEST(LiteralSet, MatchesBruteForceOnRandomText) {
  // Many literals (more than the eight buckets), short ones, non-ASCII bytes, text lengths around
  // the 32-byte blocks of the vector kernel.
  std::vector<std::string> lits = {
      "ab",  "abc", "xyz]", "\xE2\x9A\xA0", "qq",  "zz:",      "a[b",  "ba", "cab",
      "[e]", "e]:", "bb",   "ccc",          "aaa", "\xFF\x01", "b\na", "z"};
  LiteralSet set(lits);
  std::mt19937 rng(42);
  const std::string alphabet = "abcABCxyzXYZ[]:e\n \xE2\x9A\xA0\xFF\x01qQ";
  for (int round = 0; round < 300; ++round) {
    std::string text;
    size_t n = rng() % 200;
    for (size_t i = 0; i < n; ++i) {
      text += alphabet[rng() % alphabet.size()];
    }
    ASSERT_EQ(found(set, text), brute_force(text, lits)) << "round " << round;
  }
}

TEST(LiteralSet, EmptySetAndEmptyLiterals) {
  LiteralSet none;
  EXPECT_TRUE(found(none, "anything").empty());
  LiteralSet blank(std::vector<std::string>{""});
  EXPECT_TRUE(blank.empty());
  EXPECT_TRUE(found(blank, "anything").empty());
}

TEST(Matcher, AgreesWithRe2OnEveryLine) {
  std::vector<std::string> regexes = {
      "\\[ERROR\\]",            // plain literal
      "(?i)world thread hangs", // case-blind literal
      "Assertion .+ failed",    // atoms
      "\\bERR(OR)?:",           // atoms with alternatives
      "\\d{3} ms",              // no usable atom: runs on every line
      "Straße",                 // cased non-ASCII atom
      "⚠",                      // symbol: searched as bytes
  };
  std::vector<TaggedPattern> tagged;
  for (size_t i = 0; i < regexes.size(); ++i) {
    tagged.push_back({regexes[i], 1u << i, "k"});
  }
  auto m = Matcher::compile(tagged);
  ASSERT_TRUE(m) << m.error();
  std::vector<std::string> lines = {
      "2026-11-24_03:15:02 INFO  [sql.sql] [ERROR]: x",
      "2026-11-24_03:15:02 INFO  [sql.sql] [error]: x",
      "WORLD THREAD HANGS for 60034 ms",
      "a.out: x.c:1: main: Assertion `p' failed.",
      "ERR: short",
      "ERROR: long",
      "took 250 ms",
      "STRASSE Straße",
      "⚠️ Strategy 'rest'",
      "nothing at all",
      "",
  };
  // One block, as the follower scans it, and each line alone.
  std::string block;
  std::vector<size_t> offsets;
  for (const auto& l : lines) {
    offsets.push_back(block.size());
    block += l + "\n";
  }
  std::vector<LiteralSet::Hit> hits;
  m->scan(block, hits);
  for (size_t i = 0; i < lines.size(); ++i) {
    unsigned expected = 0;
    for (size_t k = 0; k < regexes.size(); ++k) {
      if (RE2::PartialMatch(lines[i], RE2(regexes[k]))) {
        expected |= 1u << k;
      }
    }
    std::vector<LiteralSet::Hit> mine;
    for (const auto& h : hits) {
      if (h.position >= offsets[i] && h.position < offsets[i] + lines[i].size()) {
        mine.push_back(h);
      }
    }
    EXPECT_EQ(m->tags(lines[i], offsets[i], mine), expected) << lines[i];
    EXPECT_EQ(m->tags(lines[i]), expected) << lines[i];
  }
}

TEST(Matcher, EmptyPatternsAreSkipped) {
  auto m = Matcher::compile({{"", 1, "a"}, {"", 2, "b"}});
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->empty());
  EXPECT_EQ(m->tags("anything"), 0u);
}

} // namespace
