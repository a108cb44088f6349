// SPDX-License-Identifier: MIT
#include <util/glob.hpp>

#include <fmt/format.h>
#include <queue/policy.hpp>

namespace crashpilot::queue {

using nlohmann::json;

Policy policy_from_config(const config::Config& cfg) {
  Policy p;
  p.allowed_paths = cfg.get_strings("policy.allowed_paths");
  p.forbidden_paths = cfg.get_strings("policy.forbidden_paths");
  p.max_files = cfg.get_int("policy.max_files", p.max_files);
  p.max_changed_lines = cfg.get_int("policy.max_changed_lines", p.max_changed_lines);
  p.max_response_bytes = cfg.get_int("queue.max_response_bytes", p.max_response_bytes);
  return p;
}

json to_json(const Policy& p) {
  json hierarchy = json::array();
  for (size_t i = 0; i < p.allowed_paths.size(); ++i) {
    hierarchy.push_back({{"level", i + 1}, {"paths", json::array({p.allowed_paths[i]})}});
  }
  return {{"allowed_paths", p.allowed_paths},         {"forbidden_paths", p.forbidden_paths},
          {"hierarchy", std::move(hierarchy)},        {"max_files", p.max_files},
          {"max_changed_lines", p.max_changed_lines}, {"max_response_bytes", p.max_response_bytes}};
}

util::Expected<Policy> policy_from_json(const json& j) {
  if (!j.is_object()) {
    return util::error("policy is not a JSON object");
  }
  Policy p;
  try {
    if (j.contains("allowed_paths")) {
      p.allowed_paths = j.at("allowed_paths").get<std::vector<std::string>>();
    }
    if (j.contains("forbidden_paths")) {
      p.forbidden_paths = j.at("forbidden_paths").get<std::vector<std::string>>();
    }
    p.max_files = j.value("max_files", p.max_files);
    p.max_changed_lines = j.value("max_changed_lines", p.max_changed_lines);
    p.max_response_bytes = j.value("max_response_bytes", p.max_response_bytes);
  } catch (const json::exception& e) {
    return util::error(fmt::format("policy: {}", e.what()));
  }
  return p;
}

bool path_allowed(const Policy& p, const std::string& path, std::string& why) {
  for (const auto& g : p.forbidden_paths) {
    if (util::glob_match(g, path)) {
      why = fmt::format("'{}' matches forbidden path '{}'", path, g);
      return false;
    }
  }
  if (p.allowed_paths.empty()) {
    return true;
  }
  for (const auto& g : p.allowed_paths) {
    if (util::glob_match(g, path)) {
      return true;
    }
  }
  why =
      fmt::format("'{}' is outside the allowed paths ({})", path, fmt::join(p.allowed_paths, ", "));
  return false;
}

} // namespace crashpilot::queue
