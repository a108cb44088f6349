// SPDX-License-Identifier: MIT
#pragma once

// One fix attempt's branch and worktree: `git worktree add -b crashpilot/<bucket>-<attempt> DIR
// BASE`, where the patch is applied, built and committed, away from the user's working tree, index
// and branches (git keeps the worktree's HEAD and index under .git/worktrees/<name>/).
//
// Unlike analyze::Worktree the object does not remove anything when it goes away: the worktree
// outlives crashpilot on purpose, so a loop killed half-way reopens it (create() again with the
// same branch and dir), and review mode keeps the branch for `crashpilot apply`. remove() is the
// explicit end.

#include <util/expected.hpp>

#include <fix/patch_apply.hpp>
#include <queue/response.hpp>

#include <string>

namespace crashpilot::fix {

class AttemptWorktree {
public:
  // Creates `branch` at `base_commit` of `repo`, checked out in `dir` (a full path; missing parents
  // are created). Resuming: when `branch` exists and descends from the base, it is reopened in
  // `dir` if that is its registered worktree, or checked out there again after `git worktree
  // prune` when its old directory is gone. A reopened worktree is reset to the branch's tip, so
  // the changes of an apply that was interrupted are dropped and the caller applies again.
  static util::Expected<AttemptWorktree> create(const std::string& repo,
                                                const std::string& base_commit,
                                                const std::string& branch, const std::string& dir);

  // Applies the response (see patch_apply.hpp), staged in the worktree's index.
  util::Expected<AppliedPatch> apply(const queue::Response& response) const;
  // Commits what is staged as crashpilot <crashpilot@localhost>, no hooks, no signing; the hash.
  util::Expected<std::string> commit(const std::string& message) const;
  // Every change of the attempt against the base (committed or staged), as a unified diff.
  util::Expected<std::string> diff() const;
  // The worktree's HEAD commit.
  util::Expected<std::string> head() const;
  // `git worktree remove --force` and prune; then `git branch -D` unless `keep_branch` (review mode
  // keeps it for `crashpilot apply`). A worktree already gone is not an error.
  util::Expected<void> remove(bool keep_branch) const;

  const std::string& repo() const { return m_repo; }
  const std::string& base() const { return m_base; } // the full hash
  const std::string& branch() const { return m_branch; }
  const std::string& path() const { return m_path; }
  bool resumed() const { return m_resumed; } // create() reopened an existing branch

private:
  std::string m_repo;
  std::string m_base;
  std::string m_branch;
  std::string m_path;
  bool m_resumed = false;
};

} // namespace crashpilot::fix
