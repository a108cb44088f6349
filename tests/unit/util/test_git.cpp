// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/git.hpp>
#include <util/temp_dir.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

using namespace crashpilot::util;
namespace fs = std::filesystem;

namespace {

// A repository with one commit of `a.txt`, made with plain git (not the code under test).
struct Repo {
  TempDir tmp;
  std::string path;
  std::string head;

  Repo() {
    auto t = TempDir::create("crashpilot-git-test-");
    EXPECT_TRUE(t) << t.error();
    tmp = std::move(*t);
    path = tmp.path() + "/repo";
    fs::create_directories(path + "/sub/dir");
    EXPECT_TRUE(write_file_atomic(path + "/a.txt", "a\n"));
    EXPECT_TRUE(write_file_atomic(path + "/sub/dir/b.txt", "b\n"));
    plain({"init", "-q"});
    plain({"add", "-A"});
    plain({"-c", "user.name=User", "-c", "user.email=u@example.com", "commit", "-q", "-m", "one"});
    head = plain({"rev-parse", "HEAD"});
    head.pop_back();
  }

  std::string plain(std::vector<std::string> args) const {
    args.insert(args.begin(), {"git", "-C", path});
    auto r = run_command(args);
    EXPECT_TRUE(r && r->ok()) << (r ? r->err : r.error());
    return r ? r->out : "";
  }
};

// Sets an environment variable for one scope.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) {
      old = v;
    }
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old) {
      ::setenv(name.c_str(), old->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
};

} // namespace

TEST(Git, CommitsRunNoHooksAndCarryTheCrashpilotIdentity) {
  Repo r;
  ASSERT_TRUE(write_file_atomic(r.path + "/.git/hooks/pre-commit",
                                "#!/bin/sh\ntouch \"$GIT_DIR/hook-ran\"\nexit 1\n"));
  fs::permissions(r.path + "/.git/hooks/pre-commit", fs::perms::owner_all);
  ASSERT_TRUE(write_file_atomic(r.path + "/a.txt", "changed\n"));
  GitOptions id;
  id.identity = true;
  auto done = git_ok(r.path, {"commit", "-q", "-a", "-m", "by crashpilot"}, id);
  ASSERT_TRUE(done) << done.error();
  EXPECT_FALSE(fs::exists(r.path + "/.git/hook-ran"));
  EXPECT_EQ(r.plain({"log", "-1", "--format=%an <%ae> %cn <%ce>"}),
            "crashpilot <crashpilot@localhost> crashpilot <crashpilot@localhost>\n");
}

TEST(Git, InheritedGitVariablesDoNotRedirectIt) {
  Repo r;
  Repo other;
  // As if crashpilot ran from inside another repository's hook.
  ScopedEnv dir("GIT_DIR", other.path + "/.git");
  ScopedEnv index("GIT_INDEX_FILE", other.path + "/.git/index");
  ScopedEnv author("GIT_AUTHOR_NAME", "Somebody Else");
  ASSERT_TRUE(write_file_atomic(r.path + "/a.txt", "changed\n"));
  GitOptions id;
  id.identity = true;
  auto done = git_ok(r.path, {"commit", "-q", "-a", "-m", "here"}, id);
  ASSERT_TRUE(done) << done.error();
  auto log = git_ok(r.path, {"log", "-1", "--format=%an %s"});
  ASSERT_TRUE(log) << log.error();
  EXPECT_EQ(*log, "crashpilot here\n");
  auto untouched = git_ok(other.path, {"rev-parse", "HEAD"});
  ASSERT_TRUE(untouched);
  EXPECT_EQ(git_first_line(*untouched), other.head);
}

TEST(Git, FailuresNameTheCommandAndGitsComplaint) {
  Repo r;
  auto bad = git_ok(r.path, {"rev-parse", "--verify", "no-such-ref"});
  ASSERT_FALSE(bad);
  EXPECT_NE(
      bad.error().find("`git -C " + r.path + " rev-parse --verify no-such-ref` failed (exit "),
      std::string::npos)
      << bad.error();
  EXPECT_NE(bad.error().find("fatal: Needed a single revision"), std::string::npos) << bad.error();
  // The result form reports the exit code instead.
  auto result = git(r.path, {"rev-parse", "--verify", "no-such-ref"});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->exit_code, 128);
}

