// SPDX-License-Identifier: MIT
#include <fix/patch_apply.hpp>

#include "git_test_repo.hpp"

using namespace crashpilot;
using namespace crashpilot::fix::test;

namespace {

// The worktree side of a patch test: a plain `git worktree add` at the base, and a picture of the
// worktree (files and its own index) to prove a failed apply changed nothing.
struct PatchFixture : ::testing::Test {
  TestRepo t;
  std::string wt;

  void SetUp() override {
    wt = t.wt_dir + "/attempt";
    git_out(t.repo, {"worktree", "add", "-q", "-b", "crashpilot/test-1", wt, t.base});
  }

  std::string index_bytes() const {
    return read(git_out(wt, {"rev-parse", "--git-path", "index"}));
  }
  std::string wpath(const std::string& rel) const { return wt + "/" + rel; }
  std::map<std::string, std::string> files() const { return files_under(wt); }
  std::string staged() const { return git_out(wt, {"diff", "--cached", "--name-only"}); }
};

queue::Edit edit(std::string path, std::string old_s, std::string new_s, bool all = false) {
  return queue::Edit{std::move(path), std::move(old_s), std::move(new_s), all};
}

} // namespace

TEST_F(PatchFixture, DiffAppliesStagedWithCounts) {
  auto p = fix::apply_diff(wt, t.base, line_diff("src/a.cpp", "a", 5, "a five"));
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->files, std::vector<std::string>{"src/a.cpp"});
  EXPECT_EQ(p->added, 1);
  EXPECT_EQ(p->removed, 1);
  EXPECT_NE(p->diff.find("+a five\n"), std::string::npos);
  EXPECT_NE(p->diff.find("--- a/src/a.cpp"), std::string::npos);
  EXPECT_EQ(staged(), "src/a.cpp");
  EXPECT_NE(read(wpath("src/a.cpp")).find("a five\n"), std::string::npos);
  // The user's checkout saw nothing.
  EXPECT_EQ(read(t.path("src/a.cpp")), numbered("a", 20));
}

TEST_F(PatchFixture, FailingDiffChangesNothingAndNamesTheHunk) {
  // The first file applies, the second does not: git apply must write neither.
  std::string diff = line_diff("src/a.cpp", "a", 5, "a five") +
                     "diff --git a/src/b.cpp b/src/b.cpp\n--- a/src/b.cpp\n+++ b/src/b.cpp\n"
                     "@@ -6,3 +6,3 @@\n b 6\n-not what is there\n+b seven\n b 8\n";
  auto files = this->files();
  auto index = index_bytes();
  auto p = fix::apply_diff(wt, t.base, diff);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("error: patch failed: src/b.cpp:6"), std::string::npos) << p.error();
  EXPECT_NE(p.error().find("does not apply"), std::string::npos) << p.error();
  EXPECT_TRUE(files == this->files());
  EXPECT_TRUE(index == index_bytes());
  // What the code relies on: `git apply --index` itself, without the --check first, writes
  // nothing when one file fails.
  EXPECT_FALSE(run_git(wt, {"apply", "--index", "-"}, diff).ok());
  EXPECT_TRUE(files == this->files());
  EXPECT_TRUE(index == index_bytes());
}

TEST_F(PatchFixture, DiffCreatesAndDeletesFiles) {
  std::string diff = "diff --git a/src/new/c.cpp b/src/new/c.cpp\nnew file mode 100644\n"
                     "--- /dev/null\n+++ b/src/new/c.cpp\n@@ -0,0 +1,2 @@\n+c 1\n+c 2\n"
                     "diff --git a/README b/README\ndeleted file mode 100644\n--- a/README\n"
                     "+++ /dev/null\n@@ -1 +0,0 @@\n-readme\n";
  auto p = fix::apply_diff(wt, t.base, diff);
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->files, (std::vector<std::string>{"README", "src/new/c.cpp"}));
  EXPECT_EQ(p->added, 2);
  EXPECT_EQ(p->removed, 1);
  EXPECT_EQ(read(wpath("src/new/c.cpp")), "c 1\nc 2\n");
  EXPECT_FALSE(fs::exists(wpath("README")));
}

