// SPDX-License-Identifier: MIT
#include <util/child_process.hpp>
#include <util/file.hpp>
#include <util/string.hpp>
#include <util/temp_dir.hpp>

#include <analyze/mcp_edits.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <map>

namespace crashpilot::analyze {

namespace {

size_t count_occurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

// `git diff --no-index` of two trees in `dir` (a/ before, b/ after) with a/ and b/ headers. Its
// exit code is 1 when the files differ, 0 when they do not.
util::Expected<std::string> diff_trees(const std::string& dir,
                                       const std::vector<std::string>& paths) {
  std::string all;
  for (const auto& p : paths) {
    util::RunOptions ro;
    ro.cwd = dir;
    ro.timeout = std::chrono::seconds(30);
    ro.env_set["GIT_PAGER"] = "cat";
    // --no-prefix with operands named a/<path> and b/<path> gives exactly a/<path> b/<path>,
    // whatever the user's diff.noprefix / diff.mnemonicPrefix say.
    auto r = util::run_command({"git", "diff", "--no-index", "--no-color", "--no-ext-diff",
                                "--no-textconv", "--no-renames", "--no-prefix", "--", "a/" + p,
                                "b/" + p},
                               ro);
    if (!r) {
      return util::error(r.error());
    }
    if (r->exit_code != 0 && r->exit_code != 1) {
      return util::error(fmt::format("git diff of '{}' failed: {}", p, util::trim(r->err)));
    }
    all += r->out;
  }
  return all;
}

} // namespace

EditsDiff edits_to_diff(SourceReader& reader, const SourceRef& ref,
                        const std::vector<queue::Edit>& edits) {
  EditsDiff out;
  std::vector<std::string> order;
  std::map<std::string, std::string> before;
  std::map<std::string, std::string> after;
  std::map<std::string, bool> unreadable;
  for (size_t i = 0; i < edits.size(); ++i) {
    const queue::Edit& e = edits[i];
    std::string where = fmt::format("edits[{}] ({})", i, e.path);
    if (!before.count(e.path) && !unreadable.count(e.path)) {
      if (std::string p = reader.path_problem(ref, e.path); !p.empty()) {
        out.problems.push_back(fmt::format("{}: {}{}", where, p,
                                           p.starts_with("there is no file")
                                               ? "; to add a file, send a unified diff in patch"
                                               : ""));
        unreadable[e.path] = true;
        continue;
      }
      auto text = reader.read(ref, e.path);
      if (!text) {
        out.problems.push_back(fmt::format("{}: {}", where, text.error()));
        unreadable[e.path] = true;
        continue;
      }
      before[e.path] = *text;
      after[e.path] = std::move(*text);
      order.push_back(e.path);
    }
    if (unreadable.count(e.path)) {
      continue; // reported once, at its first edit
    }
    if (e.old_string.empty()) {
      out.problems.push_back(
          fmt::format("{}: old_string is empty; quote the exact text to replace", where));
      continue;
    }
    std::string& text = after[e.path];
    size_t n = count_occurrences(text, e.old_string);
    if (n == 0) {
      out.problems.push_back(fmt::format(
          "{}: old_string was not found in the file at commit {}{}; copy it exactly from "
          "get_source (whitespace included)",
          where, ref.commit.substr(0, 12), i > 0 ? " after the earlier edits" : ""));
      continue;
    }
    if (n > 1 && !e.replace_all) {
      out.problems.push_back(fmt::format("{}: old_string occurs {} times; add surrounding lines "
                                         "so it is unique, or set replace_all",
                                         where, n));
      continue;
    }
    if (e.replace_all) {
      text = util::replace_all(text, e.old_string, e.new_string);
    } else {
      text.replace(text.find(e.old_string), e.old_string.size(), e.new_string);
    }
  }
  if (!out.problems.empty()) {
    return out;
  }
  std::vector<std::string> changed;
  for (const auto& p : order) {
    if (before[p] != after[p]) {
      changed.push_back(p);
    }
  }
  if (changed.empty()) {
    out.problems.push_back("the edits change nothing (every new_string equals its old_string)");
    return out;
  }
  auto dir = util::TempDir::create("crashpilot-edits-");
  if (!dir) {
    out.problems.push_back(dir.error());
    return out;
  }
  for (const auto& p : changed) {
    for (const auto& [side, content] : {std::pair{"a/", &before[p]}, std::pair{"b/", &after[p]}}) {
      std::string file = dir->path() + "/" + side + p;
      std::error_code ec;
      std::filesystem::create_directories(std::filesystem::path(file).parent_path(), ec);
      if (auto w = util::write_file_atomic(file, *content); !w) {
        out.problems.push_back(w.error());
        return out;
      }
    }
  }
  auto diff = diff_trees(dir->path(), changed);
  if (!diff) {
    out.problems.push_back(diff.error());
    return out;
  }
  out.diff = std::move(*diff);
  return out;
}

} // namespace crashpilot::analyze
