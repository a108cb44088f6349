// SPDX-License-Identifier: MIT
#pragma once

// Source code as an agent may see it through the MCP server: read from the request's base commit
// with `git show <commit>:<path>` (never from the working tree, which may have moved on or hold
// secrets), confined to the repository. A path is refused when it is absolute, has `..` or `.git`,
// matches a secret glob, or is not a regular file in that commit (symlinks and submodules are
// refused, so nothing outside the repository can be reached through them). What a commit holds
// never changes, so its file list and the files read are kept (within a memory cap).

#include <util/expected.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace crashpilot::analyze {

struct SourceRef {
  std::string repo_root;
  std::string commit;     // full object id
  bool from_head = false; // the request named no base commit: HEAD at the time of the call
};

class SourceReader {
public:
  // `repo_override` ([queue] repo_root) wins over the repository a request names.
  explicit SourceReader(std::string repo_override = "", std::vector<std::string> secret_paths = {});

  // The repository and commit for `request` (null: no request, the override repository at HEAD).
  // An error says why there is no source: no repository configured, a malformed base commit, git
  // failing.
  util::Expected<SourceRef> resolve(const nlohmann::json& request);

  // "" when `path` may be read at `ref`, else why not (one sentence).
  std::string path_problem(const SourceRef& ref, const std::string& path);

  // The file's bytes at the commit (at most max_file_bytes).
  util::Expected<std::string> read(const SourceRef& ref, const std::string& path);

  // The regular files of the commit.
  util::Expected<const std::vector<std::string>*> files(const SourceRef& ref);

  static constexpr size_t max_file_bytes = size_t{8} << 20;

private:
  struct Tree {
    std::vector<std::string> files;                    // regular files only
    std::unordered_map<std::string, std::string> mode; // every entry: path -> mode
  };
  util::Expected<const Tree*> tree(const SourceRef& ref);

  std::string m_repo_override;
  std::vector<std::string> m_secret_paths;
  std::map<std::string, Tree> m_trees; // by repo_root + '\n' + commit
  // Full commit ids already verified in a repository: a commit id names the same commit forever,
  // so only HEAD needs git on every call.
  std::set<std::string> m_known_commits; // repo_root + '\n' + commit
  // File contents by repo_root + '\n' + commit + ':' + path, for the same reason; agents read the
  // same few files again and again. Emptied when it passes the cap.
  std::unordered_map<std::string, std::string> m_files;
  size_t m_file_bytes = 0;
  static constexpr size_t max_cached_bytes = size_t{64} << 20;
};

// Splits text into lines (without their newlines); a final newline does not start a line.
std::vector<std::string_view> split_lines(std::string_view text);

} // namespace crashpilot::analyze
