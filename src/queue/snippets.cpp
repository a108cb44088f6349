// SPDX-License-Identifier: MIT
#include <util/child_process.hpp>
#include <util/string.hpp>

#include <fmt/format.h>
#include <queue/snippets.hpp>

#include <algorithm>
#include <set>
#include <unordered_set>

namespace crashpilot::queue {

namespace {

std::vector<std::string> components(const std::string& path) {
  std::string p = util::replace_all(path, "\\", "/");
  std::vector<std::string> out;
  for (auto part : util::split(p, '/')) {
    if (!part.empty() && part != ".") {
      out.emplace_back(part);
    }
  }
  return out;
}

util::Expected<std::string> git(const SnippetOptions& o, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", o.repo_root});
  util::RunOptions ro;
  ro.max_output_bytes = size_t{64} << 20;
  ro.timeout = std::chrono::seconds(30);
  auto r = util::run_command(args, ro);
  if (!r) {
    return util::error(r.error());
  }
  if (!r->ok()) {
    return util::error(fmt::format("git {}: {}", args[3], util::trim(r->err)));
  }
  return std::move(r->out);
}

} // namespace

std::string map_to_tree(const std::string& report_path,
                        const std::vector<std::string>& tree_files) {
  std::vector<std::string> parts = components(report_path);
  std::unordered_set<std::string> files(tree_files.begin(), tree_files.end());
  for (size_t start = 0; start < parts.size(); ++start) {
    std::string candidate;
    for (size_t i = start; i < parts.size(); ++i) {
      if (parts[i] == "..") {
        candidate.clear();
        break;
      }
      candidate += (candidate.empty() ? "" : "/") + parts[i];
    }
    if (!candidate.empty() && files.count(candidate) != 0) {
      return candidate;
    }
  }
  return "";
}

util::Expected<std::vector<Snippet>> read_snippets(const std::vector<model::Frame>& frames,
                                                   const SnippetOptions& options) {
  std::vector<Snippet> out;
  if (options.repo_root.empty()) {
    return out;
  }
  auto listing = git(options, {"ls-tree", "-r", "--name-only", "--full-tree", options.commit});
  if (!listing) {
    return util::error(listing.error());
  }
  std::vector<std::string> tree;
  for (auto line : util::split(*listing, '\n')) {
    if (!line.empty()) {
      tree.emplace_back(line);
    }
  }
  std::set<std::pair<std::string, int>> seen;
  for (const auto& f : frames) {
    if (out.size() >= options.max_snippets) {
      break;
    }
    if (f.file.empty() || f.line <= 0) {
      continue;
    }
    std::string path = map_to_tree(f.file, tree);
    if (path.empty() || !seen.insert({path, f.line}).second) {
      continue;
    }
    auto text = git(options, {"show", options.commit + ":" + path});
    if (!text) {
      continue; // a file git cannot show (submodule, LFS) just has no snippet
    }
    std::vector<std::string_view> lines = util::split(*text, '\n');
    int first = std::max(1, f.line - options.context_lines);
    int last = std::min(static_cast<int>(lines.size()), f.line + options.context_lines);
    if (first > last) {
      continue;
    }
    Snippet s;
    s.path = path;
    s.start_line = first;
    s.end_line = last;
    s.frame_index = f.index;
    for (int i = first; i <= last; ++i) {
      s.text += std::string(lines[static_cast<size_t>(i - 1)]) + "\n";
    }
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace crashpilot::queue
