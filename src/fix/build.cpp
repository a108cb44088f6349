// SPDX-License-Identifier: MIT
#include <util/child_process.hpp>
#include <util/file.hpp>
#include <util/placeholders.hpp>
#include <util/string.hpp>

#include <fix/build.hpp>
#include <fix/build_log.hpp>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace crashpilot::fix {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The argv as a reader would type it: arguments with spaces or quotes are single-quoted.
std::string shown(const std::vector<std::string>& argv) {
  std::vector<std::string> parts;
  for (const auto& a : argv) {
    bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    parts.push_back(plain ? a : "'" + util::replace_all(a, "'", "'\\''") + "'");
  }
  return util::join(parts, " ");
}

void append_stream(std::string& log, const std::string& data, size_t dropped,
                   std::string_view name) {
  log += data;
  if (!data.empty() && data.back() != '\n') {
    log += '\n';
  }
  if (dropped > 0) {
    log += fmt::format("[crashpilot: {} more bytes of {} dropped]\n", dropped, name);
  }
}

} // namespace

std::string find_in_path(const std::string& program) {
  if (program.empty()) {
    return "";
  }
  const char* path = std::getenv("PATH");
  for (std::string_view dir : util::split(path != nullptr ? path : "", ':')) {
    std::string candidate = fmt::format("{}/{}", dir.empty() ? "." : dir, program);
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return "";
}

std::map<std::string, std::string>
build_values(const FixOptions& options, const std::string& worktree, const std::string& repo) {
  return {{"worktree", worktree},
          {"repo", repo},
          {"jobs", std::to_string(options.effective_jobs())},
          {"build_dir", options.build_dir},
          {"ccache", find_in_path("ccache")}};
}

BuildSpec build_spec(const FixOptions& options, const std::string& worktree,
                     const std::string& repo, const std::string& log_path) {
  BuildSpec s;
  s.commands = options.build;
  s.cwd = worktree;
  s.values = build_values(options, worktree, repo);
  s.timeout = options.build_timeout;
  s.log_path = log_path;
  s.feedback_lines = static_cast<size_t>(options.build_log_lines);
  return s;
}

util::Expected<BuildResult> run_build(const BuildSpec& spec, const std::atomic<bool>* cancel) {
  // Every placeholder first: a typo must fail before the first command changes anything.
  std::vector<std::vector<std::string>> commands;
  for (size_t i = 0; i < spec.commands.size(); ++i) {
    if (spec.commands[i].empty() || spec.commands[i].front().empty()) {
      return util::error(fmt::format("build command {} is empty", i + 1));
    }
    auto argv = util::build_argv(spec.commands[i], spec.values);
    if (!argv) {
      return util::error(fmt::format("build command {}: {}", i + 1, argv.error()));
    }
    commands.push_back(std::move(*argv));
  }
  std::error_code ec;
  if (!spec.cwd.empty() && !std::filesystem::is_directory(spec.cwd, ec)) {
    return util::error(fmt::format("build directory {} does not exist", spec.cwd));
  }
  if (spec.log_path.empty()) {
    return util::error("no build log path given");
  }
  std::filesystem::path parent = std::filesystem::path(spec.log_path).parent_path();
  if (!parent.empty()) {
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return util::error(fmt::format("cannot create the directory of build log {}: {}",
                                     spec.log_path, ec.message()));
    }
  }

  BuildResult r;
  r.log_path = spec.log_path;
  std::string log;
  auto save = [&]() { return util::write_file_atomic(spec.log_path, log); };
  if (auto w = save(); !w) {
    return util::error(fmt::format("cannot write build log: {}", w.error()));
  }
  const auto start = Clock::now();
  const auto deadline = start + spec.timeout;
  r.ok = true;
  for (size_t i = 0; i < commands.size(); ++i) {
    const auto& argv = commands[i];
    log += fmt::format("==> [{}/{}] {}\n", i + 1, commands.size(), shown(argv));
    const auto cmd_start = Clock::now();
    auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - cmd_start);
    util::RunOptions ro;
    ro.cwd = spec.cwd;
    ro.timeout = remaining;
    ro.max_output_bytes = spec.max_output_bytes;
    ro.new_session = true; // terminal signals reach crashpilot, which cancels the build
    ro.kill_grace = std::chrono::seconds(5);
    ro.cancel = cancel;

    auto fail = [&](std::string message) {
      r.ok = false;
      r.failed_command_index = static_cast<int>(i);
      r.failed_command = shown(argv);
      r.message = std::move(message);
    };
    if (remaining.count() <= 0) {
      r.timed_out = true;
      r.exit_code = -1;
      fail(fmt::format("build timed out after {} s before command {} of {} ({})",
                       spec.timeout.count(), i + 1, commands.size(), shown(argv)));
      log += "==> not run: the build's time is up\n";
      break;
    }
    auto run = util::run_command(argv, ro);
    double took = seconds_since(cmd_start);
    if (!run) {
      r.not_started = true;
      r.exit_code = -1;
      fail(fmt::format("build command {} of {} could not be started: {} (is '{}' installed and "
                       "in PATH?)",
                       i + 1, commands.size(), run.error(), argv.front()));
      log += fmt::format("==> cannot start: {}\n", run.error());
      break;
    }
    append_stream(log, run->out, run->out_dropped, "stdout");
    append_stream(log, run->err, run->err_dropped, "stderr");
    if (run->ok()) {
      log += fmt::format("==> exit 0 after {:.1f} s\n", took);
      if (auto w = save(); !w) {
        return util::error(fmt::format("cannot write build log: {}", w.error()));
      }
      continue;
    }
    r.exit_code = run->exit_code;
    r.term_signal = run->term_signal;
    r.timed_out = run->timed_out && !run->cancelled;
    r.cancelled = run->cancelled;
    std::string what =
        run->cancelled          ? "was cancelled"
        : run->timed_out        ? fmt::format("ran out of the build's {} s", spec.timeout.count())
        : run->term_signal != 0 ? fmt::format("was killed by signal {}", run->term_signal)
                                : fmt::format("failed with exit code {}", run->exit_code);
    fail(fmt::format("build command {} of {} ({}) {} after {:.1f} s", i + 1, commands.size(),
                     shown(argv), what, took));
    log += fmt::format("==> {} after {:.1f} s\n", what, took);
    break;
  }
  r.seconds = seconds_since(start);
  if (r.ok) {
    r.message = commands.empty() ? "no build commands configured ([fix] build = [])"
                                 : fmt::format("build succeeded: {} command(s) in {:.1f} s",
                                               commands.size(), r.seconds);
  } else {
    r.errors = build_errors(log, spec.feedback_lines);
    r.tail = log_tail(log, spec.feedback_lines);
  }
  if (auto w = save(); !w) {
    return util::error(fmt::format("cannot write build log: {}", w.error()));
  }
  return r;
}

nlohmann::json to_json(const BuildResult& r) {
  nlohmann::json j = {
      {"ok", r.ok}, {"seconds", r.seconds}, {"log_path", r.log_path}, {"message", r.message}};
  if (!r.ok) {
    j["failed_command_index"] = r.failed_command_index;
    j["failed_command"] = r.failed_command;
    j["exit_code"] = r.exit_code;
    j["term_signal"] = r.term_signal;
    j["not_started"] = r.not_started;
    j["timed_out"] = r.timed_out;
    j["cancelled"] = r.cancelled;
    j["errors"] = r.errors;
    j["tail"] = r.tail;
  }
  return j;
}

} // namespace crashpilot::fix
