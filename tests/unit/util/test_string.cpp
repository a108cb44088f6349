// SPDX-License-Identifier: MIT
#include <util/string.hpp>

#include <gtest/gtest.h>

using namespace crashpilot::util;

TEST(String, TrimAndSplit) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim(""), "");
  auto parts = split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(parts[2], "b");
}

TEST(String, ParseHex) {
  EXPECT_EQ(parse_hex("0x1f"), 0x1fu);
  EXPECT_EQ(parse_hex("00007FF65911FB20"), 0x00007FF65911FB20u);
  EXPECT_FALSE(parse_hex(""));
  EXPECT_FALSE(parse_hex("0x"));
  EXPECT_FALSE(parse_hex("12g"));
  EXPECT_FALSE(parse_hex("11112222333344445")); // 17 digits overflow
}

TEST(String, ParseInt) {
  EXPECT_EQ(parse_int("1061"), 1061);
  EXPECT_FALSE(parse_int("-3"));
  EXPECT_FALSE(parse_int("99999999999"));
  EXPECT_FALSE(parse_int("12a"));
}

TEST(String, CaseInsensitive) {
  EXPECT_TRUE(iequals("Src", "sRC"));
  EXPECT_TRUE(icontains("Hello PlayerBot", "playerbot"));
  EXPECT_FALSE(icontains("Hello", "world"));
}

TEST(String, ReplaceAllAndJoin) {
  EXPECT_EQ(replace_all("a\\b\\c", "\\", "/"), "a/b/c");
  EXPECT_EQ(join({"a", "b"}, ", "), "a, b");
  EXPECT_EQ(hex(255), "0xff");
}
