// SPDX-License-Identifier: MIT
#include <fix/attempt_worktree.hpp>
#include <fix/land.hpp>

#include <cstdlib>

#include "git_test_repo.hpp"

using namespace crashpilot;
using namespace crashpilot::fix::test;

namespace {

// A user's repository plus one committed attempt: line 5 of src/a.cpp becomes "a FIVE" on branch
// crashpilot/1-1, based on the repository's HEAD at creation.
struct LandFixture : ::testing::Test {
  TestRepo t;
  std::string branch = "crashpilot/1-1";
  std::string fix_commit;

  void SetUp() override { fix_commit = make_attempt(branch, "src/a.cpp", "a 5\n", "a FIVE\n"); }

  std::string make_attempt(const std::string& name, const std::string& path,
                           const std::string& old_s, const std::string& new_s) {
    auto wt = fix::AttemptWorktree::create(t.repo, t.base, name, t.wt_dir + "/" + name);
    EXPECT_TRUE(wt) << wt.error();
    queue::Response r;
    r.edits.push_back(queue::Edit{path, old_s, new_s, false});
    auto applied = wt->apply(r);
    EXPECT_TRUE(applied) << applied.error();
    auto commit = wt->commit("crashpilot: fix " + name);
    EXPECT_TRUE(commit) << commit.error();
    EXPECT_TRUE(wt->remove(true));
    return commit ? *commit : "";
  }

  // Expects check_landable and land to refuse with `needle`, leaving the user's tree as it was.
  void expect_refused(const std::string& needle) {
    auto before = user_state(t.repo);
    auto check = fix::check_landable(t.repo, branch, t.base);
    ASSERT_FALSE(check);
    EXPECT_NE(check.error().find(needle), std::string::npos) << check.error();
    auto landed = fix::land(t.repo, branch, t.base);
    ASSERT_FALSE(landed);
    EXPECT_NE(landed.error().find(needle), std::string::npos) << landed.error();
    expect_same(before, user_state(t.repo));
  }
};

// Runs the real git, except that `git ... merge ...` runs it and then damages a tracked file and
// fails: a land that breaks half-way.
struct BrokenMergeGit {
  util::TempDir dir;
  std::string old_path;

  BrokenMergeGit() {
    auto d = util::TempDir::create("crashpilot-fake-git-");
    EXPECT_TRUE(d) << d.error();
    dir = std::move(*d);
    old_path = std::getenv("PATH");
    std::string real = chomp(util::run_command({"sh", "-c", "command -v git"})->out);
    write(dir.path() + "/git",
          "#!/bin/sh\nmerge=\nfor a in \"$@\"; do [ \"$a\" = merge ] && merge=1; done\n" + real +
              " \"$@\" || exit $?\nif [ -n \"$merge\" ]; then echo junk >> \"$2/src/a.cpp\"; "
              "exit 1; fi\n");
    fs::permissions(dir.path() + "/git", fs::perms::owner_all);
    ::setenv("PATH", (dir.path() + ":" + old_path).c_str(), 1);
  }
  ~BrokenMergeGit() { ::setenv("PATH", old_path.c_str(), 1); }
};

} // namespace

TEST_F(LandFixture, FastForwardWhenHeadIsTheBase) {
  auto check = fix::check_landable(t.repo, branch, t.base);
  ASSERT_TRUE(check) << check.error();
  EXPECT_TRUE(check->fast_forward);
  EXPECT_EQ(check->head_ref, "refs/heads/main");
  EXPECT_EQ(check->commit, fix_commit);
  write(t.path("notes.txt"), "untracked files are fine\n");
  auto landed = fix::land(t.repo, branch, t.base);
  ASSERT_TRUE(landed) << landed.error();
  EXPECT_TRUE(landed->fast_forward);
  EXPECT_EQ(landed->previous, t.base);
  EXPECT_EQ(landed->head, fix_commit);
  EXPECT_EQ(git_out(t.repo, {"rev-parse", "refs/heads/main"}), fix_commit);
  EXPECT_NE(read(t.path("src/a.cpp")).find("a 4\na FIVE\na 6\n"), std::string::npos);
  EXPECT_EQ(git_out(t.repo, {"status", "--porcelain", "--untracked-files=no"}), "");
  EXPECT_EQ(read(t.path("notes.txt")), "untracked files are fine\n");
  // Landed once; again is refused.
  auto twice = fix::land(t.repo, branch, t.base);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().find("already on main"), std::string::npos) << twice.error();
}

