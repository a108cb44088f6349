// SPDX-License-Identifier: MIT
#include <parse/document.hpp>

#include <gtest/gtest.h>

using namespace crashpilot::parse;

TEST(Document, CrlfAndLineNumbers) {
  Document d("first\r\nsecond  \r\n\r\nfourth", 10);
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0], "first");
  EXPECT_EQ(d[1], "second");
  EXPECT_EQ(d[2], "");
  EXPECT_EQ(d.lines()[3].number, 13u);
}

TEST(Document, MarkdownArtefacts) {
  EXPECT_EQ(clean_markdown("> \\#0  0xb78d6430 in __kernel_vsyscall ()"), "#0  0xb78d6430 in __kernel_vsyscall ()");
  EXPECT_EQ(clean_markdown("**\\* Hardware ***"), "*** Hardware ***");
  EXPECT_EQ(clean_markdown(">> ASSERTION FAILED"), ">> ASSERTION FAILED"); // AzerothCore's title is content
  EXPECT_EQ(clean_markdown("> > nested"), "nested");
  EXPECT_EQ(clean_markdown("std::vector&lt;int&gt; &amp;"), "std::vector<int> &");
  EXPECT_EQ(clean_markdown("C:\\path\\_build\\x.cpp"), "C:\\path\\_build\\x.cpp"); // Windows paths untouched
  Document d("```\n#0 foo\n```\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0], "#0 foo");
}

TEST(Document, TimestampPrefixesAreRemoved) {
  Document d("2020-06-23_01:16:10 ERROR[server.worldserver] text\n"
             "2023-07-24 20:47:51 #0  0x1 in f ()\n"
             "[12:09:16] Call stack:\n"
             "Nov 24 12:00:01 host worldserver[123]: Exception code: C0000005\n"
             "00007FF65911FB20  000000F6ADBFF760  Map::Update+10C\n");
  EXPECT_EQ(d[0], "ERROR[server.worldserver] text");
  EXPECT_EQ(d[1], "#0  0x1 in f ()");
  EXPECT_EQ(d[2], "Call stack:");
  EXPECT_EQ(d[3], "Exception code: C0000005");
  EXPECT_EQ(d[4], "00007FF65911FB20  000000F6ADBFF760  Map::Update+10C");
  EXPECT_EQ(d.stripped_prefix(), "timestamp");
}

TEST(Document, DominantWrapperPrefixes) {
  Document docker("sneezy          | ==1==ERROR: AddressSanitizer\nsneezy          |     #0 0x1 in f a.cc:1\n"
                  "sneezy          | SUMMARY: x\n");
  EXPECT_EQ(docker.stripped_prefix(), "docker-compose");
  EXPECT_EQ(docker[1], "    #0 0x1 in f a.cc:1");
  Document ctest("714: #0 foo\n714: #1 bar\n714: #2 baz\n");
  EXPECT_EQ(ctest.stripped_prefix(), "ctest");
  EXPECT_EQ(ctest[2], "#2 baz");
  // A minority of "x | y" lines is content, not a wrapper.
  Document mixed("a | b\nline\nline\nline\n");
  EXPECT_EQ(mixed[0], "a | b");
}

TEST(Document, InvalidUtf8IsReplaced) {
  Document d("ok\xFF\xFE line\n");
  EXPECT_EQ(d[0], "ok\xEF\xBF\xBD\xEF\xBF\xBD line");
}
