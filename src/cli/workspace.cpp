// SPDX-License-Identifier: MIT
#include <cli/commands.hpp>
#include <cli/terminal.hpp>
#include <cli/workspace.hpp>
#include <triage/signature.hpp>

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>

namespace crashpilot::cli {

namespace {

util::Expected<int64_t> positive(const config::Config& cfg, std::string_view key,
                                 int64_t fallback) {
  const nlohmann::json* v = cfg.find(key);
  if (v == nullptr) {
    return fallback;
  }
  if (!v->is_number_integer() || v->get<int64_t>() <= 0) {
    return util::error(fmt::format("config: {} must be a positive integer, got {} ({})", key,
                                   v->dump(), cfg.origin(key)));
  }
  return v->get<int64_t>();
}

} // namespace

util::Expected<store::Options> store_options_from_config(const config::Config& cfg,
                                                         double similarity_threshold) {
  store::Options o;
  auto per_bucket = positive(cfg, "store.max_occurrences_per_bucket",
                             static_cast<int64_t>(o.retention.max_occurrences_per_bucket));
  auto total = positive(cfg, "store.max_total_raw_bytes",
                        static_cast<int64_t>(o.retention.max_total_raw_bytes));
  auto per_report = positive(cfg, "store.max_raw_bytes_per_report",
                             static_cast<int64_t>(o.retention.max_raw_bytes_per_report));
  auto busy = positive(cfg, "store.busy_timeout_ms", o.busy_timeout_ms);
  for (const auto* r : {&per_bucket, &total, &per_report, &busy}) {
    if (!*r) {
      return util::error(r->error());
    }
  }
  o.retention.max_occurrences_per_bucket = static_cast<size_t>(*per_bucket);
  o.retention.max_total_raw_bytes = static_cast<size_t>(*total);
  o.retention.max_raw_bytes_per_report = static_cast<size_t>(*per_report);
  o.busy_timeout_ms = static_cast<int>(std::min<int64_t>(*busy, 3600000));
  o.is_near = [similarity_threshold](const model::Signature& a, const model::Signature& b) {
    return triage::is_near(a, b, similarity_threshold);
  };
  return o;
}

std::string store_path(const Invocation& inv, const config::Config& cfg) {
  if (!inv.global.store.empty()) {
    return inv.global.store;
  }
  return cfg.get_string("store.path", ".crashpilot/crashpilot.db");
}

std::string host_name() {
  std::array<char, 256> buf{};
  if (::gethostname(buf.data(), buf.size() - 1) != 0) {
    return "localhost";
  }
  return buf.data();
}

std::string default_holder() {
  const char* user = std::getenv("USER");
  std::string name = user && *user ? user : "";
  if (name.empty()) {
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_name) {
      name = pw->pw_name;
    }
  }
  return fmt::format("{}@{}", name.empty() ? "user" : name, host_name());
}

std::optional<Workspace> open_workspace(const Invocation& inv, const config::Config& cfg,
                                        WorkspaceNeeds needs, int& exit_code) {
  auto rules = triage::Rules::from_config(cfg);
  if (!rules) {
    print_error(rules.error());
    exit_code = exit_code::usage;
    return std::nullopt;
  }
  Workspace ws{std::move(*rules), std::nullopt, std::nullopt, queue::policy_from_config(cfg),
               host_name()};
  if (needs.store) {
    auto options = store_options_from_config(cfg, ws.rules.similarity_threshold);
    if (!options) {
      print_error(options.error());
      exit_code = exit_code::usage;
      return std::nullopt;
    }
    std::string path = store_path(inv, cfg);
    if (path.empty()) {
      print_error("the store path is empty (set [store] path or --store)");
      exit_code = exit_code::usage;
      return std::nullopt;
    }
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) {
      std::filesystem::create_directories(parent, ec);
    }
    auto store = store::Store::open(path, std::move(*options));
    if (!store) {
      print_error(store.error());
      exit_code = exit_code::failure;
      return std::nullopt;
    }
    ws.store.emplace(std::move(*store));
  }
  if (needs.queue) {
    auto queue = queue::Queue::open(queue::queue_options_from_config(cfg, inv.global.queue_root));
    if (!queue) {
      print_error(queue.error());
      exit_code = exit_code::failure;
      return std::nullopt;
    }
    ws.queue.emplace(std::move(*queue));
  }
  return ws;
}

} // namespace crashpilot::cli
