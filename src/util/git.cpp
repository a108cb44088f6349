// SPDX-License-Identifier: MIT
#include <util/git.hpp>
#include <util/string.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <string_view>

extern char** environ;

namespace crashpilot::util {

namespace {

// GIT_EXEC_PATH says where git's own helpers live; every other GIT_* variable redirects what git
// acts on (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_CONFIG_*) or who it says did it.
bool inherited(std::string_view entry) {
  std::string_view name = entry.substr(0, entry.find('='));
  return name.substr(0, 4) != "GIT_" || name == "GIT_EXEC_PATH";
}

std::map<std::string, std::string> git_environment(const GitOptions& o) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string_view::npos && inherited(entry)) {
      env[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
    }
  }
  env["GIT_TERMINAL_PROMPT"] = "0";
  env["GIT_PAGER"] = "cat";
  env["LC_ALL"] = "C";
  // Never the opportunistic index refresh `status`/`diff` do: even a stat-only rewrite of the
  // user's .git/index is a change crashpilot promised not to make. (read_only is kept for callers
  // that say so; the setting is the same for all.)
  (void)o.read_only;
  env["GIT_OPTIONAL_LOCKS"] = "0";
  if (o.identity) {
    // The environment wins over author.name/committer.name in the user's global config.
    env["GIT_AUTHOR_NAME"] = git_user_name;
    env["GIT_AUTHOR_EMAIL"] = git_user_email;
    env["GIT_COMMITTER_NAME"] = git_user_name;
    env["GIT_COMMITTER_EMAIL"] = git_user_email;
  }
  return env;
}

std::string shown_arg(const std::string& a) {
  std::string s = a.size() > 60 ? a.substr(0, 57) + "..." : a;
  if (s.find_first_of(" \t\n'\"") != std::string::npos) {
    s = "'" + replace_all(replace_all(s, "'", "'\\''"), "\n", " ") + "'";
  }
  return s;
}

std::string shown_command(const std::string& repo, const std::vector<std::string>& args) {
  std::string cmd = "git -C " + shown_arg(repo);
  for (const auto& a : args) {
    cmd += " " + shown_arg(a);
  }
  return cmd;
}

// git's complaint in a few lines: "error:"/"fatal:" lines carry the file and hunk it refused.
std::string first_lines(const std::string& err, size_t max_lines) {
  std::vector<std::string> lines;
  for (auto line : split(err, '\n')) {
    line = trim(line);
    if (line.empty() || line.substr(0, 5) == "hint:") {
      continue;
    }
    if (lines.size() == max_lines) {
      lines.emplace_back("...");
      break;
    }
    lines.emplace_back(line);
  }
  return join(lines, "; ");
}

} // namespace

Expected<RunResult> git(const std::string& repo, std::vector<std::string> args,
                        GitOptions options) {
  std::vector<std::string> argv = {"git",
                                   "-C",
                                   repo.empty() ? "." : repo,
                                   "-c",
                                   "core.hooksPath=/dev/null",
                                   "-c",
                                   "commit.gpgsign=false",
                                   "-c",
                                   "gc.auto=0",
                                   "-c",
                                   "maintenance.auto=false",
                                   "-c",
                                   "color.ui=false"};
  if (options.identity) {
    argv.insert(argv.end(), {"-c", fmt::format("user.name={}", git_user_name), "-c",
                             fmt::format("user.email={}", git_user_email)});
  }
  argv.insert(argv.end(), std::make_move_iterator(args.begin()),
              std::make_move_iterator(args.end()));
  RunOptions o;
  o.timeout = options.timeout;
  o.max_output_bytes = options.max_output_bytes;
  o.stdin_data = std::move(options.stdin_data);
  o.env_set = git_environment(options);
  o.clear_env = true;
  auto r = run_command(argv, o);
  if (!r) {
    return error(fmt::format("cannot run git: {}", r.error()));
  }
  return r;
}

