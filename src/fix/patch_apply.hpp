// SPDX-License-Identifier: MIT
#pragma once

// Applying an analysis response to an attempt's worktree, all or nothing, staged in the worktree's
// own index (never the user's):
//   - a unified diff goes through `git apply --check`, then `git apply --index`; git apply writes
//     nothing unless every hunk applies, and it refuses paths outside the worktree by itself (no
//     --unsafe-paths, ever);
//   - edits (old_string → new_string) are all matched on in-memory copies first; files are written
//     (atomically, one by one) only once every edit matched, and a write that fails puts back the
//     files already written.
// A response with both applies the diff, then the edits on top; failing edits undo the diff.
// The worktree must have no uncommitted changes to tracked files beforehand: that is what makes
// "undo" a plain `git reset --hard` of the worktree.

#include <util/expected.hpp>

#include <queue/response.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace crashpilot::fix {

struct AppliedPatch {
  std::vector<std::string> files; // repository-relative, every file that differs from the base
  int64_t added = 0;
  int64_t removed = 0;
  std::string diff; // `git diff --cached BASE`: all changes of the attempt, staged or committed
};

// Applies `r.diff` and/or `r.edits` in `worktree`, an attempt worktree at (or past) `base_commit`.
// A response written against another base commit is refused. Errors name the file and the hunk or
// edit that did not match; on any error the worktree is as before.
util::Expected<AppliedPatch> apply_response(const std::string& worktree,
                                            const std::string& base_commit,
                                            const queue::Response& r);

util::Expected<AppliedPatch> apply_diff(const std::string& worktree, const std::string& base_commit,
                                        const std::string& diff);

util::Expected<AppliedPatch> apply_edits(const std::string& worktree,
                                         const std::string& base_commit,
                                         const std::vector<queue::Edit>& edits);

// What the worktree's index holds against `base_commit`, as AppliedPatch describes it.
util::Expected<AppliedPatch> staged_changes(const std::string& worktree,
                                            const std::string& base_commit);

} // namespace crashpilot::fix
