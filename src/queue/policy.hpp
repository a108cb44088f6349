// SPDX-License-Identifier: MIT
#pragma once

// What a response may change: path globs (see util/glob.hpp) and budgets. It is written into every
// request (`policy`) so the agent sees the rules, and the validator checks responses against the
// copy in the request they answer, so a config change never re-judges work in flight.

#include <config/config.hpp>
#include <util/expected.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace crashpilot::queue {

struct Policy {
  std::vector<std::string> allowed_paths;   // empty = any path; the order is the preference order
  std::vector<std::string> forbidden_paths; // wins over allowed_paths
  int64_t max_files = 10;
  int64_t max_changed_lines = 500;
  int64_t max_response_bytes = int64_t{8} << 20;
};

// From `[policy]` and `[queue] max_response_bytes`.
Policy policy_from_config(const config::Config& cfg);

// §6.2 shape; `hierarchy` lists allowed_paths as levels 1, 2, ... (the order of preference).
nlohmann::json to_json(const Policy& p);
util::Expected<Policy> policy_from_json(const nlohmann::json& j);

// True when `path` (relative, '/'-separated) is inside allowed_paths and outside forbidden_paths;
// otherwise `why` says which rule refused it.
bool path_allowed(const Policy& p, const std::string& path, std::string& why);

} // namespace crashpilot::queue