Expected<std::string> git_ok(const std::string& repo, std::vector<std::string> args,
                             GitOptions options) {
  std::string cmd = shown_command(repo, args);
  auto timeout = options.timeout;
  auto r = git(repo, std::move(args), std::move(options));
  if (!r) {
    return error(r.error());
  }
  if (r->timed_out) {
    return error(fmt::format("`{}` did not finish within {:.1f} s", cmd,
                             static_cast<double>(timeout.count()) / 1000.0));
  }
  if (!r->ok()) {
    std::string why = first_lines(r->err, 4);
    if (why.empty()) {
      why = first_lines(r->out, 4);
    }
    std::string status = r->term_signal != 0 ? fmt::format("signal {}", r->term_signal)
                                             : fmt::format("exit {}", r->exit_code);
    return error(fmt::format("`{}` failed ({}){}{}", cmd, status, why.empty() ? "" : ": ", why));
  }
  if (r->out_dropped > 0) {
    return error(fmt::format("`{}`: output over {} bytes", cmd, r->out.size()));
  }
  return std::move(r->out);
}

std::string git_first_line(const std::string& out) {
  return std::string(trim(std::string_view(out).substr(0, out.find('\n'))));
}

std::string git_toplevel(const std::string& dir) {
  GitOptions o;
  o.read_only = true;
  auto r = git(dir.empty() ? "." : dir, {"rev-parse", "--show-toplevel"}, o);
  return r && r->ok() ? git_first_line(r->out) : std::string();
}

Expected<std::string> resolve_commit(const std::string& repo, const std::string& rev) {
  if (rev.empty() || rev[0] == '-') {
    return error(fmt::format("{}: '{}' is not a commit name", repo, rev));
  }
  GitOptions o;
  o.read_only = true;
  auto r =
      git(repo, {"rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"}, o);
  if (!r) {
    return error(r.error());
  }
  if (!r->ok()) {
    return error(fmt::format("{}: no commit '{}' in this repository", repo, rev));
  }
  return git_first_line(r->out);
}

Expected<std::vector<std::string>> tree_files(const std::string& repo, const std::string& commit) {
  GitOptions o;
  o.read_only = true;
  auto out = git_ok(repo, {"ls-tree", "-r", "-z", "--name-only", "--end-of-options", commit}, o);
  if (!out) {
    return error(out.error());
  }
  std::vector<std::string> files;
  for (std::string_view f : split(*out, '\0')) {
    if (!f.empty()) {
      files.emplace_back(f);
    }
  }
  return files;
}

Expected<bool> is_ancestor(const std::string& repo, const std::string& ancestor,
                           const std::string& descendant) {
  GitOptions o;
  o.read_only = true;
  auto r = git(repo, {"merge-base", "--is-ancestor", ancestor, descendant}, o);
  if (!r) {
    return error(r.error());
  }
  if (r->exit_code == 0 || r->exit_code == 1) {
    return r->exit_code == 0;
  }
  return error(fmt::format("{}: cannot tell whether {} is an ancestor of {}: {}", repo, ancestor,
                           descendant, first_lines(r->err, 2)));
}

std::string branch_name_problem(const std::string& repo, const std::string& name) {
  if (name.empty()) {
    return "empty branch name";
  }
  if (name[0] == '-') {
    return fmt::format("branch name '{}' starts with '-'", name);
  }
  GitOptions o;
  o.read_only = true;
  auto r = git(repo, {"check-ref-format", "refs/heads/" + name}, o);
  if (!r) {
    return r.error();
  }
  if (!r->ok()) {
    return fmt::format("'{}' is not a valid git branch name (see `git help check-ref-format`)",
                       name);
  }
  return "";
}

Expected<std::string> branch_commit(const std::string& repo, const std::string& name) {
  if (std::string p = branch_name_problem(repo, name); !p.empty()) {
    return error(p);
  }
  GitOptions o;
  o.read_only = true;
  auto r = git(repo, {"rev-parse", "--verify", "--quiet", "refs/heads/" + name + "^{commit}"}, o);
  if (!r) {
    return error(r.error());
  }
  return r->ok() ? git_first_line(r->out) : std::string();
}

} // namespace crashpilot::util