TEST_F(PatchFixture, DiffPathsOutsideTheWorktreeAreRefused) {
  for (std::string bad : {"../escape.cpp", ".git/config", "src/../../x"}) {
    std::string diff = "diff --git a/" + bad + " b/" + bad + "\nnew file mode 100644\n" +
                       "--- /dev/null\n+++ b/" + bad + "\n@@ -0,0 +1 @@\n+x\n";
    auto files = this->files();
    auto p = fix::apply_diff(wt, t.base, diff);
    ASSERT_FALSE(p) << bad;
    EXPECT_NE(p.error().find(bad), std::string::npos) << p.error();
    EXPECT_TRUE(files == this->files());
  }
  EXPECT_FALSE(fs::exists(t.tmp.path() + "/escape.cpp"));
  EXPECT_FALSE(fs::exists(t.wt_dir + "/x"));
}

TEST_F(PatchFixture, NotADiffIsRefused) {
  auto p = fix::apply_diff(wt, t.base, "just some text\n");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("no file sections"), std::string::npos) << p.error();
}

TEST_F(PatchFixture, EditsApplyInOrderAndStage) {
  write(wpath("src/c.cpp"), ""); // untracked, must not be staged
  auto p = fix::apply_edits(wt, t.base,
                            {edit("src/a.cpp", "a 3\n", "a three\n"),
                             edit("src/a.cpp", "a three\na 4\n", "a three\na four\n"),
                             edit("src/b.cpp", "b 1", "B", true)});
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->files, (std::vector<std::string>{"src/a.cpp", "src/b.cpp"}));
  std::string a = read(wpath("src/a.cpp"));
  EXPECT_NE(a.find("a 2\na three\na four\na 5\n"), std::string::npos) << a;
  // replace_all: "b 1" also matches "b 10".."b 19".
  std::string b = read(wpath("src/b.cpp"));
  EXPECT_EQ(b.find("b 1"), std::string::npos);
  EXPECT_NE(b.find("B0\n"), std::string::npos);
  EXPECT_EQ(p->removed, 13);
  EXPECT_EQ(staged(), "src/a.cpp\nsrc/b.cpp");
}

TEST_F(PatchFixture, AFailingThirdEditLeavesTheFirstTwoFilesUntouched) {
  auto files = this->files();
  auto index = index_bytes();
  auto p =
      fix::apply_edits(wt, t.base,
                       {edit("src/a.cpp", "a 3\n", "a three\n"), edit("src/new.cpp", "", "new\n"),
                        edit("src/b.cpp", "no such text", "x")});
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("edit 3: old_string not found in src/b.cpp"), std::string::npos)
      << p.error();
  EXPECT_TRUE(files == this->files()) << "a file was written";
  EXPECT_TRUE(index == index_bytes());
}

TEST_F(PatchFixture, AnAmbiguousEditAsksForContext) {
  auto p = fix::apply_edits(wt, t.base, {edit("src/a.cpp", "a 1", "x")});
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("matches 11 times in src/a.cpp; add context"), std::string::npos)
      << p.error();
}

TEST_F(PatchFixture, EveryFailingEditIsNamed) {
  auto p = fix::apply_edits(wt, t.base,
                            {edit("src/missing.cpp", "x", "y"), edit("src/a.cpp", "", "z"),
                             edit("/etc/passwd", "root", "x"), edit("src/b.cpp", "b 2\n", "B\n")});
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("edit 1: 'src/missing.cpp' does not exist"), std::string::npos)
      << p.error();
  EXPECT_NE(p.error().find("edit 2: old_string is empty but 'src/a.cpp' exists"), std::string::npos)
      << p.error();
  EXPECT_NE(p.error().find("edit 3: '/etc/passwd' is an absolute path"), std::string::npos)
      << p.error();
  EXPECT_EQ(p.error().find("edit 4"), std::string::npos) << p.error();
  EXPECT_EQ(read(wpath("src/b.cpp")), numbered("b", 20));
}