TEST_F(LandFixture, CherryPickWhenTheBranchMovedCleanly) {
  write(t.path("src/b.cpp"), numbered("b", 20) + "b added by the user\n");
  std::string user_commit = t.commit_all("user work");
  auto check = fix::check_landable(t.repo, branch, t.base);
  ASSERT_TRUE(check) << check.error();
  EXPECT_FALSE(check->fast_forward);
  EXPECT_FALSE(check->tree.empty());
  auto landed = fix::land(t.repo, branch, t.base);
  ASSERT_TRUE(landed) << landed.error();
  EXPECT_FALSE(landed->fast_forward);
  EXPECT_EQ(landed->previous, user_commit);
  EXPECT_EQ(git_out(t.repo, {"rev-parse", "HEAD^"}), user_commit);
  EXPECT_EQ(git_out(t.repo, {"log", "-1", "--format=%an|%s", "HEAD"}),
            "crashpilot|crashpilot: fix crashpilot/1-1");
  EXPECT_NE(git_out(t.repo, {"log", "-1", "--format=%b", "HEAD"})
                .find("(cherry picked from commit " + fix_commit + ")"),
            std::string::npos);
  EXPECT_NE(read(t.path("src/a.cpp")).find("a FIVE\n"), std::string::npos);
  EXPECT_NE(read(t.path("src/b.cpp")).find("b added by the user\n"), std::string::npos);
  EXPECT_EQ(git_out(t.repo, {"status", "--porcelain"}), "");
}

TEST_F(LandFixture, AGivenMessageNamesTheCherryPick) {
  write(t.path("README"), "readme v2\n");
  t.commit_all("user work");
  auto landed = fix::land(t.repo, branch, t.base, "Fix the crash in a.cpp\n\nbucket 1");
  ASSERT_TRUE(landed) << landed.error();
  EXPECT_EQ(git_out(t.repo, {"log", "-1", "--format=%B", "HEAD"}),
            "Fix the crash in a.cpp\n\nbucket 1");
}

TEST_F(LandFixture, RefusesUncommittedChanges) {
  write(t.path("src/b.cpp"), "edited\n");
  expect_refused("uncommitted changes to tracked files (src/b.cpp); commit or stash your changes, "
                 "then run `crashpilot apply` again");
}

TEST_F(LandFixture, RefusesStagedChanges) {
  write(t.path("src/new.cpp"), "new\n");
  git_out(t.repo, {"add", "src/new.cpp"});
  expect_refused("uncommitted changes to tracked files (src/new.cpp)");
}

TEST_F(LandFixture, RefusesAConflictedIndex) {
  // `git stash pop` that conflicts leaves unmerged entries without any operation in progress.
  write(t.path("src/b.cpp"), "stashed\n");
  git_out(t.repo, {"stash", "-q"});
  write(t.path("src/b.cpp"), "committed\n");
  t.commit_all("user work");
  EXPECT_FALSE(run_git(t.repo, {"stash", "pop", "-q"}).ok());
  expect_refused("the index has conflicts in src/b.cpp");
}

TEST_F(LandFixture, RefusesAMergeInProgress) {
  git_out(t.repo, {"checkout", "-q", "-b", "topic"});
  write(t.path("src/b.cpp"), "topic\n");
  t.commit_all("topic");
  git_out(t.repo, {"checkout", "-q", "main"});
  write(t.path("src/b.cpp"), "main\n");
  t.commit_all("main");
  EXPECT_FALSE(run_git(t.repo, {"merge", "-q", "topic"}).ok());
  expect_refused("a merge (finish it with `git commit`, or `git merge --abort`) is in progress");
}

TEST_F(LandFixture, RefusesARebaseInProgress) {
  git_out(t.repo, {"checkout", "-q", "-b", "topic"});
  write(t.path("src/b.cpp"), "topic\n");
  t.commit_all("topic");
  git_out(t.repo, {"checkout", "-q", "main"});
  write(t.path("src/b.cpp"), "main\n");
  t.commit_all("main");
  git_out(t.repo, {"checkout", "-q", "topic"});
  EXPECT_FALSE(run_git(t.repo, {"rebase", "-q", "main"}).ok());
  expect_refused("a rebase (`git rebase --continue` or `git rebase --abort`) is in progress");
}

TEST_F(LandFixture, RefusesACherryPickInProgress) {
  git_out(t.repo, {"checkout", "-q", "-b", "topic"});
  write(t.path("src/a.cpp"), "topic\n");
  std::string topic = t.commit_all("topic");
  git_out(t.repo, {"checkout", "-q", "main"});
  write(t.path("src/a.cpp"), "main\n");
  t.commit_all("main");
  EXPECT_FALSE(run_git(t.repo, {"cherry-pick", topic}).ok());
  expect_refused("a cherry-pick");
}

TEST_F(LandFixture, RefusesADetachedHead) {
  git_out(t.repo, {"checkout", "-q", "--detach", "HEAD"});
  expect_refused("HEAD is detached; check out the branch the fix should land on");
}

TEST_F(LandFixture, RefusesABranchThatNoLongerContainsTheBase) {
  write(t.path("README"), "amended\n");
  git_out(t.repo, {"add", "-A"});
  git_out(t.repo, {"commit", "-q", "--amend", "-m", "second, amended"});
  expect_refused("your branch moved from " + t.base.substr(0, 12) + ": main is now at");
}

TEST_F(LandFixture, RefusesAFixThatConflictsWithNewCommits) {
  write(t.path("src/a.cpp"), "rewritten by the user\n");
  t.commit_all("user rewrote a.cpp");
  expect_refused("the fix conflicts with those changes in src/a.cpp; analyze the crash again");
}

