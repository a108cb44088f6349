// SPDX-License-Identifier: MIT
#pragma once

// The one way crashpilot runs git. Every call is `git -C REPO` without a shell, with:
//   - core.hooksPath=/dev/null: the user's hooks never run on anything crashpilot does;
//   - commit.gpgsign=false, gc.auto=0, maintenance.auto=false, color.ui=false: no signing prompt,
//     no background gc left holding locks in the user's repository, no escape codes to parse;
//   - an environment without the caller's GIT_* variables (a crashpilot started from a hook would
//     otherwise inherit GIT_DIR/GIT_INDEX_FILE and act on the wrong repository or index, and
//     GIT_AUTHOR_* would override the identity below), GIT_TERMINAL_PROMPT=0 and LC_ALL=C;
//   - the crashpilot identity only for commits crashpilot makes (GitOptions::identity);
//   - GIT_OPTIONAL_LOCKS=0 for read-only calls, so `git status` does not rewrite the user's index;
//   - a timeout.

#include <util/child_process.hpp>
#include <util/expected.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace crashpilot::util {

inline constexpr const char* git_user_name = "crashpilot";
inline constexpr const char* git_user_email = "crashpilot@localhost";

struct GitOptions {
  bool identity = false;  // author and committer are crashpilot <crashpilot@localhost>
  bool read_only = false; // GIT_OPTIONAL_LOCKS=0
  std::chrono::milliseconds timeout{120'000};
  std::string stdin_data;
  size_t max_output_bytes = size_t{64} << 20;
};

// Runs git. A git that cannot be started (or times out) is an error; a non-zero exit is a result.
Expected<RunResult> git(const std::string& repo, std::vector<std::string> args,
                        GitOptions options = {});

// As git(), but a non-zero exit, a timeout or truncated output is an error naming the command and
// carrying the first lines of git's stderr. The value is git's stdout.
Expected<std::string> git_ok(const std::string& repo, std::vector<std::string> args,
                             GitOptions options = {});

// The first line of git's output without surrounding whitespace (a hash, a path, a ref).
std::string git_first_line(const std::string& out);

// The repository's top level containing `dir` ("" when `dir` is not in a git work tree).
std::string git_toplevel(const std::string& dir);

// `git rev-parse --verify <rev>^{commit}` in `repo`: the full hash, or an error naming the rev.
Expected<std::string> resolve_commit(const std::string& repo, const std::string& rev);

// The paths of every file at `commit` (git ls-tree), repository-relative.
Expected<std::vector<std::string>> tree_files(const std::string& repo, const std::string& commit);

// Whether `ancestor` is `descendant` or one of its ancestors (git merge-base --is-ancestor).
Expected<bool> is_ancestor(const std::string& repo, const std::string& ancestor,
                           const std::string& descendant);

// "" when `name` is a valid local branch name (git check-ref-format refs/heads/NAME, and not
// starting with '-'), else why not.
std::string branch_name_problem(const std::string& repo, const std::string& name);

// The commit refs/heads/NAME points at, "" when there is no such branch.
Expected<std::string> branch_commit(const std::string& repo, const std::string& name);

} // namespace crashpilot::util