TEST_F(PatchFixture, EditsCreateNewFilesAndDirectories) {
  auto p = fix::apply_edits(
      wt, t.base,
      {edit("src/mod/new.cpp", "", "int x;\n"), edit("src/mod/new.cpp", "int x;", "int x = 1;")});
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(read(wpath("src/mod/new.cpp")), "int x = 1;\n");
  EXPECT_EQ(p->files, std::vector<std::string>{"src/mod/new.cpp"});
  EXPECT_EQ(p->added, 1);
}

TEST_F(PatchFixture, EditsThroughSymlinksAreRefused) {
  auto outside = t.tmp.path() + "/outside";
  write(outside + "/f.cpp", "secret\n");
  fs::create_symlink(outside, wpath("link"));
  fs::create_symlink("a.cpp", wpath("src/alias.cpp"));
  auto p = fix::apply_edits(wt, t.base, {edit("link/f.cpp", "secret", "x")});
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("leaves the repository"), std::string::npos) << p.error();
  auto q = fix::apply_edits(wt, t.base, {edit("src/alias.cpp", "a 1\n", "x\n")});
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().find("is a symlink"), std::string::npos) << q.error();
  EXPECT_EQ(read(outside + "/f.cpp"), "secret\n");
  EXPECT_EQ(read(wpath("src/a.cpp")), numbered("a", 20));
}

TEST_F(PatchFixture, EditsThatChangeNothingAreRefused) {
  auto p = fix::apply_edits(wt, t.base, {edit("src/a.cpp", "a 3\n", "a 3\n")});
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("change nothing"), std::string::npos) << p.error();
}

TEST_F(PatchFixture, ADirtyWorktreeIsRefused) {
  write(wpath("src/a.cpp"), "changed\n");
  auto p = fix::apply_edits(wt, t.base, {edit("src/b.cpp", "b 2\n", "B\n")});
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("uncommitted changes (src/a.cpp)"), std::string::npos) << p.error();
  EXPECT_EQ(read(wpath("src/b.cpp")), numbered("b", 20));
}

TEST_F(PatchFixture, ResponseDiffThenEditsAsOneUnit) {
  queue::Response r;
  r.base_commit = t.base.substr(0, 10);
  r.diff = line_diff("src/a.cpp", "a", 5, "a five");
  r.edits = {edit("src/a.cpp", "a five\n", "a FIVE\n"), edit("src/b.cpp", "b 9\n", "b nine\n")};
  auto p = fix::apply_response(wt, t.base, r);
  ASSERT_TRUE(p) << p.error();
  EXPECT_NE(read(wpath("src/a.cpp")).find("a 4\na FIVE\na 6\n"), std::string::npos);
  EXPECT_EQ(p->files, (std::vector<std::string>{"src/a.cpp", "src/b.cpp"}));
}

TEST_F(PatchFixture, FailingEditsUndoTheResponsesDiff) {
  queue::Response r;
  r.diff = "diff --git a/src/c.cpp b/src/c.cpp\nnew file mode 100644\n--- /dev/null\n"
           "+++ b/src/c.cpp\n@@ -0,0 +1 @@\n+c\n" +
           line_diff("src/a.cpp", "a", 5, "a five");
  r.edits = {edit("src/b.cpp", "not there", "x")};
  auto files = this->files();
  auto p = fix::apply_response(wt, t.base, r);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("not found in src/b.cpp"), std::string::npos) << p.error();
  EXPECT_TRUE(files == this->files());
  EXPECT_EQ(staged(), "");
  EXPECT_EQ(git_out(wt, {"status", "--porcelain"}), "");
}

TEST_F(PatchFixture, AResponseForAnotherBaseIsRefused) {
  queue::Response r;
  r.base_commit = git_out(t.repo, {"rev-parse", "HEAD~1"});
  r.diff = line_diff("src/a.cpp", "a", 5, "a five");
  auto p = fix::apply_response(wt, t.base, r);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("written against commit"), std::string::npos) << p.error();
  queue::Response empty;
  auto q = fix::apply_response(wt, t.base, empty);
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().find("no patch"), std::string::npos) << q.error();
}
