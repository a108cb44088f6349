// SPDX-License-Identifier: MIT
#include <fix/mask_rules.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <set>

namespace crashpilot::fix::mask {

namespace {

const RE2& test_case_re() {
  static const RE2 re(
      R"(\b(?:TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P|BOOST_AUTO_TEST_CASE|BOOST_FIXTURE_TEST_CASE|BOOST_DATA_TEST_CASE|TEST_CASE|TEST_CASE_METHOD|SCENARIO)\s*\()");
  return re;
}

bool expectation(std::string_view code, const GateContext& ctx) {
  static const RE2 re(
      R"(\b(?:EXPECT_[A-Z_]+|ASSERT_[A-Z_]+|CHECK(?:_[A-Z_]+)?|REQUIRE(?:_[A-Z_]+)?|BOOST_(?:CHECK|REQUIRE|TEST|WARN)[A-Z_]*|STATIC_REQUIRE|STATIC_CHECK)\s*\(|\b(?:add_test|gtest_discover_tests|gtest_add_tests|catch_discover_tests|doctest_discover_tests)\s*\()");
  if (RE2::PartialMatch(code, re)) {
    return true;
  }
  return std::any_of(ctx.assert_macros.begin(), ctx.assert_macros.end(),
                     [&](const auto& m) { return find_call(code, m) != std::string_view::npos; });
}

// A line as compared with its re-added form: no whitespace, and without the markers that disable a
// test (a renamed DISABLED_ test is reported as disabled, not as deleted and added).
std::string case_key(const Line& l) {
  std::string k = squeeze(l.text);
  for (std::string_view marker : {"DISABLED_", "[.]", "[!mayfail]", "[!shouldfail]"}) {
    k = util::replace_all(k, marker, "");
  }
  if (RE2::PartialMatch(l.code, test_case_re()) && !k.empty() && k.back() == '{') {
    k.pop_back(); // "TEST(A, B) {" and "TEST(A, B)" + "{"
  }
  return k;
}

} // namespace

void check_tests(const File& f, const GateContext& ctx, std::vector<MaskFinding>& out) {
  if (f.deleted) {
    MaskFinding m;
    m.rule = "test_deleted";
    m.file = f.path;
    m.line = 0;
    m.text = f.path;
    m.why = "deletes a test file; tests that caught the bug must stay (change them only when the "
            "expected behaviour changed, and say so)";
    out.push_back(std::move(m));
    return;
  }
  // Everything added in the file, squeezed, to recognise moved or reformatted lines.
  std::multiset<std::string> added;
  for (const auto& h : f.hunks) {
    for (const auto& l : h.lines) {
      if (l.added()) {
        added.insert(case_key(l));
      }
    }
  }
  auto readded = [&](const Line& l) {
    auto it = added.find(case_key(l));
    if (it == added.end()) {
      return false;
    }
    added.erase(it);
    return true;
  };
  for (const auto& h : f.hunks) {
    bool in_removed_case = false;
    for (size_t i = 0; i < h.lines.size(); ++i) {
      const Line& l = h.lines[i];
      if (!l.removed()) {
        in_removed_case = false;
      }
      if (l.removed() && RE2::PartialMatch(l.code, test_case_re())) {
        if (readded(l)) {
          continue;
        }
        in_removed_case = true;
        out.push_back(finding("test_deleted", f, l,
                              "removes a test case; keep tests that cover the crashing path"));
        continue;
      }
      if (l.removed() && !in_removed_case && expectation(l.code, ctx) && !readded(l)) {
        out.push_back(finding("test_weakened", f, l,
                              "removes or changes a test expectation; a fix makes the test pass "
                              "without editing what it expects"));
        continue;
      }
      if (!l.added()) {
        continue;
      }
      bool header = RE2::PartialMatch(l.code, test_case_re());
      if (header && l.code.find("DISABLED_") != std::string::npos) {
        out.push_back(finding("test_weakened", f, l,
                              "disables a test (DISABLED_); a fix makes it pass instead"));
      } else if (find_call(l.code, "GTEST_SKIP") != std::string_view::npos ||
                 l.code.find("boost::unit_test::disabled") != std::string::npos ||
                 (header && (l.raw.find("[.") != std::string_view::npos ||
                             l.raw.find("[!mayfail]") != std::string_view::npos ||
                             l.raw.find("[!shouldfail]") != std::string_view::npos))) {
        out.push_back(finding("test_weakened", f, l, "skips a test; a fix makes it pass instead"));
      } else if (squeeze(l.code) == "return;") {
        const Line* above = line_above(h, i);
        while (above != nullptr && above->blank()) {
          above = line_above(h, static_cast<size_t>(above - h.lines.data()));
        }
        const Line* header_line = nullptr;
        if (above != nullptr && util::trim(above->code) == "{") {
          header_line = line_above(h, static_cast<size_t>(above - h.lines.data()));
        } else if (above != nullptr && ends_with(util::trim(above->code), "{")) {
          header_line = above;
        }
        if (header_line != nullptr && RE2::PartialMatch(header_line->code, test_case_re())) {
          out.push_back(finding("test_weakened", f, l,
                                "returns at the start of a test, so nothing in it runs"));
        }
      }
    }
  }
}

} // namespace crashpilot::fix::mask
