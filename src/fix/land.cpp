// SPDX-License-Identifier: MIT
#include <util/git.hpp>
#include <util/string.hpp>
#include <util/temp_dir.hpp>

#include <fix/land.hpp>
#include <fmt/format.h>
#include <sys/stat.h>

#include <set>
#include <vector>

namespace crashpilot::fix {

namespace {

constexpr const char* again = "then run `crashpilot apply` again";

util::GitOptions read_only() {
  util::GitOptions o;
  o.read_only = true;
  return o;
}

std::string short_hash(const std::string& h) {
  return h.substr(0, 12);
}

std::string listed(const std::vector<std::string>& paths) {
  std::vector<std::string> shown(
      paths.begin(), paths.begin() + static_cast<long>(std::min<size_t>(paths.size(), 5)));
  std::string s = util::join(shown, ", ");
  if (paths.size() > shown.size()) {
    s += fmt::format(" and {} more", paths.size() - shown.size());
  }
  return s;
}

// The user's repository as a land or revert finds it.
struct UserTree {
  std::string top;
  std::string head;
  std::string head_ref;
};

// The operation git is in the middle of, "" when none: its state files in the git directory.
util::Expected<std::string> operation_in_progress(const std::string& top) {
  static const std::vector<std::pair<std::string, std::string>> states = {
      {"MERGE_HEAD", "a merge (finish it with `git commit`, or `git merge --abort`)"},
      {"rebase-merge", "a rebase (`git rebase --continue` or `git rebase --abort`)"},
      {"rebase-apply", "a rebase or `git am` (`git rebase --abort` / `git am --abort`)"},
      {"CHERRY_PICK_HEAD", "a cherry-pick (`git cherry-pick --continue` or `--abort`)"},
      {"REVERT_HEAD", "a revert (`git revert --continue` or `--abort`)"},
      {"sequencer", "a cherry-pick or revert sequence (`git cherry-pick --abort`)"},
      {"BISECT_LOG", "a bisect (`git bisect reset`)"}};
  std::vector<std::string> args{"rev-parse"};
  for (const auto& s : states) {
    args.insert(args.end(), {"--git-path", s.first});
  }
  auto out = util::git_ok(top, args, read_only());
  if (!out) {
    return util::error(out.error());
  }
  auto paths = util::split(util::trim(*out), '\n');
  for (size_t i = 0; i < states.size() && i < paths.size(); ++i) {
    std::string p(paths[i]);
    if (!p.empty() && p[0] != '/') {
      p = top + "/" + p;
    }
    struct stat st {};
    if (::lstat(p.c_str(), &st) == 0) {
      return states[i].second;
    }
  }
  return std::string();
}

// `git status --porcelain=v2 -z` without untracked files: the changed and the conflicted paths.
util::Expected<std::pair<std::vector<std::string>, std::vector<std::string>>>
changed_tracked(const std::string& top) {
  auto out = util::git_ok(
      top, {"status", "--porcelain=v2", "-z", "--untracked-files=no", "--ignore-submodules=none"},
      read_only());
  if (!out) {
    return util::error(out.error());
  }
  std::vector<std::string> changed;
  std::vector<std::string> conflicted;
  auto fields = util::split(*out, '\0');
  // The path follows a fixed number of space-separated fields per entry kind; a rename ("2") is
  // followed by its original path as the next NUL-separated field.
  auto path_after = [](std::string_view e, int spaces) {
    size_t at = 0;
    for (int i = 0; i < spaces && at != std::string_view::npos; ++i) {
      at = e.find(' ', at);
      at = at == std::string_view::npos ? at : at + 1;
    }
    return at == std::string_view::npos ? std::string(e) : std::string(e.substr(at));
  };
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string_view e = fields[i];
    if (e.size() < 2) {
      continue;
    }
    if (e[0] == '1') {
      changed.push_back(path_after(e, 8));
    } else if (e[0] == '2') {
      changed.push_back(path_after(e, 9));
      ++i;
    } else if (e[0] == 'u') {
      conflicted.push_back(path_after(e, 10));
    }
  }
  return std::make_pair(changed, conflicted);
}

// Everything a land or a revert needs to find before it may touch the user's tree.
util::Expected<UserTree> user_tree(const std::string& repo) {
  UserTree t;
  t.top = util::git_toplevel(repo);
  if (t.top.empty()) {
    return util::error(fmt::format("{}: not inside a git work tree", repo));
  }
  auto op = operation_in_progress(t.top);
  if (!op) {
    return util::error(op.error());
  }
  if (!op->empty()) {
    return util::error(
        fmt::format("{}: {} is in progress; finish or abort it, {}", t.top, *op, again));
  }
  auto state = changed_tracked(t.top);
  if (!state) {
    return util::error(state.error());
  }
  if (!state->second.empty()) {
    return util::error(fmt::format("{}: the index has conflicts in {}; resolve them, {}", t.top,
                                   listed(state->second), again));
  }
  if (!state->first.empty()) {
    return util::error(fmt::format("{}: uncommitted changes to tracked files ({}); commit or stash "
                                   "your changes, {}",
                                   t.top, listed(state->first), again));
  }
  auto ref = util::git(t.top, {"symbolic-ref", "--quiet", "HEAD"}, read_only());
  if (!ref) {
    return util::error(ref.error());
  }
  if (!ref->ok()) {
    return util::error(fmt::format("{}: HEAD is detached; check out the branch the fix should "
                                   "land on (`git switch BRANCH`), {}",
                                   t.top, again));
  }
  t.head_ref = util::git_first_line(ref->out);
  auto head = util::resolve_commit(t.top, "HEAD");
  if (!head) {
    return util::error(fmt::format("{}: {} has no commit yet", t.top, t.head_ref));
  }
  t.head = *head;
  return t;
}

std::string branch_name(const std::string& ref) {
  return ref.rfind("refs/heads/", 0) == 0 ? ref.substr(11) : ref;
}

// Files `target` adds against HEAD that exist in the working tree untracked: a fast-forward would
// refuse to overwrite them, so they are named before anything starts.
util::Expected<std::vector<std::string>> untracked_in_the_way(const UserTree& t,
                                                              const std::string& target) {
  auto out = util::git_ok(t.top,
                          {"diff", "--name-only", "-z", "--no-renames", "--no-relative",
                           "--diff-filter=A", t.head, target, "--"},
                          read_only());
  if (!out) {
    return util::error(out.error());
  }
  std::vector<std::string> in_the_way;
  for (auto f : util::split(*out, '\0')) {
    struct stat st {};
    if (!f.empty() && ::lstat((t.top + "/" + std::string(f)).c_str(), &st) == 0) {
      in_the_way.emplace_back(f);
    }
  }
  return in_the_way;
}

// Moves the user's branch from `prev` to `target` (a descendant) with one `git merge --ff-only`.
// On failure the tree is put back at `prev`: `git reset --hard` loses nothing because user_tree()
// proved there were no uncommitted changes, and it runs only while HEAD is still ours (prev or
// target), never over a commit someone made meanwhile.
util::Expected<std::string> fast_forward(const UserTree& t, const std::string& target) {
  auto now = util::resolve_commit(t.top, "HEAD");
  if (!now || *now != t.head) {
    return util::error(
        fmt::format("{}: HEAD moved while landing; nothing was changed, {}", t.top, again));
  }
  auto merged = util::git_ok(
      t.top, {"merge", "--ff-only", "--no-autostash", "--no-verify-signatures", "--quiet", target});
  auto after = util::resolve_commit(t.top, "HEAD");
  auto state = changed_tracked(t.top);
  bool clean = state && state->first.empty() && state->second.empty();
  if (merged && after && *after == target && clean) {
    return *after;
  }
  if (after && *after == t.head && clean) {
    return util::error(fmt::format("{}: landing failed, nothing was changed: {}", t.top,
                                   merged ? std::string("HEAD did not move") : merged.error()));
  }
  std::string why = !merged  ? merged.error()
                    : !after ? after.error()
                    : *after != target
                        ? fmt::format("HEAD is {}, not {}", short_hash(*after), short_hash(target))
                        : "tracked files differ from the new HEAD";
  if (after && *after != t.head && *after != target) {
    return util::error(fmt::format("{}: landing failed ({}) and HEAD is now {}, a commit "
                                   "crashpilot did not make; nothing was undone, check `git "
                                   "status` and `git log`",
                                   t.top, why, short_hash(*after)));
  }
  auto reset = util::git_ok(t.top, {"reset", "--hard", "--quiet", t.head});
  if (!reset) {
    return util::error(fmt::format("{}: landing failed ({}), and so did restoring {}: {}", t.top,
                                   why, short_hash(t.head), reset.error()));
  }
  return util::error(fmt::format("{}: landing failed and was undone (HEAD is back at {}): {}",
                                 t.top, short_hash(t.head), why));
}

util::Expected<std::string> commit_message(const std::string& top, const std::string& commit) {
  auto body = util::git_ok(top, {"log", "-1", "--format=%B", commit}, read_only());
  if (!body) {
    return util::error(body.error());
  }
  std::string message(util::trim_right(*body));
  return fmt::format("{}\n\n(cherry picked from commit {})\n", message, commit);
}

// Runs `git revert` in a throw-away detached worktree at HEAD, so a conflict never reaches the
// user's tree; the resulting commit is then fast-forwarded like a land.
util::Expected<std::string> revert_commit(const UserTree& t, const std::string& commit,
                                          const std::string& message) {
  auto dir = util::TempDir::create("crashpilot-revert-");
  if (!dir) {
    return util::error(dir.error());
  }
  std::string wt = dir->path() + "/wt";
  if (auto added = util::git_ok(t.top, {"worktree", "add", "--detach", "--quiet", wt, t.head});
      !added) {
    return util::error(added.error());
  }
  struct Cleanup {
    const std::string& top;
    const std::string& wt;
    ~Cleanup() {
      (void)util::git(top, {"worktree", "remove", "--force", "--force", wt});
      (void)util::git(top, {"worktree", "prune"});
    }
  } cleanup{t.top, wt};
  util::GitOptions id;
  id.identity = true;
  auto reverted = util::git(wt, {"revert", "--no-commit", commit}, id);
  if (!reverted) {
    return util::error(reverted.error());
  }
  if (!reverted->ok()) {
    auto conflicts = util::git(wt, {"diff", "--name-only", "--diff-filter=U"}, read_only());
    std::vector<std::string> files;
    if (conflicts && conflicts->ok()) {
      for (auto f : util::split(util::trim(conflicts->out), '\n')) {
        files.emplace_back(f);
      }
    }
    if (!files.empty()) {
      return util::error(fmt::format("{}: reverting {} conflicts with later changes in {}; revert "
                                     "it by hand (`git revert {}`)",
                                     t.top, short_hash(commit), listed(files), commit));
    }
    return util::error(fmt::format("{}: git revert {} failed: {}", t.top, short_hash(commit),
                                   util::git_first_line(reverted->err)));
  }
  std::vector<std::string> args{"commit", "--quiet", "--no-verify", "--no-gpg-sign"};
  if (message.empty()) {
    args.emplace_back("--no-edit"); // git's prepared "Revert ..." message
  } else {
    args.insert(args.end(), {"-m", message});
  }
  if (auto done = util::git_ok(wt, args, id); !done) {
    return util::error(fmt::format("{}: reverting {} gives no commit (already reverted?): {}",
                                   t.top, short_hash(commit), done.error()));
  }
  return util::resolve_commit(wt, "HEAD");
}

} // namespace

