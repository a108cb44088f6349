// SPDX-License-Identifier: MIT
#include <util/glob.hpp>

#include <gtest/gtest.h>

using crashpilot::util::glob_match;

TEST(Glob, DoubleStarSpansComponents) {
  EXPECT_TRUE(glob_match("src/**", "src/a/b.cpp"));
  EXPECT_TRUE(glob_match("src/**", "src/a.cpp"));
  EXPECT_FALSE(glob_match("src/**", "srcx/a.cpp"));
  EXPECT_TRUE(glob_match("**/*.sql", "x.sql"));
  EXPECT_TRUE(glob_match("**/*.sql", "a/b/x.sql"));
  EXPECT_FALSE(glob_match("**/*.sql", "a/b/x.sqlx"));
  EXPECT_TRUE(glob_match("src/**/Bot.cpp", "src/Bot.cpp"));
  EXPECT_TRUE(glob_match("src/**/Bot.cpp", "src/m/n/Bot.cpp"));
  EXPECT_TRUE(glob_match("**", "anything/at/all"));
}

TEST(Glob, StarAndQuestionStayInOneComponent) {
  EXPECT_TRUE(glob_match("src/*.cpp", "src/a.cpp"));
  EXPECT_FALSE(glob_match("src/*.cpp", "src/a/b.cpp"));
  EXPECT_TRUE(glob_match("src/?.cpp", "src/a.cpp"));
  EXPECT_FALSE(glob_match("src/?.cpp", "src/ab.cpp"));
  EXPECT_TRUE(glob_match("a*b*c", "axxbyyc"));
  EXPECT_FALSE(glob_match("a*b*c", "axxbyy"));
  EXPECT_TRUE(glob_match(".git/**", ".git/config"));
  EXPECT_FALSE(glob_match("src/server/game/**", "src/server/shared/x.h"));
}
