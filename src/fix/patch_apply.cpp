// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/git.hpp>
#include <util/string.hpp>

#include <fix/patch_apply.hpp>
#include <fmt/format.h>
#include <queue/diff.hpp>
#include <queue/validate.hpp>
#include <sys/stat.h>

#include <filesystem>
#include <map>

namespace crashpilot::fix {

namespace fs = std::filesystem;

namespace {

// The worktree's top level: git apply silently skips paths outside the directory it runs in.
util::Expected<std::string> top_of(const std::string& worktree) {
  std::string top = util::git_toplevel(worktree);
  if (top.empty()) {
    return util::error(fmt::format("{}: not a git worktree", worktree));
  }
  return top;
}

util::Expected<void> require_clean(const std::string& top) {
  util::GitOptions ro;
  ro.read_only = true;
  auto st = util::git_ok(top, {"status", "--porcelain=v1", "-z", "--untracked-files=no"}, ro);
  if (!st) {
    return util::error(st.error());
  }
  if (st->empty()) {
    return {};
  }
  std::vector<std::string> paths;
  for (auto entry : util::split(*st, '\0')) {
    if (entry.size() > 3 && paths.size() < 5) {
      paths.emplace_back(entry.substr(3));
    }
  }
  return util::error(
      fmt::format("{}: the worktree has uncommitted changes ({}); a patch is applied "
                  "to a clean attempt worktree only",
                  top, util::join(paths, ", ")));
}

// Undoes a half-applied response. Only ever run in an attempt worktree that require_clean() saw
// clean, so nothing but the patch's own changes is lost.
void reset_worktree(const std::string& top) {
  (void)util::git(top, {"reset", "--hard", "--quiet"});
}

util::Expected<void> apply_diff_in(const std::string& top, const std::string& diff) {
  queue::DiffSummary summary = queue::summarize_diff(diff);
  if (summary.files.empty()) {
    return util::error("the diff has no file sections (expected a unified diff with a/ and b/ "
                       "headers)");
  }
  for (const auto& f : summary.files) {
    for (const std::string* p : {&f.old_path, &f.new_path}) {
      if (p->empty()) {
        continue;
      }
      if (std::string why = queue::path_problem(*p, top); !why.empty()) {
        return util::error("diff: " + why);
      }
    }
    if (f.binary) {
      return util::error(fmt::format("diff: binary patch for '{}' is not accepted", f.new_path));
    }
  }
  util::GitOptions o;
  o.stdin_data = diff;
  if (auto check =
          util::git_ok(top, {"apply", "--check", "--index", "--whitespace=nowarn", "-"}, o);
      !check) {
    return util::error("the diff does not apply: " + check.error());
  }
  o.stdin_data = diff;
  if (auto applied = util::git_ok(top, {"apply", "--index", "--whitespace=nowarn", "-"}, o);
      !applied) {
    reset_worktree(top); // git apply is atomic; this covers a git killed half-way (timeout)
    return util::error("the diff does not apply: " + applied.error());
  }
  return {};
}

struct EditedFile {
  std::string original;
  std::string content;
  bool existed = false;
  mode_t mode = 0644;
};

size_t count_occurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// Loads `path` into `files` on first use. "" when fine, else why not.
std::string load(const std::string& top, const std::string& path,
                 std::map<std::string, EditedFile>& files) {
  if (files.count(path) != 0) {
    return "";
  }
  std::string full = top + "/" + path;
  EditedFile f;
  struct stat st {};
  if (::lstat(full.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      return fmt::format("'{}' is a symlink; edit the file it points to", path);
    }
    if (!S_ISREG(st.st_mode)) {
      return fmt::format("'{}' is not a regular file", path);
    }
    auto text = util::read_file(full);
    if (!text) {
      return text.error();
    }
    f.existed = true;
    f.original = std::move(*text);
    f.content = f.original;
    f.mode = st.st_mode & 07777;
  }
  files.emplace(path, std::move(f));
  return "";
}

// Every edit on in-memory copies; "" when all matched, else every reason.
std::string match_edits(const std::string& top, const std::vector<queue::Edit>& edits,
                        std::map<std::string, EditedFile>& files) {
  std::vector<std::string> problems;
  std::map<std::string, bool> created; // paths an earlier edit of this response creates
  for (size_t i = 0; i < edits.size(); ++i) {
    const queue::Edit& e = edits[i];
    auto fail = [&](const std::string& why) {
      problems.push_back(fmt::format("edit {}: {}", i + 1, why));
    };
    if (std::string why = queue::path_problem(e.path, top); !why.empty()) {
      fail(why);
      continue;
    }
    if (std::string why = load(top, e.path, files); !why.empty()) {
      fail(why);
      continue;
    }
    EditedFile& f = files[e.path];
    bool present = f.existed || created[e.path];
    if (e.old_string.empty()) {
      if (present) {
        fail(fmt::format("old_string is empty but '{}' exists; an empty old_string creates a new "
                         "file only",
                         e.path));
        continue;
      }
      f.content = e.new_string;
      created[e.path] = true;
      continue;
    }
    if (!present) {
      fail(fmt::format("'{}' does not exist", e.path));
      continue;
    }
    size_t n = count_occurrences(f.content, e.old_string);
    if (n == 0) {
      fail(fmt::format("old_string not found in {}", e.path));
      continue;
    }
    if (n > 1 && !e.replace_all) {
      fail(fmt::format("old_string matches {} times in {}; add context to make it unique", n,
                       e.path));
      continue;
    }
    f.content = util::replace_all(f.content, e.old_string, e.new_string);
  }
  return util::join(problems, "; ");
}

// Puts back what write_edits() wrote so far; best effort, the caller reports the first error.
void restore(const std::string& top, const std::vector<std::string>& written,
             const std::map<std::string, EditedFile>& files,
             const std::vector<std::string>& made_dirs) {
  for (const auto& path : written) {
    const EditedFile& f = files.at(path);
    std::string full = top + "/" + path;
    if (f.existed) {
      (void)util::write_file_atomic(full, f.original, f.mode);
    } else {
      std::error_code ec;
      fs::remove(full, ec);
    }
  }
  for (auto it = made_dirs.rbegin(); it != made_dirs.rend(); ++it) {
    std::error_code ec;
    fs::remove(*it, ec); // only if still empty
  }
}

struct Written {
  std::vector<std::string> files;
  std::vector<std::string> made_dirs;
};

util::Expected<Written> write_edits(const std::string& top,
                                    const std::map<std::string, EditedFile>& files) {
  Written out;
  std::vector<std::string>& written = out.files;
  std::vector<std::string>& made_dirs = out.made_dirs;
  for (const auto& [path, f] : files) {
    if (f.existed && f.content == f.original) {
      continue;
    }
    std::string full = top + "/" + path;
    std::string why;
    if (!f.existed) {
      // The parents that do not exist yet, outermost first, so a rollback can remove them again.
      std::vector<fs::path> missing;
      for (fs::path d = fs::path(full).parent_path(); !d.empty() && d.string() != top;
           d = d.parent_path()) {
        std::error_code ec;
        if (fs::exists(d, ec)) {
          break;
        }
        missing.insert(missing.begin(), d);
      }
      for (const auto& d : missing) {
        std::error_code ec;
        if (!fs::create_directory(d, ec) && ec) {
          why = fmt::format("{}: cannot create directory: {}", d.string(), ec.message());
          break;
        }
        made_dirs.push_back(d.string());
      }
    }
    if (why.empty()) {
      if (auto w = util::write_file_atomic(full, f.content, f.mode); !w) {
        why = w.error();
      } else {
        written.push_back(path);
      }
    }
    if (!why.empty()) {
      restore(top, written, files, made_dirs);
      return util::error(why);
    }
  }
  return out;
}

util::Expected<void> apply_edits_in(const std::string& top, const std::vector<queue::Edit>& edits) {
  std::map<std::string, EditedFile> files;
  if (std::string problems = match_edits(top, edits, files); !problems.empty()) {
    return util::error(problems);
  }
  auto written = write_edits(top, files);
  if (!written) {
    return util::error(written.error());
  }
  if (written->files.empty()) {
    return util::error("the edits change nothing (every new_string equals its old_string)");
  }
  std::vector<std::string> add{"--literal-pathspecs", "add", "--"};
  add.insert(add.end(), written->files.begin(), written->files.end());
  if (auto staged = util::git_ok(top, add); !staged) {
    restore(top, written->files, files, written->made_dirs);
    reset_worktree(top);
    return util::error(staged.error());
  }
  return {};
}

util::Expected<AppliedPatch> finish(const std::string& top, const std::string& base) {
  auto changes = staged_changes(top, base);
  if (changes && changes->files.empty()) {
    reset_worktree(top);
    return util::error("applying the response changed nothing against the base commit");
  }
  return changes;
}

} // namespace

util::Expected<AppliedPatch> staged_changes(const std::string& worktree,
                                            const std::string& base_commit) {
  // Explicit prefixes and no renames/relative paths/external drivers: the user's diff.* settings
  // must not change what `git apply` later reads.
  std::vector<std::string> common{"diff",          "--cached",        "--no-color",
                                  "--no-ext-diff", "--no-textconv",   "--no-renames",
                                  "--no-relative", "--src-prefix=a/", "--dst-prefix=b/"};
  util::GitOptions ro;
  ro.read_only = true;
  auto numstat = common;
  numstat.insert(numstat.end(), {"--numstat", "-z", base_commit, "--"});
  auto stats = util::git_ok(worktree, numstat, ro);
  if (!stats) {
    return util::error(stats.error());
  }
  AppliedPatch p;
  // -z --numstat without renames: "ADDED\tREMOVED\tPATH\0" per file, "-" counts for binary files.
  for (auto entry : util::split(*stats, '\0')) {
    auto fields = util::split(entry, '\t');
    if (fields.size() < 3) {
      continue;
    }
    p.added += util::parse_int(fields[0]).value_or(0);
    p.removed += util::parse_int(fields[1]).value_or(0);
    p.files.emplace_back(entry.substr(fields[0].size() + fields[1].size() + 2));
  }
  auto full = common;
  full.insert(full.end(), {base_commit, "--"});
  auto diff = util::git_ok(worktree, full, ro);
  if (!diff) {
    return util::error(diff.error());
  }
  p.diff = std::move(*diff);
  return p;
}

util::Expected<AppliedPatch> apply_diff(const std::string& worktree, const std::string& base_commit,
                                        const std::string& diff) {
  auto top = top_of(worktree);
  if (!top) {
    return util::error(top.error());
  }
  if (auto clean = require_clean(*top); !clean) {
    return util::error(clean.error());
  }
  if (auto a = apply_diff_in(*top, diff); !a) {
    return util::error(a.error());
  }
  return finish(*top, base_commit);
}

util::Expected<AppliedPatch> apply_edits(const std::string& worktree,
                                         const std::string& base_commit,
                                         const std::vector<queue::Edit>& edits) {
  auto top = top_of(worktree);
  if (!top) {
    return util::error(top.error());
  }
  if (auto clean = require_clean(*top); !clean) {
    return util::error(clean.error());
  }
  if (auto a = apply_edits_in(*top, edits); !a) {
    return util::error(a.error());
  }
  return finish(*top, base_commit);
}

util::Expected<AppliedPatch> apply_response(const std::string& worktree,
                                            const std::string& base_commit,
                                            const queue::Response& r) {
  if (r.diff.empty() && r.edits.empty()) {
    return util::error("the response has no patch (neither patch.diff nor patch.edits)");
  }
  auto top = top_of(worktree);
  if (!top) {
    return util::error(top.error());
  }
  auto base = util::resolve_commit(*top, base_commit);
  if (!base) {
    return util::error(base.error());
  }
  if (!r.base_commit.empty()) {
    auto theirs = util::resolve_commit(*top, r.base_commit);
    if (!theirs || *theirs != *base) {
      return util::error(fmt::format("the response was written against commit {}, but the attempt "
                                     "is based on {}; analyze the crash again at this commit",
                                     r.base_commit, *base));
    }
  }
  if (auto clean = require_clean(*top); !clean) {
    return util::error(clean.error());
  }
  if (!r.diff.empty()) {
    if (auto a = apply_diff_in(*top, r.diff); !a) {
      return util::error(a.error());
    }
  }
  if (!r.edits.empty()) {
    if (auto a = apply_edits_in(*top, r.edits); !a) {
      if (!r.diff.empty()) {
        reset_worktree(*top); // the diff went in; the response counts as a whole
      }
      return util::error(a.error());
    }
  }
  return finish(*top, *base);
}

} // namespace crashpilot::fix
