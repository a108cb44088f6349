// SPDX-License-Identifier: MIT
#pragma once

// A user's repository in a temporary directory for the fix stage's git tests, and a byte-level
// picture of it (status, .git/index, refs, HEAD, every file) to prove an operation left it alone.
// The test's own git calls run plain `git` (not util::git), so the code under test is not its own
// witness.

#include <util/child_process.hpp>
#include <util/file.hpp>
#include <util/temp_dir.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace crashpilot::fix::test {

namespace fs = std::filesystem;

inline std::string chomp(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

inline util::RunResult run_git(const std::string& dir, std::vector<std::string> args,
                               const std::string& stdin_data = "") {
  args.insert(args.begin(), {"git", "-C", dir, "-c", "user.name=User", "-c",
                             "user.email=user@example.com", "-c", "commit.gpgsign=false"});
  util::RunOptions o;
  o.stdin_data = stdin_data;
  o.env_set = {{"GIT_OPTIONAL_LOCKS", "0"}, {"LC_ALL", "C"}};
  auto r = util::run_command(args, o);
  EXPECT_TRUE(r) << r.error();
  return r ? *r : util::RunResult{};
}

// stdout of a git command that must succeed, without the trailing newline.
inline std::string git_out(const std::string& dir, std::vector<std::string> args) {
  auto r = run_git(dir, args);
  EXPECT_TRUE(r.ok()) << "git " << args[0] << ": " << r.err;
  return chomp(r.out);
}

inline void write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  ASSERT_TRUE(util::write_file_atomic(path, text));
}

inline std::string read(const std::string& path) {
  auto text = util::read_file(path);
  return text ? *text : "<missing>";
}

inline std::string numbered(const std::string& prefix, int lines) {
  std::string body;
  for (int i = 1; i <= lines; ++i) {
    body += prefix + " " + std::to_string(i) + "\n";
  }
  return body;
}

// Every file under `dir` (not .git) with its content.
inline std::map<std::string, std::string> files_under(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink()) {
      out[it->path().string()] = "-> " + fs::read_symlink(it->path()).string();
    } else if (it->is_regular_file()) {
      out[it->path().string()] = read(it->path().string());
    }
  }
  return out;
}

struct UserState {
  std::string status;
  std::string index;
  std::string refs;
  std::string head;
  std::map<std::string, std::string> files;
  bool operator==(const UserState&) const = default;
};

// `drop_crashpilot` leaves refs/heads/crashpilot/* out, for operations that may add those only.
inline UserState user_state(const std::string& repo, bool drop_crashpilot = false) {
  UserState s;
  s.index = read(repo + "/.git/index"); // before status, which must not rewrite it either
  s.status = run_git(repo, {"status", "--porcelain=v2", "--branch", "--untracked-files=all"}).out;
  std::string refs = run_git(repo, {"for-each-ref", "--format=%(refname) %(objectname)"}).out;
  for (size_t at = 0; at < refs.size();) {
    size_t end = refs.find('\n', at);
    std::string line = refs.substr(at, end == std::string::npos ? std::string::npos : end - at + 1);
    if (!drop_crashpilot || line.rfind("refs/heads/crashpilot/", 0) != 0) {
      s.refs += line;
    }
    at = end == std::string::npos ? refs.size() : end + 1;
  }
  s.head = read(repo + "/.git/HEAD") + run_git(repo, {"rev-parse", "HEAD"}).out;
  s.files = files_under(repo);
  return s;
}

inline void expect_same(const UserState& before, const UserState& after) {
  EXPECT_EQ(before.status, after.status);
  EXPECT_TRUE(before.index == after.index) << ".git/index changed";
  EXPECT_EQ(before.refs, after.refs);
  EXPECT_EQ(before.head, after.head);
  EXPECT_TRUE(before.files == after.files) << "working tree files changed";
}

// A repository with two commits on `main`: src/a.cpp (20 lines), src/b.cpp (20 lines), README.
// Attempt worktrees go to `wt_dir`, outside the repository.
struct TestRepo {
  util::TempDir tmp;
  std::string repo;
  std::string wt_dir;
  std::string base; // HEAD at creation

  TestRepo() {
    auto t = util::TempDir::create("crashpilot-fix-test-");
    EXPECT_TRUE(t) << t.error();
    tmp = std::move(*t);
    repo = tmp.path() + "/repo";
    wt_dir = tmp.path() + "/worktrees";
    fs::create_directories(repo);
    git_out(repo, {"init", "-q", "-b", "main"});
    write(repo + "/README", "readme\n");
    git_out(repo, {"add", "-A"});
    git_out(repo, {"commit", "-q", "-m", "first"});
    write(repo + "/src/a.cpp", numbered("a", 20));
    write(repo + "/src/b.cpp", numbered("b", 20));
    git_out(repo, {"add", "-A"});
    git_out(repo, {"commit", "-q", "-m", "second"});
    base = git_out(repo, {"rev-parse", "HEAD"});
  }

  std::string path(const std::string& rel) const { return repo + "/" + rel; }

  // Commits every change in the user's tree as the user; the new HEAD.
  std::string commit_all(const std::string& message) const {
    git_out(repo, {"add", "-A"});
    git_out(repo, {"commit", "-q", "-m", message});
    return git_out(repo, {"rev-parse", "HEAD"});
  }
};

// The directories `git worktree list` names, the main one first.
inline std::vector<std::string> worktree_paths(const std::string& repo) {
  std::vector<std::string> paths;
  std::string list = git_out(repo, {"worktree", "list", "--porcelain"});
  for (size_t at = list.find("worktree "); at != std::string::npos;
       at = list.find("\nworktree ", at + 1)) {
    size_t start = list[at] == '\n' ? at + 10 : at + 9;
    paths.push_back(list.substr(start, list.find('\n', start) - start));
  }
  return paths;
}

// A unified diff changing line `line` of a file made by numbered(prefix, 20), with three lines of
// context on each side as `git diff` writes them.
inline std::string line_diff(const std::string& file, const std::string& prefix, int line,
                             const std::string& replacement) {
  int first = std::max(1, line - 3);
  int last = std::min(20, line + 3);
  int count = last - first + 1;
  std::string d = "diff --git a/" + file + " b/" + file + "\n--- a/" + file + "\n+++ b/" + file +
                  "\n@@ -" + std::to_string(first) + "," + std::to_string(count) + " +" +
                  std::to_string(first) + "," + std::to_string(count) + " @@\n";
  for (int i = first; i <= last; ++i) {
    std::string text = prefix + " " + std::to_string(i);
    d += i == line ? "-" + text + "\n+" + replacement + "\n" : " " + text + "\n";
  }
  return d;
}

} // namespace crashpilot::fix::test
