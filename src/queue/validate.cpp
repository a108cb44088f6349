// SPDX-License-Identifier: MIT
#include <util/child_process.hpp>
#include <util/file.hpp>
#include <util/string.hpp>
#include <util/temp_dir.hpp>
#include <util/utf8.hpp>

#include <fmt/format.h>
#include <queue/diff.hpp>
#include <queue/validate.hpp>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

namespace crashpilot::queue {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::set<std::string>& known_v2_keys() {
  static const std::set<std::string> keys{
      "schema_version", "request_id", "lease_id", "timestamp", "status", "analysis",   "patch",
      "fix_strategy",   "tests",      "risk",     "notes",     "agent",  "fix_content"};
  return keys;
}

// Where nlohmann stopped: its messages say "expected end of input" when a value parsed and more
// bytes followed, which is the "trailing garbage" case worth naming.
std::string json_problem(const json::parse_error& e) {
  std::string what = e.what();
  if (what.find("expected end of input") != std::string::npos) {
    return fmt::format("trailing garbage after the JSON value (byte {})", e.byte);
  }
  return fmt::format("invalid JSON: {}", what);
}

bool inside(const fs::path& root, const fs::path& p) {
  auto r = root.lexically_normal().string();
  auto s = p.lexically_normal().string();
  return s == r || (s.size() > r.size() && s.compare(0, r.size(), r) == 0 && s[r.size()] == '/');
}

std::string symlink_problem(const std::string& path, const std::string& repo_root) {
  std::error_code ec;
  fs::path root = fs::canonical(repo_root, ec);
  if (ec) {
    return fmt::format("repository root {} cannot be resolved: {}", repo_root, ec.message());
  }
  fs::path cur = root;
  for (const auto& part : fs::path(path)) {
    cur /= part;
    struct stat st {};
    if (::lstat(cur.c_str(), &st) != 0) {
      return ""; // the rest does not exist yet: a new file, nothing to follow
    }
    if (S_ISLNK(st.st_mode)) {
      fs::path target = fs::canonical(cur, ec);
      if (ec || !inside(root, target)) {
        return fmt::format("'{}' goes through symlink {} that leaves the repository", path,
                           fs::relative(cur, root).string());
      }
    }
  }
  return "";
}

int64_t lines_in(const std::string& s) {
  if (s.empty()) {
    return 0;
  }
  return static_cast<int64_t>(std::count(s.begin(), s.end(), '\n') + (s.back() == '\n' ? 0 : 1));
}

std::string trimmed_tail(const std::string& s) {
  std::string t(util::trim(s));
  return t.size() > 600 ? t.substr(0, 600) + "..." : t;
}

// git apply --check of `diff` against `commit` (through a throw-away index, so neither the working
// tree nor the real index is touched), or against the working tree when no commit is given.
std::string apply_problem(const std::string& diff, const std::string& repo_root,
                          const std::string& commit) {
  util::RunOptions ro;
  ro.timeout = std::chrono::seconds(60);
  ro.max_output_bytes = size_t{1} << 20;
  ro.env_set["GIT_OPTIONAL_LOCKS"] = "0"; // no opportunistic refresh of the user's index
  std::optional<util::TempDir> tmp;
  std::vector<std::string> apply{"git", "-C", repo_root, "apply", "--check"};
  if (!commit.empty()) {
    auto dir = util::TempDir::create("crashpilot-index-");
    if (!dir) {
      return dir.error();
    }
    tmp.emplace(std::move(*dir));
    ro.env_set["GIT_INDEX_FILE"] = tmp->path() + "/index";
    auto read = util::run_command({"git", "-C", repo_root, "read-tree", commit}, ro);
    if (!read) {
      return read.error();
    }
    if (!read->ok()) {
      return fmt::format("base commit {} is not in {}: {}", commit, repo_root,
                         trimmed_tail(read->err));
    }
    apply.emplace_back("--cached");
  }
  apply.emplace_back("-");
  ro.stdin_data = diff;
  auto r = util::run_command(apply, ro);
  if (!r) {
    return r.error();
  }
  if (!r->ok()) {
    return fmt::format("the diff does not apply to {}: {}",
                       commit.empty() ? "the working tree" : commit, trimmed_tail(r->err));
  }
  return "";
}

void check_paths(const Response& r, const ValidationContext& ctx, Validation& v,
                 std::set<std::string>& touched) {
  std::set<std::string> seen;
  auto check = [&](const std::string& path, const char* where) {
    if (!seen.insert(path).second) {
      return;
    }
    if (std::string p = path_problem(path, ctx.repo_root); !p.empty()) {
      v.reasons.push_back(fmt::format("{}: {}", where, p));
      return;
    }
    std::string why;
    if (!path_allowed(ctx.policy, path, why)) {
      v.reasons.push_back(fmt::format("{}: {}", where, why));
    }
    touched.insert(path);
  };
  for (const auto& f : r.files) {
    check(f.path, "file");
  }
  for (const auto& e : r.edits) {
    check(e.path, "edit");
  }
  DiffSummary d = summarize_diff(r.diff);
  for (const auto& f : d.files) {
    for (const std::string* p : {&f.old_path, &f.new_path}) {
      if (!p->empty()) {
        check(*p, "diff");
      }
    }
    if (f.binary) {
      v.reasons.push_back(fmt::format("diff: binary patch for '{}' is not accepted", f.new_path));
    }
    if (f.mode_change && f.added + f.removed == 0) {
      v.reasons.push_back(
          fmt::format("diff: mode-only change of '{}' is not accepted", f.new_path));
    }
  }
  for (const auto& p : d.problems) {
    v.reasons.push_back("diff: " + p);
  }
  if (!r.diff.empty() && d.files.empty()) {
    v.reasons.push_back(
        "diff: no file sections found (expected a unified diff with a/ and b/ headers)");
  }
  int64_t changed = d.added + d.removed;
  for (const auto& e : r.edits) {
    changed += lines_in(e.old_string) + lines_in(e.new_string);
  }
  if (static_cast<int64_t>(touched.size()) > ctx.policy.max_files) {
    v.reasons.push_back(fmt::format("budget: {} files changed, the policy allows {}",
                                    touched.size(), ctx.policy.max_files));
  }
  if (changed > ctx.policy.max_changed_lines) {
    v.reasons.push_back(fmt::format("budget: {} lines changed, the policy allows {}", changed,
                                    ctx.policy.max_changed_lines));
  }
}

} // namespace

