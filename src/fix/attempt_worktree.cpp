// SPDX-License-Identifier: MIT
#include <util/git.hpp>
#include <util/string.hpp>

#include <fix/attempt_worktree.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <optional>

namespace crashpilot::fix {

namespace fs = std::filesystem;

namespace {

struct ListedWorktree {
  std::string path;
  std::string branch; // refs/heads/..., "" when detached
};

// `git worktree list --porcelain -z`: attribute lines, NUL-terminated, a record ends with an empty
// one. NUL rather than newline because a directory name may hold a newline.
util::Expected<std::vector<ListedWorktree>> list_worktrees(const std::string& repo) {
  util::GitOptions ro;
  ro.read_only = true;
  auto out = util::git_ok(repo, {"worktree", "list", "--porcelain", "-z"}, ro);
  if (!out) {
    return util::error(out.error());
  }
  std::vector<ListedWorktree> list;
  std::optional<ListedWorktree> cur;
  for (auto field : util::split(*out, '\0')) {
    if (field.empty()) {
      if (cur) {
        list.push_back(std::move(*cur));
        cur.reset();
      }
    } else if (field.substr(0, 9) == "worktree ") {
      cur = ListedWorktree{std::string(field.substr(9)), ""};
    } else if (cur && field.substr(0, 7) == "branch ") {
      cur->branch = std::string(field.substr(7));
    }
  }
  if (cur) {
    list.push_back(std::move(*cur));
  }
  return list;
}

std::string canonical(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).lexically_normal().string() : p.string();
}

bool is_checkout(const std::string& dir) {
  std::error_code ec;
  return fs::exists(fs::path(dir) / ".git", ec);
}

util::Expected<void> make_parent(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(fs::path(dir).parent_path(), ec);
  if (ec) {
    return util::error(
        fmt::format("{}: cannot create the worktree's parent directory: {}", dir, ec.message()));
  }
  return {};
}

} // namespace

util::Expected<AttemptWorktree> AttemptWorktree::create(const std::string& repo,
                                                        const std::string& base_commit,
                                                        const std::string& branch,
                                                        const std::string& dir) {
  std::string top = util::git_toplevel(repo);
  if (top.empty()) {
    return util::error(fmt::format("{}: not inside a git work tree", repo));
  }
  if (std::string why = util::branch_name_problem(top, branch); !why.empty()) {
    return util::error(why);
  }
  if (dir.empty()) {
    return util::error("no directory given for the attempt's worktree");
  }
  auto base = util::resolve_commit(top, base_commit);
  if (!base) {
    return util::error(base.error());
  }
  AttemptWorktree wt;
  wt.m_repo = top;
  wt.m_base = *base;
  wt.m_branch = branch;
  wt.m_path = canonical(dir);

  auto tip = util::branch_commit(top, branch);
  if (!tip) {
    return util::error(tip.error());
  }
  if (tip->empty()) {
    if (auto made = make_parent(wt.m_path); !made) {
      return util::error(made.error());
    }
    auto added = util::git_ok(
        top, {"worktree", "add", "--quiet", "--no-track", "-b", branch, wt.m_path, *base});
    if (!added) {
      return util::error(added.error());
    }
    return wt;
  }

  // The branch exists: an attempt crashpilot started before and did not finish.
  auto descends = util::is_ancestor(top, *base, *tip);
  if (!descends) {
    return util::error(descends.error());
  }
  if (!*descends) {
    return util::error(fmt::format(
        "branch {} already exists and does not start at {}; delete it (`git branch -D {}`) or use "
        "another attempt number",
        branch, *base, branch));
  }
  auto listed = list_worktrees(top);
  if (!listed) {
    return util::error(listed.error());
  }
  bool stale = false;
  for (const auto& w : *listed) {
    if (w.branch != "refs/heads/" + branch) {
      continue;
    }
    bool here = canonical(w.path) == wt.m_path;
    if (is_checkout(w.path)) {
      if (!here) {
        return util::error(fmt::format(
            "branch {} is checked out in {}, not in {}; remove that worktree (`git worktree remove "
            "{}`) or use another attempt number",
            branch, w.path, wt.m_path, w.path));
      }
      // Reopen: drop what an interrupted apply left in tracked files. Untracked files (a build
      // directory) stay.
      if (auto reset = util::git_ok(wt.m_path, {"reset", "--hard", "--quiet"}); !reset) {
        return util::error(reset.error());
      }
      wt.m_resumed = true;
      return wt;
    }
    stale = true;
  }
  if (stale) {
    // The branch's worktree directory is gone; its record would keep git from checking the branch
    // out again.
    if (auto pruned = util::git_ok(top, {"worktree", "prune"}); !pruned) {
      return util::error(pruned.error());
    }
  }
  if (auto made = make_parent(wt.m_path); !made) {
    return util::error(made.error());
  }
  if (auto added = util::git_ok(top, {"worktree", "add", "--quiet", wt.m_path, branch}); !added) {
    return util::error(added.error());
  }
  wt.m_resumed = true;
  return wt;
}

util::Expected<AppliedPatch> AttemptWorktree::apply(const queue::Response& response) const {
  return apply_response(m_path, m_base, response);
}

util::Expected<std::string> AttemptWorktree::commit(const std::string& message) const {
  if (util::trim(message).empty()) {
    return util::error("empty commit message");
  }
  util::GitOptions o;
  o.identity = true;
  auto done = util::git_ok(
      m_path, {"commit", "--quiet", "--no-verify", "--no-gpg-sign", "--no-edit", "-m", message}, o);
  if (!done) {
    return util::error(done.error());
  }
  return head();
}

util::Expected<std::string> AttemptWorktree::diff() const {
  auto changes = staged_changes(m_path, m_base);
  if (!changes) {
    return util::error(changes.error());
  }
  return std::move(changes->diff);
}

util::Expected<std::string> AttemptWorktree::head() const {
  return util::resolve_commit(m_path, "HEAD");
}

util::Expected<void> AttemptWorktree::remove(bool keep_branch) const {
  if (is_checkout(m_path)) {
    // Twice --force: also a locked worktree, and whatever is modified or untracked in it.
    if (auto removed = util::git_ok(m_repo, {"worktree", "remove", "--force", "--force", m_path});
        !removed) {
      return util::error(removed.error());
    }
  }
  if (auto pruned = util::git_ok(m_repo, {"worktree", "prune"}); !pruned) {
    return util::error(pruned.error());
  }
  if (keep_branch) {
    return {};
  }
  auto tip = util::branch_commit(m_repo, m_branch);
  if (!tip) {
    return util::error(tip.error());
  }
  if (!tip->empty()) {
    if (auto deleted = util::git_ok(m_repo, {"branch", "-D", "--quiet", m_branch}); !deleted) {
      return util::error(deleted.error());
    }
  }
  return {};
}

} // namespace crashpilot::fix
