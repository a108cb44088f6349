// SPDX-License-Identifier: MIT
#include <util/stable_files.hpp>
#include <util/temp_dir.hpp>

#include <gtest/gtest.h>

#include <fstream>

using crashpilot::util::StableFiles;

namespace {

void append(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::app) << text;
}

bool accept_txt(std::string_view name) {
  return name.ends_with(".txt");
}

} // namespace

TEST(StableFiles, FileIsReportedOnceAfterTwoEqualLooks) {
  auto dir = crashpilot::util::TempDir::create("crashpilot-stable");
  ASSERT_TRUE(dir) << dir.error();
  const std::string d = dir->path();
  append(d + "/a.txt", "report");
  append(d + "/a.dmp", "minidump");
  StableFiles sf(accept_txt);
  std::vector<std::string> errors;
  EXPECT_TRUE(sf.poll({d}, errors).empty()) << "one look is not enough";
  EXPECT_EQ(sf.pending(), 1u);
  auto ready = sf.poll({d}, errors);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].path, d + "/a.txt");
  EXPECT_EQ(ready[0].size, 6);
  EXPECT_TRUE(sf.poll({d}, errors).empty()) << "reported once";
  EXPECT_TRUE(errors.empty());
}

TEST(StableFiles, GrowingFileWaitsUntilItStops) {
  auto dir = crashpilot::util::TempDir::create("crashpilot-stable");
  ASSERT_TRUE(dir) << dir.error();
  const std::string d = dir->path();
  StableFiles sf(accept_txt);
  std::vector<std::string> errors;
  append(d + "/b.txt", "line 1\n");
  EXPECT_TRUE(sf.poll({d}, errors).empty());
  append(d + "/b.txt", "line 2\n");
  EXPECT_TRUE(sf.poll({d}, errors).empty()) << "it grew between the looks";
  auto ready = sf.poll({d}, errors);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].size, 14);
  append(d + "/b.txt", "line 3\n");
  EXPECT_TRUE(sf.poll({d}, errors).empty());
  EXPECT_EQ(sf.poll({d}, errors).size(), 1u) << "a changed file is a new version";
}

TEST(StableFiles, UnreadableDirectoryIsNamed) {
  StableFiles sf(accept_txt);
  std::vector<std::string> errors;
  EXPECT_TRUE(sf.poll({"/nonexistent/crashpilot-dir"}, errors).empty());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("/nonexistent/crashpilot-dir"), std::string::npos);
}
