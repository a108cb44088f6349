// SPDX-License-Identifier: MIT
// Cleaning lines: escapes and control bytes out, invalid UTF-8 replaced, long lines cut.
#include <util/utf8.hpp>

#include <gtest/gtest.h>
#include <logs/line_buffer.hpp>
#include <logs/text.hpp>

namespace {

using namespace crashpilot::logs;

std::string clean(std::string_view s, size_t max = 4096, bool* was_cut = nullptr) {
  std::string scratch;
  bool cut = false;
  std::string out(clean_line(s, max, scratch, cut));
  if (was_cut != nullptr) {
    *was_cut = cut;
  }
  return out;
}

TEST(Text, PlainLinesPassUntouched) {
  std::string_view s = "2026-11-24_03:15:02 INFO  [server] ready";
  std::string scratch;
  bool cut = true;
  EXPECT_EQ(clean_line(s, 4096, scratch, cut).data(), s.data()); // no copy
  EXPECT_FALSE(cut);
  EXPECT_TRUE(is_plain(s));
  EXPECT_FALSE(is_plain("tab\there"));
  EXPECT_FALSE(is_plain("del\x7f"));
  EXPECT_FALSE(is_plain("caf\xC3\xA9"));
}

TEST(Text, InvalidUtf8IsReplaced) {
  std::string out = clean("bad \xC3\x28 byte \xFF end");
  EXPECT_TRUE(crashpilot::util::is_valid_utf8(out));
  EXPECT_EQ(out, "bad \xEF\xBF\xBD( byte \xEF\xBF\xBD end");
  // Valid multi-byte text stays as it is.
  EXPECT_EQ(clean("⚠️ Strategy 'rest'"), "⚠️ Strategy 'rest'");
}

TEST(Text, ConsoleColoursAndControlsAreRemoved) {
  EXPECT_EQ(clean("\x1b[1;31mERROR\x1b[0m [spells] x"), "ERROR [spells] x");
  EXPECT_EQ(clean("\x1b]0;title\x07text"), "text");
  EXPECT_EQ(clean("a\bb\rc\td"), "abc\td");
}

TEST(Text, LongLinesAreCutAtACharacterBoundary) {
  bool cut = false;
  std::string out = clean(std::string(100, 'a'), 20, &cut);
  EXPECT_TRUE(cut);
  EXPECT_EQ(out, std::string(17, 'a') + "…");
  // Cutting never splits a multi-byte character.
  std::string euros;
  for (int i = 0; i < 20; ++i) {
    euros += "€";
  }
  out = clean(euros, 20, &cut);
  EXPECT_TRUE(cut);
  EXPECT_TRUE(crashpilot::util::is_valid_utf8(out));
  EXPECT_LE(out.size(), 20u);
}

struct Collect : LineBuffer::Sink {
  std::vector<std::string> got;
  void lines(std::string_view block) override {
    size_t start = 0;
    while (start < block.size()) {
      size_t nl = block.find('\n', start);
      got.emplace_back(block.substr(start, nl - start));
      start = nl + 1;
    }
  }
  void line(std::string_view text) override { got.emplace_back("<" + std::string(text) + ">"); }
};

void feed(LineBuffer& b, std::string_view data, Collect& sink) {
  while (!data.empty()) {
    auto space = b.space();
    size_t n = std::min(space.size(), data.size());
    std::copy_n(data.data(), n, space.data());
    b.commit(n, sink);
    data.remove_prefix(n);
  }
}

TEST(LineBuffer, JoinsLinesSplitAcrossReads) {
  LineBuffer b(4096, 64);
  Collect c;
  feed(b, "first li", c);
  EXPECT_TRUE(c.got.empty());
  feed(b, "ne\nsecond\nthi", c);
  EXPECT_EQ(c.got, (std::vector<std::string>{"first line", "second"}));
  feed(b, "rd\n", c);
  EXPECT_EQ(c.got.back(), "third");
  feed(b, "unfinished", c);
  b.flush(c);
  EXPECT_EQ(c.got.back(), "<unfinished>");
}

TEST(LineBuffer, EndlessLineIsCutAndSkipped) {
  LineBuffer b(4096, 16);
  Collect c;
  std::string huge(20000, 'x');
  feed(b, huge, c);
  feed(b, "xxx\nnext\n", c);
  ASSERT_EQ(c.got.size(), 2u);
  EXPECT_EQ(c.got[0], "<" + std::string(17, 'x') + ">"); // cap + 1: the intake marks the cut
  EXPECT_EQ(c.got[1], "next");
}

} // namespace
