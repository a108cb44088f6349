// SPDX-License-Identifier: MIT
#include <util/glob.hpp>

#include <fix/fix_options.hpp>
#include <fix/risk.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace crashpilot::fix {

namespace {

constexpr int64_t k_low_max_lines = 30;
constexpr size_t k_low_max_files = 2;
constexpr int64_t k_high_min_lines = 100;

bool is_header(std::string_view path) {
  for (std::string_view ext : {".h", ".hpp", ".hh", ".hxx", ".inl"}) {
    if (path.size() > ext.size() && path.substr(path.size() - ext.size()) == ext) {
      return true;
    }
  }
  return false;
}

// 1-based index of the first allowed_paths glob `path` matches; allowed.size() + 1 for none.
int level_of(const queue::Policy& p, const std::string& path) {
  for (size_t i = 0; i < p.allowed_paths.size(); ++i) {
    if (util::glob_match(p.allowed_paths[i], path)) {
      return static_cast<int>(i + 1);
    }
  }
  return static_cast<int>(p.allowed_paths.size() + 1);
}

} // namespace

std::string_view to_string(Risk r) {
  switch (r) {
  case Risk::low:
    return "low";
  case Risk::medium:
    return "medium";
  case Risk::high:
    return "high";
  }
  return "high";
}

std::optional<Risk> risk_from_string(std::string_view s) {
  for (Risk r : {Risk::low, Risk::medium, Risk::high}) {
    if (to_string(r) == s) {
      return r;
    }
  }
  return std::nullopt;
}

Assessment assess(const queue::Policy& policy, const FixOptions& options,
                  const queue::DiffSummary& diff, const std::vector<MaskFinding>& findings) {
  Assessment a;
  auto raise = [&](Risk r, std::string why) {
    a.risk = std::max(a.risk, r);
    a.reasons.push_back(fmt::format("{} risk: {}", to_string(r), why));
  };
  auto needs = [&](std::string why) {
    a.needs_approval = true;
    a.reasons.push_back(fmt::format("needs approval: {}", why));
  };

  // Every path a file section names: a rename touches both its old and new place.
  std::set<std::string> paths;
  for (const auto& f : diff.files) {
    for (const std::string* p : {&f.old_path, &f.new_path}) {
      if (!p->empty()) {
        paths.insert(*p);
      }
    }
  }
  for (const auto& path : paths) {
    std::string why;
    if (!queue::path_allowed(policy, path, why)) {
      needs(fmt::format("policy violation: {}", why));
      raise(Risk::high, fmt::format("'{}' is outside what the policy allows", path));
    }
    if (!policy.allowed_paths.empty()) {
      int level = level_of(policy, path);
      a.level = std::max(a.level, level);
      if (level == 2) {
        raise(Risk::medium,
              fmt::format("'{}' is at hierarchy level 2 ('{}')", path, policy.allowed_paths[1]));
      } else if (level >= 3 && level <= static_cast<int>(policy.allowed_paths.size())) {
        raise(Risk::high, fmt::format("'{}' is at hierarchy level {} ('{}')", path, level,
                                      policy.allowed_paths[static_cast<size_t>(level - 1)]));
      }
    }
    if (is_header(path)) {
      raise(Risk::high, fmt::format("header '{}' is touched (every includer is affected)", path));
    }
  }

  int64_t changed = diff.added + diff.removed;
  if (changed > k_high_min_lines) {
    raise(Risk::high, fmt::format("{} changed lines (more than {})", changed, k_high_min_lines));
  } else if (changed > k_low_max_lines) {
    raise(Risk::medium, fmt::format("{} changed lines (more than {})", changed, k_low_max_lines));
  }
  if (diff.files.size() > k_low_max_files) {
    raise(Risk::medium, fmt::format("{} files (more than {})", diff.files.size(), k_low_max_files));
  }
  if (static_cast<int64_t>(diff.files.size()) > policy.max_files) {
    needs(fmt::format("policy violation: {} files, the policy allows {}", diff.files.size(),
                      policy.max_files));
  }
  if (changed > policy.max_changed_lines) {
    needs(fmt::format("policy violation: {} changed lines, the policy allows {}", changed,
                      policy.max_changed_lines));
  }
  for (const auto& f : diff.files) {
    std::string path = f.new_path.empty() ? f.old_path : f.new_path;
    if (f.binary) {
      needs(fmt::format("binary patch for '{}'", path));
    }
    if (f.mode_change) {
      needs(fmt::format("file mode change of '{}'", path));
    }
  }
  for (const auto& p : diff.problems) {
    needs(fmt::format("malformed diff: {}", p));
  }
  if (diff.files.empty()) {
    needs("the diff changes no file");
  }

  if (!findings.empty()) {
    std::set<std::string> rules;
    for (const auto& f : findings) {
      rules.insert(f.rule);
    }
    std::string list = fmt::format("{}", fmt::join(rules, ", "));
    raise(Risk::high, fmt::format("the anti-mask gate fired ({})", list));
    needs(fmt::format("the patch may hide the crash instead of fixing it ({})", list));
  }
  if (options.approval_risk && a.risk >= *options.approval_risk) {
    needs(fmt::format("{} risk is at or above [fix] approval_risk = \"{}\"", to_string(a.risk),
                      to_string(*options.approval_risk)));
  }
  return a;
}

nlohmann::json to_json(const Assessment& a) {
  return {{"risk", to_string(a.risk)},
          {"level", a.level},
          {"needs_approval", a.needs_approval},
          {"reasons", a.reasons}};
}

} // namespace crashpilot::fix
