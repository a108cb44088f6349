// SPDX-License-Identifier: MIT
#include <util/placeholders.hpp>

#include <fix/fix_options.hpp>
#include <fmt/format.h>

#include <cmath>
#include <thread>

namespace crashpilot::fix {

using nlohmann::json;

namespace {

// Reads one section's keys with the key named in every error.
class Reader {
public:
  Reader(const config::Config& cfg, std::string section)
      : m_cfg(cfg), m_section(std::move(section)) {}

  std::string key(std::string_view name) const { return fmt::format("{}.{}", m_section, name); }

  util::Expected<int64_t> integer(std::string_view name, int64_t fallback, int64_t min,
                                  int64_t max) const {
    const json* v = m_cfg.find(key(name));
    if (v == nullptr) {
      return fallback;
    }
    if (!v->is_number_integer() || v->get<int64_t>() < min || v->get<int64_t>() > max) {
      return util::error(fmt::format("{} must be an integer from {} to {} (got {})", key(name), min,
                                     max, v->dump()));
    }
    return v->get<int64_t>();
  }

  util::Expected<double> number(std::string_view name, double fallback) const {
    const json* v = m_cfg.find(key(name));
    if (v == nullptr) {
      return fallback;
    }
    if (!v->is_number() || !std::isfinite(v->get<double>())) {
      return util::error(fmt::format("{} must be a number (got {})", key(name), v->dump()));
    }
    return v->get<double>();
  }

  util::Expected<std::string> string(std::string_view name, std::string fallback) const {
    const json* v = m_cfg.find(key(name));
    if (v == nullptr) {
      return fallback;
    }
    if (!v->is_string()) {
      return util::error(fmt::format("{} must be a string (got {})", key(name), v->dump()));
    }
    return v->get<std::string>();
  }

  util::Expected<std::vector<std::string>> strings(std::string_view name) const {
    const json* v = m_cfg.find(key(name));
    std::vector<std::string> out;
    if (v == nullptr) {
      return out;
    }
    if (!v->is_array()) {
      return util::error(
          fmt::format("{} must be an array of strings (got {})", key(name), v->dump()));
    }
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        return util::error(
            fmt::format("{}[{}] must be a string (got {})", key(name), i, (*v)[i].dump()));
      }
      out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }

private:
  const config::Config& m_cfg;
  std::string m_section;
};

bool is_identifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) {
    return false;
  }
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// git check-ref-format's rules that a prefix can break on its own (the bucket and attempt parts
// that follow are hex and digits).
std::string ref_prefix_problem(std::string_view p) {
  for (char c : p) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '\x7f' || c == '~' || c == '^' || c == ':' ||
        c == '?' || c == '*' || c == '[' || c == '\\') {
      return fmt::format("contains '{}'", c == ' ' ? std::string("space") : std::string(1, c));
    }
  }
  if (p.find("..") != std::string_view::npos || p.find("@{") != std::string_view::npos ||
      p.find("//") != std::string_view::npos || p.find("/.") != std::string_view::npos) {
    return "contains '..', '@{', '//' or a component starting with '.'";
  }
  if (!p.empty() && (p.front() == '/' || p.front() == '-' || p.front() == '.')) {
    return "starts with '/', '-' or '.'";
  }
  return "";
}

} // namespace

