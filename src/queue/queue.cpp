// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/string.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <queue/clock.hpp>
#include <queue/id_lock.hpp>
#include <queue/ids.hpp>
#include <queue/queue.hpp>
#include <queue/queue_files.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

namespace crashpilot::queue {

using nlohmann::json;
namespace fs = std::filesystem;
using namespace detail;

std::string_view to_string(State s) {
  switch (s) {
  case State::pending:
    return "pending";
  case State::in_progress:
    return "in_progress";
  case State::completed:
    return "completed";
  case State::rejected:
    return "rejected";
  }
  return "pending";
}

QueueOptions queue_options_from_config(const config::Config& cfg,
                                       const std::string& root_override) {
  QueueOptions o;
  o.root =
      root_override.empty() ? cfg.get_string("queue.root", ".crashpilot/queue") : root_override;
  o.lease_seconds = cfg.get_int("queue.lease_seconds", o.lease_seconds);
  o.claim_grace_seconds = cfg.get_int("queue.claim_grace_seconds", o.claim_grace_seconds);
  auto size = [&](const char* key, size_t fallback) {
    return static_cast<size_t>(
        std::max<int64_t>(1, cfg.get_int(key, static_cast<int64_t>(fallback))));
  };
  o.limits.max_string_bytes = size("queue.max_string_bytes", o.limits.max_string_bytes);
  o.limits.max_list_items = size("queue.max_list_items", o.limits.max_list_items);
  o.limits.max_log_tail_bytes = size("queue.max_log_tail_bytes", o.limits.max_log_tail_bytes);
  o.limits.max_snippet_bytes = size("queue.max_snippet_bytes", o.limits.max_snippet_bytes);
  o.repo_root = cfg.get_string("queue.repo_root", "");
  return o;
}

util::Expected<Queue> Queue::open(QueueOptions options) {
  if (options.root.empty()) {
    return util::error("queue root is empty (set [queue] root or --queue-root)");
  }
  std::error_code ec;
  fs::create_directories(options.root, ec);
  if (ec) {
    return util::error(
        fmt::format("{}: cannot create the queue root: {}", options.root, ec.message()));
  }
  // Requests hold crash reports and log lines: only the owner reads them.
  if (::chmod(options.root.c_str(), 0700) != 0) {
    return util::error(
        fmt::format("{}: cannot set permissions: {}", options.root, std::strerror(errno)));
  }
  Queue q(std::move(options));
  for (auto name : {k_requests, k_in_progress, k_responses, k_completed, k_rejected, k_locks}) {
    fs::create_directories(q.dir(name), ec);
    if (ec) {
      return util::error(fmt::format("{}: cannot create: {}", q.dir(name), ec.message()));
    }
  }
  return q;
}

std::string Queue::dir(std::string_view name) const {
  return m_options.root + "/" + std::string(name);
}

std::string Queue::request_path(std::string_view dir_name, const std::string& id) const {
  return dir(dir_name) + "/request_" + id + ".json";
}

std::string Queue::response_path(const std::string& id) const {
  return dir(k_responses) + "/response_" + id + ".json";
}

std::string Queue::lease_path(const std::string& id) const {
  return dir(k_in_progress) + "/request_" + id + ".lease.json";
}

std::string Queue::lock_path(const std::string& key) const {
  return dir(k_locks) + "/" + key + ".lock";
}

util::Expected<std::vector<RequestEntry>> Queue::list() const {
  std::vector<RequestEntry> out;
  for (auto [name, state] :
       {std::pair{k_requests, State::pending}, std::pair{k_in_progress, State::in_progress},
        std::pair{k_completed, State::completed}}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir(name), ec)) {
      std::string id = request_id_of(entry.path().filename().string());
      if (id.empty()) {
        continue;
      }
      auto j = read_json(entry.path().string());
      if (!j) {
        continue; // vanished (claimed or completed meanwhile) or unreadable: not listed
      }
      out.push_back({id, state, entry.path().string(), std::move(*j)});
    }
    if (ec) {
      return util::error(fmt::format("{}: cannot list: {}", dir(name), ec.message()));
    }
  }
  return out;
}

util::Expected<RequestEntry> Queue::find(const std::string& id) const {
  if (auto ok = check_id(id); !ok) {
    return util::error(ok.error());
  }
  for (auto [name, state] :
       {std::pair{k_in_progress, State::in_progress}, std::pair{k_requests, State::pending},
        std::pair{k_completed, State::completed}}) {
    std::string path = request_path(name, id);
    if (exists(path)) {
      auto j = read_json(path);
      if (!j) {
        return util::error(j.error());
      }
      return RequestEntry{id, state, path, std::move(*j)};
    }
  }
  return util::error(fmt::format("no request '{}' in {}", id, m_options.root));
}

std::optional<Lease> Queue::current_lease(const std::string& id) const {
  auto j = read_json(lease_path(id));
  if (!j) {
    return std::nullopt;
  }
  auto l = lease_from_json(*j);
  return l ? std::optional<Lease>(std::move(*l)) : std::nullopt;
}

size_t Queue::remove_stale_temp_files() const {
  size_t removed = 0;
  for (auto name : {k_requests, k_in_progress, k_responses, k_completed, k_rejected}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir(name), ec)) {
      std::string file = entry.path().filename().string();
      auto pid = util::atomic_temp_owner(file);
      if (pid && *pid > 0 && ::kill(*pid, 0) != 0 && errno == ESRCH) {
        removed += fs::remove(entry.path(), ec) ? size_t{1} : size_t{0};
      }
    }
  }
  return removed;
}

} // namespace crashpilot::queue