util::Expected<LandCheck> check_landable(const std::string& repo, const std::string& branch,
                                         const std::string& base_commit) {
  auto t = user_tree(repo);
  if (!t) {
    return util::error(t.error());
  }
  LandCheck c;
  c.head = t->head;
  c.head_ref = t->head_ref;
  auto tip = util::branch_commit(t->top, branch);
  if (!tip) {
    return util::error(tip.error());
  }
  if (tip->empty()) {
    return util::error(
        fmt::format("{}: no branch {}; the attempt's branch was deleted", t->top, branch));
  }
  c.commit = *tip;
  auto base = util::resolve_commit(t->top, base_commit);
  if (!base) {
    return util::error(base.error());
  }
  c.base = *base;
  if (c.commit == c.base) {
    return util::error(fmt::format("branch {} has no commit past {}; nothing to land", branch,
                                   short_hash(c.base)));
  }
  auto from_base = util::is_ancestor(t->top, c.base, c.commit);
  if (!from_base) {
    return util::error(from_base.error());
  }
  if (!*from_base) {
    return util::error(fmt::format("branch {} does not start at {}", branch, short_hash(c.base)));
  }
  auto landed = util::is_ancestor(t->top, c.commit, c.head);
  if (!landed) {
    return util::error(landed.error());
  }
  if (*landed) {
    return util::error(fmt::format("the fix on {} ({}) is already on {}", branch,
                                   short_hash(c.commit), branch_name(c.head_ref)));
  }
  std::string target = c.commit;
  if (c.head == c.base) {
    c.fast_forward = true;
  } else {
    auto contains = util::is_ancestor(t->top, c.base, c.head);
    if (!contains) {
      return util::error(contains.error());
    }
    if (!*contains) {
      return util::error(fmt::format(
          "your branch moved from {}: {} is now at {}, which does not contain it (rebased or "
          "reset?); analyze the crash again at the new HEAD, or cherry-pick {} by hand",
          short_hash(c.base), branch_name(c.head_ref), short_hash(c.head), branch));
    }
    // A real merge of HEAD and the fix (merge base: the base) into objects only.
    auto merged = util::git(
        t->top,
        {"merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", c.head, c.commit},
        read_only());
    if (!merged) {
      return util::error(merged.error());
    }
    auto fields = util::split(merged->out, '\0');
    if (merged->exit_code == 1) {
      std::set<std::string> unique;
      for (size_t i = 1; i < fields.size(); ++i) {
        if (!fields[i].empty()) {
          unique.emplace(fields[i]);
        }
      }
      return util::error(fmt::format(
          "your branch moved past {} ({} is now at {}) and the fix conflicts with those changes in "
          "{}; analyze the crash again at the new HEAD",
          short_hash(c.base), branch_name(c.head_ref), short_hash(c.head),
          listed(std::vector<std::string>(unique.begin(), unique.end()))));
    }
    if (merged->exit_code != 0 || fields.empty() || !util::is_all_hex(fields[0])) {
      return util::error(
          fmt::format("{}: git merge-tree failed: {}", t->top, util::git_first_line(merged->err)));
    }
    c.tree = std::string(fields[0]);
    target = c.tree;
  }
  auto in_the_way = untracked_in_the_way(*t, target);
  if (!in_the_way) {
    return util::error(in_the_way.error());
  }
  if (!in_the_way->empty()) {
    return util::error(fmt::format("{}: the fix adds {}, which exist untracked in your working "
                                   "tree; move them away, {}",
                                   t->top, listed(*in_the_way), again));
  }
  return c;
}

