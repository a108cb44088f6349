// SPDX-License-Identifier: MIT
#include <util/utf8.hpp>

#include <gtest/gtest.h>

using namespace crashpilot::util;

TEST(Utf8, ValidAndInvalid) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xE5\x87\xBA\xE7\x8E\xB0")); // 出现
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));                 // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));             // surrogate
  EXPECT_FALSE(is_valid_utf8("abc\xE5\x87"));              // cut sequence
}

TEST(Utf8, SanitizeReplacesBadBytes) {
  EXPECT_EQ(sanitize_utf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize_utf8("ok"), "ok");
  EXPECT_TRUE(is_valid_utf8(sanitize_utf8("\x80\x80\xC3")));
}

TEST(Utf8, LooksBinary) {
  EXPECT_TRUE(looks_binary(std::string("ELF\0\0\0", 6)));
  EXPECT_FALSE(looks_binary("Exception code: C0000005\r\n"));
  EXPECT_FALSE(looks_binary(""));
}
