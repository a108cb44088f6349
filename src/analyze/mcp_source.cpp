// SPDX-License-Identifier: MIT
#include <util/child_process.hpp>
#include <util/glob.hpp>
#include <util/string.hpp>

#include <analyze/mcp_source.hpp>
#include <fmt/format.h>
#include <queue/validate.hpp>

namespace crashpilot::analyze {

using nlohmann::json;

namespace {

util::Expected<util::RunResult> git(const std::string& repo, std::vector<std::string> args,
                                    size_t max_output = size_t{64} << 20) {
  args.insert(args.begin(), {"git", "-C", repo});
  util::RunOptions ro;
  ro.max_output_bytes = max_output;
  ro.timeout = std::chrono::seconds(30);
  // A user's pager or colour settings must not reach a parser.
  ro.env_set["GIT_PAGER"] = "cat";
  ro.env_set["GIT_TERMINAL_PROMPT"] = "0";
  return util::run_command(args, ro);
}

std::string first_line(std::string_view s) {
  s = util::trim(s);
  return std::string(s.substr(0, s.find('\n')));
}

bool looks_like_commit(const std::string& c) {
  return c.size() >= 4 && c.size() <= 64 && util::is_all_hex(c);
}

} // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    out.push_back(line);
    if (nl == std::string_view::npos) {
      break;
    }
    text.remove_prefix(nl + 1);
  }
  return out;
}

SourceReader::SourceReader(std::string repo_override, std::vector<std::string> secret_paths)
    : m_repo_override(std::move(repo_override)), m_secret_paths(std::move(secret_paths)) {}

util::Expected<SourceRef> SourceReader::resolve(const json& request) {
  SourceRef ref;
  std::string commit;
  if (request.is_object() && request.contains("source") && request["source"].is_object()) {
    const json& s = request["source"];
    ref.repo_root = s.value("repo_root", std::string());
    commit = s.value("base_commit", std::string());
  }
  if (!m_repo_override.empty()) {
    ref.repo_root = m_repo_override;
  }
  if (ref.repo_root.empty()) {
    return util::error("no repository is configured for this request (set [queue] repo_root in "
                       "crashpilot.toml), so no source can be read");
  }
  if (!commit.empty() && !looks_like_commit(commit)) {
    return util::error(fmt::format("the request's base commit '{}' is not a commit id", commit));
  }
  if (commit.size() == 40 && m_known_commits.count(ref.repo_root + "\n" + commit) != 0) {
    ref.commit = commit;
    return ref;
  }
  std::string rev = commit.empty() ? std::string("HEAD") : commit;
  auto r = git(ref.repo_root, {"rev-parse", "--verify", "--quiet", rev + "^{commit}"});
  if (!r) {
    return util::error(r.error());
  }
  if (!r->ok()) {
    return util::error(fmt::format("{} is not a commit in {}{}", rev, ref.repo_root,
                                   r->err.empty() ? "" : ": " + first_line(r->err)));
  }
  ref.commit = first_line(r->out);
  ref.from_head = commit.empty();
  if (!ref.from_head && ref.commit == commit) {
    if (m_known_commits.size() >= 1024) {
      m_known_commits.clear();
    }
    m_known_commits.insert(ref.repo_root + "\n" + commit);
  }
  return ref;
}

util::Expected<const SourceReader::Tree*> SourceReader::tree(const SourceRef& ref) {
  std::string key = ref.repo_root + "\n" + ref.commit;
  if (auto it = m_trees.find(key); it != m_trees.end()) {
    return &it->second;
  }
  auto r = git(ref.repo_root, {"ls-tree", "-r", "-z", "--full-tree", ref.commit});
  if (!r) {
    return util::error(r.error());
  }
  if (!r->ok() || r->out_dropped > 0) {
    return util::error(
        fmt::format("cannot list the files of {} in {}: {}", ref.commit, ref.repo_root,
                    r->out_dropped > 0 ? "the listing is too large" : first_line(r->err)));
  }
  Tree t;
  // "<mode> <type> <object>\t<path>\0"
  for (auto entry : util::split(r->out, '\0')) {
    size_t tab = entry.find('\t');
    if (tab == std::string_view::npos) {
      continue;
    }
    std::string mode(entry.substr(0, entry.find(' ')));
    std::string path(entry.substr(tab + 1));
    if (mode == "100644" || mode == "100755") {
      t.files.push_back(path);
    }
    t.mode.emplace(std::move(path), std::move(mode));
  }
  // A long-running server sees few commits; keep memory bounded all the same.
  if (m_trees.size() >= 8) {
    m_trees.clear();
  }
  return &m_trees.emplace(key, std::move(t)).first->second;
}

util::Expected<const std::vector<std::string>*> SourceReader::files(const SourceRef& ref) {
  auto t = tree(ref);
  if (!t) {
    return util::error(t.error());
  }
  return &(*t)->files;
}

std::string SourceReader::path_problem(const SourceRef& ref, const std::string& path) {
  // The queue validator's path rules, without its working-tree symlink walk: this reads a commit.
  if (std::string p = queue::path_problem(path, ""); !p.empty()) {
    return p;
  }
  for (const auto& glob : m_secret_paths) {
    if (util::glob_match(glob, path)) {
      return fmt::format("'{}' matches the secret pattern '{}' ([mcp] secret_paths) and is not "
                         "served",
                         path, glob);
    }
  }
  auto t = tree(ref);
  if (!t) {
    return t.error();
  }
  auto it = (*t)->mode.find(path);
  if (it == (*t)->mode.end()) {
    return fmt::format("there is no file '{}' at commit {}", path, ref.commit.substr(0, 12));
  }
  if (it->second == "120000") {
    return fmt::format("'{}' is a symbolic link at commit {}; read the file it points to", path,
                       ref.commit.substr(0, 12));
  }
  if (it->second != "100644" && it->second != "100755") {
    return fmt::format("'{}' is not a regular file at commit {} (mode {})", path,
                       ref.commit.substr(0, 12), it->second);
  }
  return "";
}

util::Expected<std::string> SourceReader::read(const SourceRef& ref, const std::string& path) {
  if (std::string p = path_problem(ref, path); !p.empty()) {
    return util::error(p);
  }
  std::string key = ref.repo_root + "\n" + ref.commit + ":" + path;
  if (auto it = m_files.find(key); it != m_files.end()) {
    return it->second;
  }
  auto r = git(ref.repo_root, {"show", "--no-textconv", ref.commit + ":" + path}, max_file_bytes);
  if (!r) {
    return util::error(r.error());
  }
  if (r->out_dropped > 0) {
    return util::error(
        fmt::format("'{}' is larger than {} bytes; it is not served", path, max_file_bytes));
  }
  if (!r->ok()) {
    return util::error(
        fmt::format("git show {}:{}: {}", ref.commit.substr(0, 12), path, first_line(r->err)));
  }
  if (m_file_bytes + r->out.size() > max_cached_bytes) {
    m_files.clear();
    m_file_bytes = 0;
  }
  m_file_bytes += r->out.size();
  return m_files.emplace(std::move(key), std::move(r->out)).first->second;
}

} // namespace crashpilot::analyze
