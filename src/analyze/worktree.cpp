// SPDX-License-Identifier: MIT
#include <util/git.hpp>

#include <analyze/worktree.hpp>
#include <fmt/format.h>

namespace crashpilot::analyze {

std::string git_toplevel(const std::string& dir) {
  return util::git_toplevel(dir);
}

util::Expected<std::string> resolve_commit(const std::string& repo, const std::string& rev) {
  auto full = util::resolve_commit(repo, rev);
  if (!full) {
    return util::error(full.error() + " (fetch it, or check the request's source.base_commit)");
  }
  return full;
}

util::Expected<std::vector<std::string>> tree_files(const std::string& repo,
                                                    const std::string& commit) {
  return util::tree_files(repo, commit);
}

util::Expected<Worktree> Worktree::create(const std::string& repo, const std::string& commit) {
  auto full = resolve_commit(repo, commit);
  if (!full) {
    return util::error(full.error());
  }
  auto dir = util::TempDir::create("crashpilot-wt-");
  if (!dir) {
    return util::error(dir.error());
  }
  Worktree wt;
  wt.m_repo = repo;
  wt.m_commit = *full;
  wt.m_path = dir->path() + "/src";
  if (auto r = util::git_ok(repo, {"worktree", "add", "--detach", "--quiet", wt.m_path, *full});
      !r) {
    return util::error(r.error());
  }
  wt.m_dir = std::move(*dir);
  return wt;
}

Worktree::Worktree(Worktree&& other) noexcept
    : m_repo(std::move(other.m_repo)), m_commit(std::move(other.m_commit)),
      m_path(std::move(other.m_path)), m_dir(std::move(other.m_dir)) {
  other.m_dir.reset();
}

Worktree& Worktree::operator=(Worktree&& other) noexcept {
  if (this != &other) {
    remove();
    m_repo = std::move(other.m_repo);
    m_commit = std::move(other.m_commit);
    m_path = std::move(other.m_path);
    m_dir = std::move(other.m_dir);
    other.m_dir.reset();
  }
  return *this;
}

Worktree::~Worktree() {
  remove();
}

util::Expected<std::string> Worktree::diff() const {
  // `add -A` in the worktree stages into the worktree's own index (.git/worktrees/<name>/index).
  if (auto add = util::git_ok(m_path, {"add", "-A"}); !add) {
    return util::error(add.error());
  }
  auto d = util::git(m_path, {"diff", "--cached", "--no-color", "--no-ext-diff", "--full-index",
                              "--no-renames", "--src-prefix=a/", "--dst-prefix=b/", m_commit});
  if (!d) {
    return util::error(d.error());
  }
  if (!d->ok()) {
    return util::error(
        fmt::format("{}: git diff {} failed: {}", m_path, m_commit, util::git_first_line(d->err)));
  }
  if (d->out_dropped > 0) {
    return util::error(fmt::format("{}: the agent's changes are over 64 MiB of diff", m_path));
  }
  return d->out;
}

void Worktree::remove() {
  if (!m_dir) {
    return;
  }
  (void)util::git(m_repo, {"worktree", "remove", "--force", "--force", m_path});
  m_dir.reset(); // deletes whatever `worktree remove` left
  (void)util::git(m_repo, {"worktree", "prune"});
}

} // namespace crashpilot::analyze
