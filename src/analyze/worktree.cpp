// SPDX-License-Identifier: MIT
#include <util/child_process.hpp>
#include <util/string.hpp>

#include <analyze/worktree.hpp>
#include <fmt/format.h>

namespace crashpilot::analyze {

namespace {

util::Expected<util::RunResult> git(const std::string& repo, std::vector<std::string> args) {
  std::vector<std::string> argv = {"git", "-C", repo};
  argv.insert(argv.end(), args.begin(), args.end());
  util::RunOptions o;
  o.timeout = std::chrono::seconds(120);
  o.max_output_bytes = size_t{64} << 20;
  // No pager, no prompts, and no user hooks that could touch the user's tree.
  o.env_set = {{"GIT_TERMINAL_PROMPT", "0"}, {"GIT_PAGER", "cat"}, {"LC_ALL", "C"}};
  return util::run_command(argv, o);
}

std::string first_line(const std::string& s) {
  return std::string(util::trim(s.substr(0, s.find('\n'))));
}

} // namespace

std::string git_toplevel(const std::string& dir) {
  auto r = git(dir.empty() ? "." : dir, {"rev-parse", "--show-toplevel"});
  return r && r->ok() ? first_line(r->out) : std::string();
}

util::Expected<std::string> resolve_commit(const std::string& repo, const std::string& rev) {
  auto r = git(repo, {"rev-parse", "--verify", "--quiet", rev + "^{commit}"});
  if (!r) {
    return util::error(r.error());
  }
  if (!r->ok()) {
    return util::error(
        fmt::format("{}: no commit '{}' in this repository (fetch it, or check the request's "
                    "source.base_commit)",
                    repo, rev));
  }
  return first_line(r->out);
}

util::Expected<std::vector<std::string>> tree_files(const std::string& repo,
                                                    const std::string& commit) {
  auto r = git(repo, {"ls-tree", "-r", "-z", "--name-only", commit});
  if (!r) {
    return util::error(r.error());
  }
  if (!r->ok()) {
    return util::error(
        fmt::format("{}: git ls-tree {} failed: {}", repo, commit, util::trim(r->err)));
  }
  std::vector<std::string> files;
  for (std::string_view f : util::split(r->out, '\0')) {
    if (!f.empty()) {
      files.emplace_back(f);
    }
  }
  return files;
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
  auto r = git(repo, {"worktree", "add", "--detach", "--quiet", wt.m_path, *full});
  if (!r) {
    return util::error(r.error());
  }
  if (!r->ok()) {
    return util::error(fmt::format("{}: git worktree add failed: {}", repo, util::trim(r->err)));
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
  auto add = git(m_path, {"add", "-A"});
  if (!add || !add->ok()) {
    return util::error(fmt::format("{}: git add -A failed: {}", m_path,
                                   add ? std::string(util::trim(add->err)) : add.error()));
  }
  auto d = git(m_path, {"diff", "--cached", "--no-color", "--no-ext-diff", "--full-index",
                        "--no-renames", m_commit});
  if (!d || !d->ok()) {
    return util::error(fmt::format("{}: git diff failed: {}", m_path,
                                   d ? std::string(util::trim(d->err)) : d.error()));
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
  (void)git(m_repo, {"worktree", "remove", "--force", "--force", m_path});
  m_dir.reset(); // deletes whatever `worktree remove` left
  (void)git(m_repo, {"worktree", "prune"});
}

} // namespace crashpilot::analyze
