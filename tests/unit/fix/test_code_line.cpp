// SPDX-License-Identifier: MIT
#include <fix/code_line.hpp>
#include <gtest/gtest.h>

using namespace crashpilot::fix;

namespace {
CodeLine split(std::string_view line, Lang lang = Lang::cpp) {
  bool block = false;
  return split_code(line, block, lang);
}
} // namespace

TEST(CodeLine, SeparatesCodeCommentsAndLiterals) {
  auto l = split(R"(  LOG("assert(x) // not a comment", 'x'); // real comment)");
  EXPECT_EQ(l.code, R"(  LOG("", ''); )");
  EXPECT_EQ(l.comment, "real comment");
  EXPECT_EQ(l.text, R"(  LOG("assert(x) // not a comment", 'x'); )");
  auto esc = split(R"(s = "a\"b"; t = 1'000'000; u = u8"x"; r = R"d(a"b)d"; // c)");
  EXPECT_EQ(esc.code, R"(s = ""; t = 1'000'000; u = u8""; r = R""; )");
  EXPECT_EQ(esc.comment, "c");
}

TEST(CodeLine, CarriesBlockCommentsAcrossLines) {
  bool block = false;
  auto a = split_code("x = 1; /* start", block);
  EXPECT_TRUE(block);
  EXPECT_EQ(a.code, "x = 1; ");
  EXPECT_EQ(a.comment, "start");
  auto b = split_code("  ASSERT(p); still comment", block);
  EXPECT_TRUE(block);
  EXPECT_EQ(b.code, "");
  auto c = split_code("end */ y = 2;", block);
  EXPECT_FALSE(block);
  EXPECT_EQ(c.code, "  y = 2;");
  EXPECT_EQ(c.comment, "end");
}

TEST(CodeLine, CMakeCommentsStartWithHash) {
  auto l = split("add_definitions(-DFOO) # -DNDEBUG later", Lang::cmake);
  EXPECT_EQ(l.code, "add_definitions(-DFOO) ");
  EXPECT_EQ(l.comment, "-DNDEBUG later");
}

TEST(CodeLine, FindsCallsOnIdentifierBoundaries) {
  EXPECT_EQ(find_call("ASSERT(x)", "ASSERT"), 6u);
  EXPECT_EQ(find_call("ASSERT  (x)", "ASSERT"), 8u);
  EXPECT_EQ(find_call("WPASSERT(x)", "ASSERT"), std::string_view::npos);
  EXPECT_EQ(find_call("ASSERT_TRUE(x)", "ASSERT"), std::string_view::npos);
  EXPECT_EQ(find_call("DCHECK(x); CHECK(y)", "CHECK"), 16u);
  EXPECT_EQ(find_call("ASSERT;", "ASSERT"), std::string_view::npos);
}

TEST(CodeLine, MatchesParenthesesAndSplitsAtTopLevel) {
  EXPECT_EQ(*paren_contents("(a(b), c) + d", 0), "a(b), c");
  EXPECT_FALSE(paren_contents("(a(b", 0));
  auto parts = split_top("f(a, b), g[1, 2], {3, 4}, x", ",");
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0], "f(a, b)");
  EXPECT_EQ(parts[3], "x");
  auto ors = split_top("!a || (b || c) ||true", "||");
  ASSERT_EQ(ors.size(), 3u);
  EXPECT_EQ(ors[2], "true");
  EXPECT_EQ(strip_parens(" ((a && b)) "), "a && b");
  EXPECT_EQ(strip_parens("(a) && (b)"), "(a) && (b)");
  EXPECT_EQ(squeeze(" a &&\tb "), "a&&b");
  auto ids = identifiers("p->x == 0x1F && !q_2");
  EXPECT_EQ(ids, (std::vector<std::string>{"p", "x", "q_2"}));
}
