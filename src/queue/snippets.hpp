// SPDX-License-Identifier: MIT
#pragma once

// Source around the crashing frames, read from the repository at the crash's revision with
// `git ls-tree` / `git show <commit>:<path>` (never from the working tree, which may have moved
// on). Optional: without a repository the request simply has no snippets.

#include <model/crash.hpp>
#include <util/expected.hpp>

#include <string>
#include <vector>

namespace crashpilot::queue {

struct Snippet {
  std::string path; // repository-relative
  int start_line = 0;
  int end_line = 0;
  int frame_index = -1;
  std::string text;
};

struct SnippetOptions {
  std::string repo_root;
  std::string commit = "HEAD";
  int context_lines = 20;  // lines before and after the frame's line
  size_t max_snippets = 8; // frames tried, innermost first, one snippet per distinct file:line
};

// Maps a frame's file as a report printed it (`C:\TC\src\server\game\Spells\Spell.cpp`,
// `/build/src/x.cpp`) to a path in the tree: the longest suffix of its components that names a file
// in `tree_files`. "" when none does.
std::string map_to_tree(const std::string& report_path, const std::vector<std::string>& tree_files);

util::Expected<std::vector<Snippet>> read_snippets(const std::vector<model::Frame>& frames,
                                                   const SnippetOptions& options);

} // namespace crashpilot::queue
