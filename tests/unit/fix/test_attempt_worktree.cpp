// SPDX-License-Identifier: MIT
#include <fix/attempt_worktree.hpp>

#include "git_test_repo.hpp"

using namespace crashpilot;
using namespace crashpilot::fix::test;

namespace {

queue::Response edit_response(const std::string& path, const std::string& old_s,
                              const std::string& new_s) {
  queue::Response r;
  r.edits.push_back(queue::Edit{path, old_s, new_s, false});
  return r;
}

} // namespace

TEST(AttemptWorktree, CreateApplyCommitRemoveLeavesTheUserAlone) {
  TestRepo t;
  // A hook that would fail every commit: crashpilot's commits must not run it.
  write(t.repo + "/.git/hooks/pre-commit", "#!/bin/sh\ntouch \"$GIT_DIR/hook-ran\"\nexit 1\n");
  fs::permissions(t.repo + "/.git/hooks/pre-commit", fs::perms::owner_all);
  auto before = user_state(t.repo);

  auto wt = fix::AttemptWorktree::create(t.repo, "HEAD", "crashpilot/17-1", t.wt_dir + "/17-1");
  ASSERT_TRUE(wt) << wt.error();
  EXPECT_FALSE(wt->resumed());
  EXPECT_EQ(wt->base(), t.base);
  EXPECT_EQ(wt->branch(), "crashpilot/17-1");
  EXPECT_EQ(git_out(t.repo, {"rev-parse", "refs/heads/crashpilot/17-1"}), t.base);
  EXPECT_EQ(read(wt->path() + "/src/a.cpp"), numbered("a", 20));
  EXPECT_EQ(*wt->head(), t.base);

  auto applied = wt->apply(edit_response("src/a.cpp", "a 7\n", "a seven\n"));
  ASSERT_TRUE(applied) << applied.error();
  EXPECT_EQ(applied->files, std::vector<std::string>{"src/a.cpp"});
  auto commit = wt->commit("crashpilot: fix bucket 17 (attempt 1)");
  ASSERT_TRUE(commit) << commit.error();
  EXPECT_NE(*commit, t.base);
  EXPECT_EQ(git_out(t.repo, {"rev-parse", "refs/heads/crashpilot/17-1"}), *commit);
  EXPECT_EQ(git_out(t.repo, {"rev-parse", *commit + "^"}), t.base);
  EXPECT_EQ(git_out(t.repo, {"log", "-1", "--format=%an <%ae>|%cn <%ce>|%s", *commit}),
            "crashpilot <crashpilot@localhost>|crashpilot <crashpilot@localhost>|crashpilot: fix "
            "bucket 17 (attempt 1)");
  EXPECT_FALSE(fs::exists(t.repo + "/.git/hook-ran"));
  auto diff = wt->diff();
  ASSERT_TRUE(diff) << diff.error();
  EXPECT_NE(diff->find("-a 7\n+a seven\n"), std::string::npos) << *diff;

  // Only the crashpilot/ branch is new in the user's repository.
  expect_same(before, user_state(t.repo, true));

  ASSERT_TRUE(wt->remove(false));
  EXPECT_FALSE(fs::exists(wt->path()));
  EXPECT_EQ(worktree_paths(t.repo).size(), 1U);
  expect_same(before, user_state(t.repo));
}

TEST(AttemptWorktree, RemoveCanKeepTheBranchForReview) {
  TestRepo t;
  auto wt = fix::AttemptWorktree::create(t.repo, t.base, "crashpilot/3-2", t.wt_dir + "/3-2");
  ASSERT_TRUE(wt) << wt.error();
  ASSERT_TRUE(wt->apply(edit_response("src/b.cpp", "b 2\n", "b two\n")));
  auto commit = wt->commit("fix");
  ASSERT_TRUE(commit) << commit.error();
  ASSERT_TRUE(wt->remove(true));
  EXPECT_FALSE(fs::exists(wt->path()));
  EXPECT_EQ(git_out(t.repo, {"rev-parse", "refs/heads/crashpilot/3-2"}), *commit);
  // Removing again is harmless; then the branch goes.
  ASSERT_TRUE(wt->remove(false));
  EXPECT_FALSE(run_git(t.repo, {"rev-parse", "--verify", "-q", "refs/heads/crashpilot/3-2"}).ok());
}

