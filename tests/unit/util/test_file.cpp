// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/mapped_file.hpp>

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace crashpilot::util;
namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("crashpilot-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};
} // namespace

TEST(File, AtomicWriteReplacesWholeFileAndLeavesNoTemp) {
  TempDir dir;
  std::string target = (dir.path / "out.json").string();
  ASSERT_TRUE(write_file_atomic(target, "first"));
  ASSERT_TRUE(write_file_atomic(target, "second"));
  auto content = read_file(target);
  ASSERT_TRUE(content);
  EXPECT_EQ(*content, "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()), 1);
}

TEST(File, AtomicFileWithoutCommitLeavesTargetUntouched) {
  TempDir dir;
  std::string target = (dir.path / "keep.txt").string();
  ASSERT_TRUE(write_file_atomic(target, "original"));
  {
    AtomicFile f(target);
    ASSERT_TRUE(f.write("half-written"));
  } // destroyed without commit
  EXPECT_EQ(*read_file(target), "original");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()), 1);
}

TEST(File, AtomicWriteIntoMissingDirectoryFails) {
  auto r = write_file_atomic("/nonexistent-dir-crashpilot/x", "data");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("/nonexistent-dir-crashpilot/x"), std::string::npos);
}

TEST(File, ReadErrorsNameThePath) {
  TempDir dir;
  auto d = read_file(dir.path.string());
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().find("is a directory"), std::string::npos);
  auto missing = read_file((dir.path / "missing").string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("missing"), std::string::npos);
}

TEST(File, ReadRefusesOverLimit) {
  TempDir dir;
  std::string target = (dir.path / "big").string();
  ASSERT_TRUE(write_file_atomic(target, std::string(4096, 'x')));
  auto r = read_file(target, {1024});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("limit"), std::string::npos);
}

TEST(MappedFile, MapsAndRefuses) {
  TempDir dir;
  std::string target = (dir.path / "m").string();
  ASSERT_TRUE(write_file_atomic(target, "hello"));
  auto m = MappedFile::open(target, 1 << 20);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->view(), "hello");
  EXPECT_FALSE(MappedFile::open(target, 2));
  EXPECT_FALSE(MappedFile::open(dir.path.string(), 1 << 20));
  std::string empty = (dir.path / "e").string();
  ASSERT_TRUE(write_file_atomic(empty, ""));
  auto e = MappedFile::open(empty, 1 << 20);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->view().empty());
}

TEST(File, ConcurrentWritersOfOneTargetNeverMix) {
  TempDir dir;
  std::string target = (dir.path / "shared.json").string();
  AtomicFile a(target);
  AtomicFile b(target);
  ASSERT_TRUE(a.write(std::string(1000, 'a')));
  ASSERT_TRUE(b.write("b"));
  ASSERT_TRUE(a.commit());
  ASSERT_TRUE(b.commit());
  EXPECT_EQ(*read_file(target), "b"); // one writer's whole content, never a mix
}

TEST(File, AtomicTempOwner) {
  EXPECT_EQ(atomic_temp_owner("response_ab12.json.tmp.4242.7"), 4242);
  EXPECT_FALSE(atomic_temp_owner("response_ab12.json"));
  EXPECT_FALSE(atomic_temp_owner("x.tmp.abc.1"));
  EXPECT_FALSE(atomic_temp_owner("x.tmp.12"));
}