int FixOptions::effective_jobs() const {
  if (jobs > 0) {
    return jobs;
  }
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

const std::vector<std::string>& build_placeholders() {
  static const std::vector<std::string> names{"worktree", "repo", "jobs", "build_dir", "ccache"};
  return names;
}

const std::vector<std::string>& verify_placeholders() {
  static const std::vector<std::string> names{"worktree", "repo"};
  return names;
}

util::Expected<FixOptions> fix_options_from_config(const config::Config& cfg) {
  Reader r(cfg, "fix");
  FixOptions o;

  if (const json* b = cfg.find("fix.build"); b != nullptr) {
    if (!b->is_array()) {
      return util::error(
          fmt::format("fix.build must be an array of commands, each an array of strings, e.g. "
                      "[['cmake', '--build', '{{build_dir}}']] (got {})",
                      b->dump()));
    }
    std::map<std::string, std::string> probe;
    for (const auto& name : build_placeholders()) {
      probe[name] = "";
    }
    for (size_t i = 0; i < b->size(); ++i) {
      const json& cmd = (*b)[i];
      std::string where = fmt::format("fix.build[{}]", i);
      if (!cmd.is_array() || cmd.empty()) {
        return util::error(fmt::format(
            "{} must be a non-empty array of strings (a program and its arguments, no shell), "
            "got {}",
            where, cmd.dump()));
      }
      std::vector<std::string> argv;
      for (size_t k = 0; k < cmd.size(); ++k) {
        if (!cmd[k].is_string()) {
          return util::error(
              fmt::format("{}[{}] must be a string (got {})", where, k, cmd[k].dump()));
        }
        argv.push_back(cmd[k].get<std::string>());
        if (auto filled = util::fill_placeholders(argv.back(), probe); !filled) {
          return util::error(fmt::format("{}: {}", where, filled.error()));
        }
      }
      if (argv.front().empty()) {
        return util::error(fmt::format("{}: the program name is empty", where));
      }
      o.build.push_back(std::move(argv));
    }
  }

  auto timeout = r.integer("build_timeout_seconds", o.build_timeout.count(), 1, 7 * 24 * 3600);
  auto jobs = r.integer("jobs", o.jobs, 0, 4096);
  auto log_lines = r.integer("build_log_lines", o.build_log_lines, 1, 100000);
  auto per_day = r.integer("max_attempts_per_day", o.max_attempts_per_day, 0, 1000000);
  auto window = r.integer("gate_window_lines", o.gate_window_lines, 0, 100000);
  for (const auto* v : {&timeout, &jobs, &log_lines, &per_day, &window}) {
    if (!*v) {
      return util::error(v->error());
    }
  }
  o.build_timeout = std::chrono::seconds(*timeout);
  o.jobs = static_cast<int>(*jobs);
  o.build_log_lines = static_cast<int>(*log_lines);
  o.max_attempts_per_day = static_cast<int>(*per_day);
  o.gate_window_lines = static_cast<int>(*window);

  auto build_dir = r.string("build_dir", o.build_dir);
  auto prefix = r.string("branch_prefix", o.branch_prefix);
  auto worktree_dir = r.string("worktree_dir", o.worktree_dir);
  auto approval = r.string("approval_risk", "high");
  for (const auto* v : {&build_dir, &prefix, &worktree_dir, &approval}) {
    if (!*v) {
      return util::error(v->error());
    }
  }
  o.build_dir = *build_dir;
  o.branch_prefix = *prefix;
  if (std::string why = ref_prefix_problem(o.branch_prefix); !why.empty()) {
    return util::error(fmt::format("fix.branch_prefix '{}' cannot start a git branch name: it {}",
                                   o.branch_prefix, why));
  }
  o.worktree_dir = *worktree_dir;
  if (o.worktree_dir.empty()) {
    return util::error("fix.worktree_dir is empty; name a directory for the attempts' worktrees");
  }
  if (*approval == "none") {
    o.approval_risk = std::nullopt;
  } else if (auto risk = risk_from_string(*approval)) {
    o.approval_risk = *risk;
  } else {
    return util::error(fmt::format(
        "fix.approval_risk must be \"low\", \"medium\", \"high\" or \"none\" (got \"{}\")",
        *approval));
  }

  auto macros = r.strings("assert_macros");
  if (!macros) {
    return util::error(macros.error());
  }
  for (size_t i = 0; i < macros->size(); ++i) {
    if (!is_identifier((*macros)[i])) {
      return util::error(fmt::format(
          "fix.assert_macros[{}] '{}' is not a macro name (letters, digits and '_' only)", i,
          (*macros)[i]));
    }
  }
  o.assert_macros = std::move(*macros);

  auto tests = r.strings("test_paths");
  if (!tests) {
    return util::error(tests.error());
  }
  for (size_t i = 0; i < tests->size(); ++i) {
    if ((*tests)[i].empty()) {
      return util::error(fmt::format("fix.test_paths[{}] is empty", i));
    }
  }
  o.test_paths = std::move(*tests);
  return o;
}

util::Expected<VerifyOptions> verify_options_from_config(const config::Config& cfg) {
  Reader r(cfg, "verify");
  VerifyOptions o;
  // argv lists whose placeholders the loop fills per attempt: checked now, not at the first soak.
  auto command = [&](std::string_view name) -> util::Expected<std::vector<std::string>> {
    auto argv = r.strings(name);
    if (!argv) {
      return util::error(argv.error());
    }
    if (!argv->empty() && argv->front().empty()) {
      return util::error(fmt::format("{}: the program name is empty", r.key(name)));
    }
    std::map<std::string, std::string> probe;
    for (const auto& p : verify_placeholders()) {
      probe[p] = "";
    }
    if (auto filled = util::build_argv(*argv, probe); !filled) {
      return util::error(fmt::format("{}: {}", r.key(name), filled.error()));
    }
    return argv;
  };
  auto repro = command("repro_command");
  if (!repro) {
    return util::error(repro.error());
  }
  auto server = command("server_command");
  if (!server) {
    return util::error(server.error());
  }
  o.repro_command = std::move(*repro);
  o.server_command = std::move(*server);

  auto runs = r.integer("repro_runs", o.repro_runs, 1, 10000);
  auto timeout = r.integer("repro_timeout_seconds", o.repro_timeout.count(), 1, 7 * 24 * 3600);
  for (const auto* v : {&runs, &timeout}) {
    if (!*v) {
      return util::error(v->error());
    }
  }
  o.repro_runs = static_cast<int>(*runs);
  o.repro_timeout = std::chrono::seconds(*timeout);

  auto confidence = r.number("soak_confidence", o.soak_confidence);
  auto soak_min = r.number("soak_min_seconds", o.soak_min);
  auto soak_max = r.number("soak_max_seconds", o.soak_max);
  auto interval = r.number("default_crash_interval_seconds", o.default_crash_interval);
  for (const auto* v : {&confidence, &soak_min, &soak_max, &interval}) {
    if (!*v) {
      return util::error(v->error());
    }
  }
  if (!(*confidence > 0 && *confidence < 1)) {
    return util::error(
        fmt::format("verify.soak_confidence must be between 0 and 1, exclusive, e.g. 0.95 (got {})",
                    *confidence));
  }
  if (*soak_min < 0) {
    return util::error(
        fmt::format("verify.soak_min_seconds must not be negative (got {})", *soak_min));
  }
  if (*soak_max <= 0 || *soak_max < *soak_min) {
    return util::error(fmt::format(
        "verify.soak_max_seconds ({}) must be positive and at least verify.soak_min_seconds ({})",
        *soak_max, *soak_min));
  }
  if (*interval <= 0) {
    return util::error(
        fmt::format("verify.default_crash_interval_seconds must be positive (got {})", *interval));
  }
  o.soak_confidence = *confidence;
  o.soak_min = *soak_min;
  o.soak_max = *soak_max;
  o.default_crash_interval = *interval;
  return o;
}

util::Expected<Options> from_config(const config::Config& cfg) {
  auto fix = fix_options_from_config(cfg);
  if (!fix) {
    return util::error(fix.error());
  }
  auto verify = verify_options_from_config(cfg);
  if (!verify) {
    return util::error(verify.error());
  }
  return Options{std::move(*fix), std::move(*verify)};
}

} // namespace crashpilot::fix
