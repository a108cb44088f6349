// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <symbolize/demangle.hpp>

namespace crashpilot::symbolize {
namespace {

TEST(Demangle, ItaniumNamesAreDemangled) {
  EXPECT_EQ(demangle("_ZN4Unit6UpdateEjj"), "Unit::Update(unsigned int, unsigned int)");
  EXPECT_EQ(demangle("_ZNK14symbolize_test4Unit6HealthEv"), "symbolize_test::Unit::Health() const");
}

TEST(Demangle, OtherNamesComeBackUnchanged) {
  EXPECT_EQ(demangle("main"), "main");
  EXPECT_EQ(demangle("__libc_start_call_main"), "__libc_start_call_main");
  EXPECT_EQ(demangle("_Z"), "_Z");
  EXPECT_EQ(demangle("_Zgarbage!"), "_Zgarbage!");
  EXPECT_EQ(demangle(""), "");
}

TEST(Demangle, ReusedBufferGivesIndependentResults) {
  std::string a = demangle("_ZN1a1bEv");
  std::string b = demangle("_ZN3ccc3dddEi");
  EXPECT_EQ(a, "a::b()");
  EXPECT_EQ(b, "ccc::ddd(int)");
}

} // namespace
} // namespace crashpilot::symbolize