TEST(AttemptWorktree, ResumeReopensTheRegisteredWorktreeAndDropsAnInterruptedApply) {
  TestRepo t;
  std::string dir = t.wt_dir + "/9-1";
  auto first = fix::AttemptWorktree::create(t.repo, t.base, "crashpilot/9-1", dir);
  ASSERT_TRUE(first) << first.error();
  write(dir + "/build/out.o", "object"); // untracked build output survives a resume
  ASSERT_TRUE(first->apply(edit_response("src/a.cpp", "a 2\n", "a two\n")));
  // crashpilot dies here, before the commit.
  auto again = fix::AttemptWorktree::create(t.repo, t.base, "crashpilot/9-1", dir);
  ASSERT_TRUE(again) << again.error();
  EXPECT_TRUE(again->resumed());
  EXPECT_EQ(read(dir + "/src/a.cpp"), numbered("a", 20));
  EXPECT_EQ(read(dir + "/build/out.o"), "object");
  ASSERT_TRUE(again->apply(edit_response("src/a.cpp", "a 2\n", "a two\n")));
  auto commit = again->commit("fix");
  ASSERT_TRUE(commit) << commit.error();
  // After the commit, a resume keeps it.
  auto third = fix::AttemptWorktree::create(t.repo, t.base, "crashpilot/9-1", dir);
  ASSERT_TRUE(third) << third.error();
  EXPECT_EQ(*third->head(), *commit);
  EXPECT_NE(read(dir + "/src/a.cpp").find("a two\n"), std::string::npos);
  EXPECT_EQ(worktree_paths(t.repo).size(), 2U);
}

TEST(AttemptWorktree, ResumeAfterTheWorktreeDirectoryWasDeleted) {
  TestRepo t;
  std::string dir = t.wt_dir + "/4-1";
  auto first = fix::AttemptWorktree::create(t.repo, t.base, "crashpilot/4-1", dir);
  ASSERT_TRUE(first) << first.error();
  ASSERT_TRUE(first->apply(edit_response("src/b.cpp", "b 5\n", "b five\n")));
  auto commit = first->commit("fix");
  ASSERT_TRUE(commit) << commit.error();
  fs::remove_all(dir);
  auto again = fix::AttemptWorktree::create(t.repo, t.base, "crashpilot/4-1", dir);
  ASSERT_TRUE(again) << again.error();
  EXPECT_TRUE(again->resumed());
  EXPECT_EQ(*again->head(), *commit);
  EXPECT_NE(read(dir + "/src/b.cpp").find("b five\n"), std::string::npos);
  EXPECT_EQ(worktree_paths(t.repo).size(), 2U);
}

TEST(AttemptWorktree, ABranchThatDoesNotStartAtTheBaseIsRefused) {
  TestRepo t;
  std::string first_commit = git_out(t.repo, {"rev-parse", "HEAD~1"});
  git_out(t.repo, {"branch", "crashpilot/5-1", first_commit});
  auto before = user_state(t.repo);
  auto wt = fix::AttemptWorktree::create(t.repo, t.base, "crashpilot/5-1", t.wt_dir + "/5-1");
  ASSERT_FALSE(wt);
  EXPECT_NE(wt.error().find("does not start at"), std::string::npos) << wt.error();
  EXPECT_NE(wt.error().find("git branch -D crashpilot/5-1"), std::string::npos) << wt.error();
  EXPECT_FALSE(fs::exists(t.wt_dir + "/5-1"));
  expect_same(before, user_state(t.repo));
}

TEST(AttemptWorktree, ABranchCheckedOutElsewhereIsRefused) {
  TestRepo t;
  auto first = fix::AttemptWorktree::create(t.repo, t.base, "crashpilot/6-1", t.wt_dir + "/one");
  ASSERT_TRUE(first) << first.error();
  auto second = fix::AttemptWorktree::create(t.repo, t.base, "crashpilot/6-1", t.wt_dir + "/two");
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().find("is checked out in"), std::string::npos) << second.error();
  // The user's own checkout counts too.
  auto user = fix::AttemptWorktree::create(t.repo, t.base, "main", t.wt_dir + "/three");
  ASSERT_FALSE(user);
  EXPECT_NE(user.error().find("checked out in " + t.repo), std::string::npos) << user.error();
}

TEST(AttemptWorktree, BadNamesAndCommitsAreRefused) {
  TestRepo t;
  auto before = user_state(t.repo);
  for (std::string bad :
       {"crashpilot/a..b", "-crashpilot", "crash pilot", "crashpilot/x.lock", ""}) {
    auto wt = fix::AttemptWorktree::create(t.repo, t.base, bad, t.wt_dir + "/x");
    ASSERT_FALSE(wt) << bad;
  }
  auto no_commit = fix::AttemptWorktree::create(t.repo, "0123456789abcdef0123456789abcdef01234567",
                                                "crashpilot/1-1", t.wt_dir + "/x");
  ASSERT_FALSE(no_commit);
  EXPECT_NE(no_commit.error().find("no commit"), std::string::npos) << no_commit.error();
  auto not_repo = fix::AttemptWorktree::create(t.wt_dir, t.base, "crashpilot/1-1", t.wt_dir + "/x");
  ASSERT_FALSE(not_repo);
  EXPECT_FALSE(fs::exists(t.wt_dir + "/x"));
  expect_same(before, user_state(t.repo));
}

TEST(AttemptWorktree, CommittingNothingIsAnError) {
  TestRepo t;
  auto wt = fix::AttemptWorktree::create(t.repo, t.base, "crashpilot/8-1", t.wt_dir + "/8-1");
  ASSERT_TRUE(wt) << wt.error();
  auto commit = wt->commit("nothing");
  ASSERT_FALSE(commit);
  EXPECT_NE(commit.error().find("nothing"), std::string::npos) << commit.error();
  EXPECT_FALSE(wt->commit(" \n"));
}
