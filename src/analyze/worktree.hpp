// SPDX-License-Identifier: MIT
#pragma once

// A throw-away git worktree at a request's base commit, where an agent may read and edit freely:
// `git worktree add --detach` into a private temporary directory, so the user's working tree, index
// and branches are never touched (git records the worktree under .git/worktrees/, and removing
// it deletes that record again). Destroying the object removes the worktree.

#include <util/expected.hpp>
#include <util/temp_dir.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crashpilot::analyze {

// The three helpers below forward to util/git.hpp, which runs every git command crashpilot makes.

// The repository's top level containing `dir` ("" when `dir` is not in a git work tree).
std::string git_toplevel(const std::string& dir);
// `git rev-parse --verify <rev>^{commit}` in `repo`: the full hash, or an error naming the rev.
util::Expected<std::string> resolve_commit(const std::string& repo, const std::string& rev);

// The paths of every file at `commit` (git ls-tree), repository-relative.
util::Expected<std::vector<std::string>> tree_files(const std::string& repo,
                                                    const std::string& commit);

class Worktree {
public:
  // Creates the worktree at `commit` of `repo` in a new temporary directory.
  static util::Expected<Worktree> create(const std::string& repo, const std::string& commit);

  Worktree() = default;
  Worktree(Worktree&& other) noexcept;
  Worktree& operator=(Worktree&&) noexcept;
  Worktree(const Worktree&) = delete;
  Worktree& operator=(const Worktree&) = delete;
  ~Worktree();

  const std::string& path() const { return m_path; }
  const std::string& commit() const { return m_commit; }

  // Every change against the commit, new files included, as a unified diff ("" = no change).
  // Uses the worktree's own index, never the user's.
  util::Expected<std::string> diff() const;
  // `git worktree remove --force`, then the directory goes. Safe to call twice.
  void remove();

private:
  std::string m_repo;
  std::string m_commit;
  std::string m_path;
  std::optional<util::TempDir> m_dir;
};

} // namespace crashpilot::analyze
