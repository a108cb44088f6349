// SPDX-License-Identifier: MIT
#include <capture/core_file.hpp>
#include <gtest/gtest.h>

using namespace crashpilot::capture;

namespace {
ProcessInfo proc() {
  ProcessInfo p;
  p.pid = 4242;
  p.exe = "/opt/wow/bin/worldserver";
  p.cwd = "/srv/wow";
  return p;
}
} // namespace

TEST(CorePattern, RelativePatternIsInTheServersCwd) {
  std::string why;
  EXPECT_EQ(expected_core_path(proc(), "core\n", false, why), "/srv/wow/core");
  EXPECT_EQ(expected_core_path(proc(), "core", true, why), "/srv/wow/core.4242");
}

TEST(CorePattern, KnownSpecifiersAreFilledUnknownOnesGlob) {
  std::string why;
  EXPECT_EQ(expected_core_path(proc(), "/var/cores/core.%f.%p.%t", true, why),
            "/var/cores/core.worldserver.4242.*");
  EXPECT_EQ(expected_core_path(proc(), "/c/%%-%E", false, why), "/c/%-!opt!wow!bin!worldserver");
}

TEST(CorePattern, PipedPatternSaysWhy) {
  std::string why;
  EXPECT_FALSE(expected_core_path(proc(), "|/usr/lib/systemd/systemd-coredump %P %u", false, why));
  EXPECT_NE(why.find("systemd-coredump"), std::string::npos);
  EXPECT_NE(why.find("core_pattern"), std::string::npos);
}
