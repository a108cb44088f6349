// SPDX-License-Identifier: MIT
#pragma once

// Landing a verified attempt on the user's branch, and taking it back. The only code in crashpilot
// that changes the user's working tree, index or branches, run only by an explicit land
// (`crashpilot apply`, or auto mode).
//
// A land never half-happens: check_landable() proves beforehand that the tree is clean and that the
// result merges without conflicts (`git merge-tree --write-tree`, which touches no working tree or
// index), the new commit is built from that very tree, and the only step that changes anything is
// one `git merge --ff-only`. Should that step fail anyway (disk full, a killed git), the repository
// is put back with `git reset --hard` to the previous HEAD — acceptable only because the check
// proved there were no uncommitted changes to lose.

#include <util/expected.hpp>

#include <string>

namespace crashpilot::fix {

struct LandCheck {
  std::string head;          // the user's HEAD commit
  std::string head_ref;      // the branch it is on, refs/heads/...
  std::string base;          // the attempt's base commit, full hash
  std::string commit;        // the attempt branch's tip
  bool fast_forward = false; // HEAD is still the base: the tip lands as it is
  std::string tree;          // the merged tree when not a fast-forward
};

struct Landed {
  std::string previous; // HEAD before
  std::string head;     // HEAD after
  bool fast_forward = false;
};

// Whether `branch` (an attempt branch based on `base_commit`) can land on the current branch of
// `repo`. Refuses, saying what to do, when: tracked files have uncommitted changes or the index has
// conflicts; HEAD is detached; a merge, rebase, cherry-pick, revert or bisect is in progress; HEAD
// no longer contains the base; HEAD moved past the base and the fix conflicts with what changed;
// the fix would overwrite an untracked file; or the branch has nothing past the base. Changes
// nothing (merge-tree only writes objects into .git/objects).
util::Expected<LandCheck> check_landable(const std::string& repo, const std::string& branch,
                                         const std::string& base_commit);

// check_landable(), then: a fast-forward to the tip when HEAD is the base, else a commit of the
// checked tree on top of HEAD (the attempt's changes cherry-picked), authored by crashpilot, with
// `message` ("" = the attempt commit's message plus a "(cherry picked from commit X)" line).
util::Expected<Landed> land(const std::string& repo, const std::string& branch,
                            const std::string& base_commit, const std::string& message = "");

// `git revert` of `commit` (which must be on the current branch) as crashpilot, with `message`
// ("" = git's "Revert ..." message). Refuses a dirty tree like land; a revert that conflicts is
// aborted and leaves everything as before: git revert runs in a temporary detached worktree at
// HEAD (a full checkout, so seconds on a large tree), and only its commit is fast-forwarded onto
// the user's branch. The new HEAD.
util::Expected<std::string> revert(const std::string& repo, const std::string& commit,
                                   const std::string& message = "");

} // namespace crashpilot::fix