std::string path_problem(const std::string& path, const std::string& repo_root) {
  if (path.empty()) {
    return "empty path";
  }
  if (path.find('\0') != std::string::npos) {
    return "path contains a NUL byte";
  }
  if (path.find('\\') != std::string::npos) {
    return fmt::format("'{}' contains a backslash; paths are '/'-separated and relative", path);
  }
  if (path[0] == '/' || (path.size() >= 2 && path[1] == ':')) {
    return fmt::format("'{}' is an absolute path", path);
  }
  for (auto part : util::split(path, '/')) {
    if (part == "..") {
      return fmt::format("'{}' contains '..' (path traversal)", path);
    }
    if (part == ".git") {
      return fmt::format("'{}' is inside .git/", path);
    }
  }
  if (!repo_root.empty()) {
    return symlink_problem(path, repo_root);
  }
  return "";
}

Validation validate_response(std::string_view bytes, const ValidationContext& ctx) {
  Validation v;
  if (ctx.policy.max_response_bytes > 0 &&
      bytes.size() > static_cast<size_t>(ctx.policy.max_response_bytes)) {
    v.reasons.push_back(fmt::format("size: {} bytes is over the {} byte cap", bytes.size(),
                                    ctx.policy.max_response_bytes));
    return v;
  }
  if (!util::is_valid_utf8(bytes)) {
    v.reasons.push_back("encoding: the response is not valid UTF-8");
    return v;
  }
  json j;
  try {
    j = json::parse(bytes); // strict: bytes after the value are an error
  } catch (const json::parse_error& e) {
    v.reasons.push_back(json_problem(e));
    return v;
  }
  auto parsed = response_from_json(j);
  if (!parsed) {
    v.reasons.push_back(parsed.error());
    return v;
  }
  const Response& r = *parsed;
  if (r.request_id != ctx.request_id) {
    v.reasons.push_back(fmt::format("request_id '{}' does not match the request '{}'", r.request_id,
                                    ctx.request_id));
  }
  bool v1 = r.schema != ResponseSchema::v2;
  if (r.lease_id != ctx.lease_id) {
    if (v1 && r.lease_id.empty()) {
      v.warnings.push_back("schema v1 response without lease_id: shown only, never auto-applied");
    } else if (ctx.lease_id.empty()) {
      v.reasons.push_back(
          fmt::format("lease_id '{}' given, but the request holds no lease", r.lease_id));
    } else {
      v.reasons.push_back(fmt::format("lease_id '{}' does not match the current lease '{}'",
                                      r.lease_id, ctx.lease_id));
    }
  }
  if (!v1) {
    static const std::set<std::string> statuses{"complete", "no_fix", "needs_info", "error"};
    if (statuses.count(r.status) == 0) {
      v.reasons.push_back(
          fmt::format("status '{}' is not one of complete, no_fix, needs_info, error", r.status));
    }
    if (r.status == "complete" && r.diff.empty() && r.edits.empty()) {
      v.reasons.push_back("status 'complete' without patch.diff or patch.edits");
    }
    if (!ctx.base_commit.empty() && !r.base_commit.empty() && r.base_commit != ctx.base_commit) {
      v.reasons.push_back(
          fmt::format("patch.base_commit '{}' is not the request's base commit '{}'", r.base_commit,
                      ctx.base_commit));
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (known_v2_keys().count(it.key()) == 0) {
        v.warnings.push_back(fmt::format("unknown top-level key '{}'", it.key()));
      }
    }
  }
  std::set<std::string> touched;
  check_paths(r, ctx, v, touched);
  // Only a diff whose paths all passed goes to git: git must never be asked about ../ or .git
  // paths.
  if (v.ok() && !r.diff.empty() && !ctx.repo_root.empty()) {
    std::string commit = ctx.base_commit.empty() ? r.base_commit : ctx.base_commit;
    if (std::string p = apply_problem(r.diff, ctx.repo_root, commit); !p.empty()) {
      v.reasons.push_back("apply: " + p);
    }
  }
  v.response = std::move(*parsed);
  return v;
}

Validation validate_response_file(const std::string& path, const ValidationContext& ctx) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    Validation v;
    v.reasons.push_back(fmt::format("{}: cannot stat: {}", path, std::strerror(errno)));
    return v;
  }
  if (!S_ISREG(st.st_mode)) {
    Validation v;
    v.reasons.push_back(fmt::format("{}: not a regular file", path));
    return v;
  }
  auto cap = static_cast<uint64_t>(std::max<int64_t>(ctx.policy.max_response_bytes, 0));
  if (cap > 0 && static_cast<uint64_t>(st.st_size) > cap) {
    Validation v;
    v.reasons.push_back(fmt::format("size: {} bytes is over the {} byte cap", st.st_size, cap));
    return v;
  }
  auto text = util::read_file(path, {.max_bytes = cap > 0 ? cap : size_t{512} << 20});
  if (!text) {
    Validation v;
    v.reasons.push_back(text.error());
    return v;
  }
  return validate_response(*text, ctx);
}

} // namespace crashpilot::queue