util::Expected<Landed> land(const std::string& repo, const std::string& branch,
                            const std::string& base_commit, const std::string& message) {
  auto c = check_landable(repo, branch, base_commit);
  if (!c) {
    return util::error(c.error());
  }
  UserTree t{util::git_toplevel(repo), c->head, c->head_ref};
  std::string target = c->commit;
  if (!c->fast_forward) {
    std::string text = message;
    if (text.empty()) {
      auto m = commit_message(t.top, c->commit);
      if (!m) {
        return util::error(m.error());
      }
      text = std::move(*m);
    }
    util::GitOptions o;
    o.identity = true;
    o.stdin_data = text;
    // The tree check_landable() merged, on top of HEAD: exactly what was proven clean, and only
    // objects are written so far.
    auto made = util::git_ok(t.top, {"commit-tree", c->tree, "-p", c->head, "-F", "-"}, o);
    if (!made) {
      return util::error(made.error());
    }
    target = util::git_first_line(*made);
  }
  auto head = fast_forward(t, target);
  if (!head) {
    return util::error(head.error());
  }
  return Landed{c->head, *head, c->fast_forward};
}

util::Expected<std::string> revert(const std::string& repo, const std::string& commit,
                                   const std::string& message) {
  auto t = user_tree(repo);
  if (!t) {
    return util::error(t.error());
  }
  auto full = util::resolve_commit(t->top, commit);
  if (!full) {
    return util::error(full.error());
  }
  auto on_branch = util::is_ancestor(t->top, *full, t->head);
  if (!on_branch) {
    return util::error(on_branch.error());
  }
  if (!*on_branch) {
    return util::error(fmt::format("{} is not on {}; nothing to revert", short_hash(*full),
                                   branch_name(t->head_ref)));
  }
  auto reverted = revert_commit(*t, *full, message);
  if (!reverted) {
    return util::error(reverted.error());
  }
  return fast_forward(*t, *reverted);
}

} // namespace crashpilot::fix