TEST(Git, ATimeoutIsAnError) {
  auto tmp = TempDir::create("crashpilot-slow-git-");
  ASSERT_TRUE(tmp);
  ASSERT_TRUE(write_file_atomic(tmp->path() + "/git", "#!/bin/sh\nsleep 10\n"));
  fs::permissions(tmp->path() + "/git", fs::perms::owner_all);
  ScopedEnv path("PATH", tmp->path() + ":" + std::getenv("PATH"));
  GitOptions o;
  o.timeout = std::chrono::milliseconds(200);
  auto r = git_ok(tmp->path(), {"status"}, o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("did not finish within"), std::string::npos) << r.error();
}

TEST(Git, ReadOnlyStatusLeavesTheIndexFileAlone) {
  Repo r;
  auto index = read_file(r.path + "/.git/index");
  ASSERT_TRUE(index);
  // A changed mtime makes a plain `git status` refresh and rewrite the index.
  fs::last_write_time(r.path + "/a.txt",
                      fs::last_write_time(r.path + "/a.txt") + std::chrono::hours(1));
  GitOptions ro;
  ro.read_only = true;
  auto st = git_ok(r.path, {"status", "--porcelain"}, ro);
  ASSERT_TRUE(st) << st.error();
  EXPECT_EQ(*st, "");
  EXPECT_EQ(*read_file(r.path + "/.git/index"), *index);
}

TEST(Git, ToplevelCommitsAndTrees) {
  Repo r;
  EXPECT_EQ(git_toplevel(r.path + "/sub/dir"), fs::canonical(r.path).string());
  EXPECT_EQ(git_toplevel(r.tmp.path()), "");
  auto head = resolve_commit(r.path, "HEAD");
  ASSERT_TRUE(head) << head.error();
  EXPECT_EQ(*head, r.head);
  auto short_form = resolve_commit(r.path, r.head.substr(0, 8));
  ASSERT_TRUE(short_form);
  EXPECT_EQ(*short_form, r.head);
  auto missing = resolve_commit(r.path, "nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("no commit 'nope'"), std::string::npos) << missing.error();
  EXPECT_FALSE(resolve_commit(r.path, "--all"));
  auto files = tree_files(r.path, r.head);
  ASSERT_TRUE(files) << files.error();
  EXPECT_EQ(*files, (std::vector<std::string>{"a.txt", "sub/dir/b.txt"}));
  EXPECT_FALSE(tree_files(r.path, "nope"));
}

TEST(Git, AncestryAndBranches) {
  Repo r;
  ASSERT_TRUE(write_file_atomic(r.path + "/a.txt", "two\n"));
  r.plain({"-c", "user.name=U", "-c", "user.email=u@e", "commit", "-q", "-a", "-m", "two"});
  auto yes = is_ancestor(r.path, r.head, "HEAD");
  ASSERT_TRUE(yes) << yes.error();
  EXPECT_TRUE(*yes);
  auto no = is_ancestor(r.path, "HEAD", r.head);
  ASSERT_TRUE(no) << no.error();
  EXPECT_FALSE(*no);
  EXPECT_FALSE(is_ancestor(r.path, "nope", "HEAD"));

  EXPECT_EQ(branch_name_problem(r.path, "crashpilot/12-3"), "");
  for (std::string bad : {"", "-x", "a..b", "a b", "x.lock", "a~1", "a:b", "refs/../x"}) {
    EXPECT_NE(branch_name_problem(r.path, bad), "") << bad;
  }
  r.plain({"branch", "crashpilot/1-1", r.head});
  auto tip = branch_commit(r.path, "crashpilot/1-1");
  ASSERT_TRUE(tip) << tip.error();
  EXPECT_EQ(*tip, r.head);
  auto none = branch_commit(r.path, "crashpilot/2-1");
  ASSERT_TRUE(none) << none.error();
  EXPECT_EQ(*none, "");
}
