// SPDX-License-Identifier: MIT
#include <analyze/runner_options.hpp>
#include <fmt/format.h>

#include <algorithm>

namespace crashpilot::analyze {

using nlohmann::json;

namespace {

util::Expected<int64_t> non_negative(const config::Config& cfg, const std::string& key,
                                     int64_t fallback) {
  const json* v = cfg.find(key);
  if (v == nullptr) {
    return fallback;
  }
  if (!v->is_number_integer() || v->get<int64_t>() < 0) {
    return util::error(fmt::format("{} must be a non-negative integer (got {})", key, v->dump()));
  }
  return v->get<int64_t>();
}

} // namespace

util::Expected<RunnerOptions> runner_options_from_config(const config::Config& cfg) {
  RunnerOptions o;
  struct Num {
    const char* key;
    int64_t fallback;
    int64_t value = 0;
  };
  Num nums[] = {{"analyze.timeout_seconds", 1200},
                {"analyze.idle_timeout_seconds", 300},
                {"analyze.kill_grace_seconds", 10},
                {"analyze.exit_drain_seconds", 10},
                {"analyze.max_output_bytes", int64_t{32} << 20},
                {"analyze.max_attempts_per_bucket", 3},
                {"analyze.retry_backoff_seconds", 30},
                {"analyze.retry_backoff_max_seconds", 600},
                {"analyze.max_turns", 60},
                {"analyze.max_retries", 2}};
  for (Num& n : nums) {
    auto v = non_negative(cfg, n.key, n.fallback);
    if (!v) {
      return util::error(v.error());
    }
    n.value = *v;
  }
  if (nums[0].value == 0) {
    return util::error("analyze.timeout_seconds must be at least 1");
  }
  if (nums[4].value < 4096) {
    return util::error("analyze.max_output_bytes must be at least 4096");
  }
  if (nums[5].value == 0) {
    return util::error("analyze.max_attempts_per_bucket must be at least 1");
  }
  o.limits.wall = std::chrono::seconds(nums[0].value);
  o.limits.idle = std::chrono::seconds(nums[1].value);
  o.limits.kill_grace = std::chrono::seconds(nums[2].value);
  o.limits.exit_drain = std::chrono::seconds(nums[3].value);
  o.limits.max_output_bytes = static_cast<size_t>(nums[4].value);
  o.max_attempts_per_bucket = static_cast<int>(std::min<int64_t>(nums[5].value, 1000));
  o.retry_backoff_seconds = nums[6].value;
  o.retry_backoff_max_seconds = nums[7].value;
  o.max_turns = nums[8].value;
  o.max_retries = static_cast<int>(std::min<int64_t>(nums[9].value, 1000));
  o.env_allow = cfg.get_strings("analyze.env_allow");
  o.run_dir = cfg.get_string("analyze.run_dir", o.run_dir);
  if (o.run_dir.empty()) {
    return util::error("analyze.run_dir is empty; name a directory for the agents' run files");
  }
  if (const json* b = cfg.find("analyze.budget_usd"); b != nullptr) {
    if (b->is_number()) {
      o.budget_usd = fmt::format("{}", b->get<double>());
    } else if (b->is_string()) {
      o.budget_usd = b->get<std::string>();
    } else {
      return util::error("analyze.budget_usd must be a number");
    }
  }
  if (const json* servers = cfg.find("analyze.extra_mcp_servers"); servers != nullptr) {
    if (!servers->is_object()) {
      return util::error("analyze.extra_mcp_servers must be a table of servers, e.g. "
                         "[analyze.extra_mcp_servers.serena] command = \"serena\"");
    }
    for (const auto& [name, s] : servers->items()) {
      std::string where = "analyze.extra_mcp_servers." + name;
      if (name == "crashpilot") {
        return util::error(
            fmt::format("{}: the name 'crashpilot' is crashpilot's own server", where));
      }
      if (!s.is_object() || ((!s.contains("command") || !s["command"].is_string()) &&
                             (!s.contains("url") || !s["url"].is_string()))) {
        return util::error(fmt::format("{} needs a command (stdio) or a url (http) string", where));
      }
      json entry = s;
      std::string description = entry.value("description", std::string());
      entry.erase("description"); // ours, for the prompt; not an MCP config key
      if (!entry.contains("type")) {
        entry["type"] = entry.contains("url") ? "http" : "stdio";
      }
      o.extra_mcp_servers[name] = std::move(entry);
      o.extra_servers.push_back({name, description});
    }
  }
  return o;
}

int64_t backoff_seconds(const RunnerOptions& o, int retry) {
  int64_t s = o.retry_backoff_seconds;
  for (int i = 1; i < retry && s < o.retry_backoff_max_seconds; ++i) {
    s *= 2;
  }
  return std::min(s, o.retry_backoff_max_seconds);
}

} // namespace crashpilot::analyze