TEST_F(LandFixture, RefusesToOverwriteAnUntrackedFile) {
  branch = "crashpilot/2-1";
  make_attempt(branch, "src/added.cpp", "", "added by the fix\n");
  write(t.path("src/added.cpp"), "the user's own\n");
  expect_refused("the fix adds src/added.cpp, which exist untracked");
}

TEST_F(LandFixture, RefusesMissingOrEmptyBranches) {
  branch = "crashpilot/9-9";
  expect_refused("no branch crashpilot/9-9");
  git_out(t.repo, {"branch", branch, t.base});
  expect_refused("has no commit past");
}

TEST_F(LandFixture, AFailedLandIsUndone) {
  write(t.path("README"), "readme v2\n");
  std::string user_commit = t.commit_all("user work");
  write(t.path("notes.txt"), "untracked\n");
  auto before = user_state(t.repo);
  {
    BrokenMergeGit broken;
    auto landed = fix::land(t.repo, branch, t.base);
    ASSERT_FALSE(landed);
    EXPECT_NE(landed.error().find("landing failed and was undone (HEAD is back at " +
                                  user_commit.substr(0, 12) + ")"),
              std::string::npos)
        << landed.error();
  }
  auto after = user_state(t.repo);
  // `git reset --hard` rewrote the index file; what it describes must be the same.
  EXPECT_EQ(before.status, after.status);
  EXPECT_EQ(before.refs, after.refs);
  EXPECT_EQ(before.head, after.head);
  EXPECT_TRUE(before.files == after.files);
  EXPECT_EQ(git_out(t.repo, {"diff-index", "--cached", "HEAD"}), "");
}

TEST_F(LandFixture, RevertTakesALandedFixBack) {
  auto landed = fix::land(t.repo, branch, t.base);
  ASSERT_TRUE(landed) << landed.error();
  write(t.path("notes.txt"), "untracked\n");
  auto reverted = fix::revert(t.repo, landed->head);
  ASSERT_TRUE(reverted) << reverted.error();
  EXPECT_EQ(git_out(t.repo, {"rev-parse", "HEAD"}), *reverted);
  EXPECT_EQ(git_out(t.repo, {"rev-parse", "HEAD^"}), landed->head);
  EXPECT_EQ(read(t.path("src/a.cpp")), numbered("a", 20));
  EXPECT_EQ(git_out(t.repo, {"log", "-1", "--format=%an|%s", "HEAD"}),
            "crashpilot|Revert \"crashpilot: fix crashpilot/1-1\"");
  EXPECT_EQ(git_out(t.repo, {"status", "--porcelain", "--untracked-files=no"}), "");
  EXPECT_EQ(worktree_paths(t.repo).size(), 1U);
}

TEST_F(LandFixture, RevertWithAMessage) {
  auto landed = fix::land(t.repo, branch, t.base);
  ASSERT_TRUE(landed) << landed.error();
  auto reverted = fix::revert(t.repo, landed->head, "crashpilot: bucket 1 came back; revert");
  ASSERT_TRUE(reverted) << reverted.error();
  EXPECT_EQ(git_out(t.repo, {"log", "-1", "--format=%B", "HEAD"}),
            "crashpilot: bucket 1 came back; revert");
}

TEST_F(LandFixture, ARevertThatConflictsChangesNothing) {
  auto landed = fix::land(t.repo, branch, t.base);
  ASSERT_TRUE(landed) << landed.error();
  write(t.path("src/a.cpp"), "rewritten after the fix\n");
  t.commit_all("user rewrote a.cpp");
  auto before = user_state(t.repo);
  auto reverted = fix::revert(t.repo, landed->head);
  ASSERT_FALSE(reverted);
  EXPECT_NE(reverted.error().find("conflicts with later changes in src/a.cpp"), std::string::npos)
      << reverted.error();
  expect_same(before, user_state(t.repo));
  EXPECT_EQ(worktree_paths(t.repo).size(), 1U);
}

TEST_F(LandFixture, RevertRefusesADirtyTreeAndForeignCommits) {
  auto landed = fix::land(t.repo, branch, t.base);
  ASSERT_TRUE(landed) << landed.error();
  write(t.path("src/b.cpp"), "dirty\n");
  auto before = user_state(t.repo);
  auto dirty = fix::revert(t.repo, landed->head);
  ASSERT_FALSE(dirty);
  EXPECT_NE(dirty.error().find("commit or stash your changes"), std::string::npos) << dirty.error();
  expect_same(before, user_state(t.repo));
  git_out(t.repo, {"checkout", "-q", "--", "src/b.cpp"});
  std::string other = make_attempt("crashpilot/3-1", "src/b.cpp", "b 3\n", "b three\n");
  auto foreign = fix::revert(t.repo, other);
  ASSERT_FALSE(foreign);
  EXPECT_NE(foreign.error().find("is not on main"), std::string::npos) << foreign.error();
}
