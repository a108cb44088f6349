// SPDX-License-Identifier: MIT
#include <model/json.hpp>
#include <model/symbol.hpp>

#include <gtest/gtest.h>

using namespace crashpilot::model;

namespace {
Crash sample() {
  Crash c;
  c.crash_id = "abc123def456";
  c.kind = Kind::assertion;
  c.exception_code = "0xC0000420";
  c.exception_name = "ASSERTION";
  c.fault_address = 0x00007FF76C7C9888ULL;
  c.error_message = "assertion failed";
  c.assertion = Assertion{"src/a.cpp", 12, "Foo::bar", "p != nullptr", "debug info"};
  Thread t;
  t.id = "1";
  t.name = "worldserver";
  t.crashing = true;
  Frame f;
  f.index = 0;
  f.address = 0xffffffffffffffffULL; // does not survive a JSON number in most readers
  f.function = "Foo::bar(int)";
  f.arguments = "this=0x0";
  f.file = "src/a.cpp";
  f.line = 12;
  f.column = 3;
  f.inlined = true;
  f.offset = 0x1c;
  t.frames.push_back(f);
  c.threads.push_back(t);
  Thread freed;
  freed.role = "freed";
  freed.frames.push_back(Frame{});
  c.threads.push_back(freed);
  c.problems = {"truncated"};
  c.signature = Signature{"abc123def456", "assertion\nbar@a.cpp", {"bar@a.cpp"}};
  c.crash_category = "ASSERTION";
  c.severity = "HIGH";
  c.is_bot_related = true;
  c.fix_suggestions = {"x"};
  c.raw = "raw text";
  return c;
}
} // namespace

TEST(ModelJson, RoundTripKeepsEveryField) {
  Crash c = sample();
  nlohmann::json j = to_json(c);
  auto back = crash_from_json(j);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(to_json(*back), j);
  EXPECT_EQ(back->threads[0].frames[0].address, 0xffffffffffffffffULL);
  EXPECT_EQ(back->threads[1].role, "freed");
}

TEST(ModelJson, SeedFieldNamesArePresent) {
  nlohmann::json j = to_json(sample());
  for (const char* key : {"crash_id", "timestamp", "exception_code", "crash_location", "crash_function",
                          "error_message", "call_stack", "crash_category", "severity", "is_bot_related",
                          "root_cause_hypothesis", "fix_suggestions"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["call_stack"][0], "Foo::bar(int) @ src/a.cpp:12");
  EXPECT_EQ(j["fault_address"], "0x7ff76c7c9888");
}

TEST(ModelJson, WrongTypesAreNamed) {
  nlohmann::json j = to_json(sample());
  j["severity"] = 5;
  auto r = crash_from_json(j);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("severity"), std::string::npos);
  j = to_json(sample());
  j["threads"][0]["frames"][0]["address"] = "zz";
  r = crash_from_json(j);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("address"), std::string::npos);
  EXPECT_FALSE(crash_from_json(nlohmann::json::array()));
}

TEST(ModelJson, FramesWithoutThreadsBecomeTheCrashingThread) {
  nlohmann::json j = to_json(sample(), {false, false});
  EXPECT_FALSE(j.contains("raw"));
  auto back = crash_from_json(j);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->threads.size(), 1u);
  EXPECT_EQ(back->crashing_frames().at(0).function, "Foo::bar(int)");
}

TEST(ModelCrash, CrashingThreadPrefersTheMarkedOneThenProcessThreads) {
  Crash c;
  Thread freed;
  freed.role = "freed";
  Thread plain;
  plain.id = "7";
  c.threads = {freed, plain};
  EXPECT_EQ(c.crashing_thread()->id, "7");
  c.threads[0].crashing = true;
  EXPECT_EQ(c.crashing_thread()->role, "freed");
  EXPECT_EQ(kind_from_string("freeze"), Kind::freeze);
  EXPECT_EQ(kind_from_string("nonsense"), Kind::unknown);
}

TEST(ModelSymbol, FunctionNamePart) {
  EXPECT_EQ(function_name_part("Foo::bar(int, char const*) const"), "Foo::bar");
  EXPECT_EQ(function_name_part("std::map<int, std::less<int> >::find(int const&)"), "std::map<int, std::less<int> >::find");
  EXPECT_EQ(function_name_part("TRoom::operator+=(TThing&)"), "TRoom::operator+=");
  EXPECT_EQ(function_name_part("Foo::operator()(int)"), "Foo::operator()");
  EXPECT_EQ(function_name_part("(anonymous namespace)::helper(int)"), "(anonymous namespace)::helper");
  EXPECT_EQ(function_name_part("bool operator<(A const&, A const&)"), "bool operator<");
  EXPECT_EQ(function_name_part("plain"), "plain");
}
