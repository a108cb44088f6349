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
using namespace detail;
namespace fs = std::filesystem;

util::Expected<Claim> Queue::claim(const std::string& id, const std::string& holder, int64_t now) {
  if (auto ok = check_id(id); !ok) {
    return util::error(ok.error());
  }
  auto lock = IdLock::acquire(lock_path(id));
  if (!lock) {
    return util::error(lock.error());
  }
  std::string from = request_path(k_requests, id);
  std::string to = request_path(k_in_progress, id);
  // The arbiter: of N claimers, one rename finds the file; the others get ENOENT.
  if (::rename(from.c_str(), to.c_str()) != 0) {
    if (errno == ENOENT) {
      return util::error(
          fmt::format("request '{}' is not pending (claimed by someone else, or unknown)", id));
    }
    return util::error(fmt::format("{}: cannot claim: {}", from, std::strerror(errno)));
  }
  fsync_dir(dir(k_in_progress));
  fsync_dir(dir(k_requests));
  Claim c{id, make_lease(holder, now, m_options.lease_seconds), to, false, 1};
  if (auto w = write_json(lease_path(id), to_json(c.lease)); !w) {
    return util::error(w.error());
  }
  auto j = read_json(to);
  if (!j) {
    return util::error(j.error());
  }
  (*j)["status"] = "in_progress";
  (*j)["processing_started"] = iso_utc(now); // the seed's mark_request_in_progress field
  if (!(*j)["claims"].is_array()) {
    (*j)["claims"] = json::array();
  }
  (*j)["claims"].push_back(claim_record(c.lease));
  c.attempt = attempt_number(*j);
  if (auto w = write_json(to, *j); !w) {
    return util::error(w.error());
  }
  return c;
}

util::Expected<std::optional<Claim>> Queue::claim_next(const std::string& holder, int64_t now) {
  auto all = list();
  if (!all) {
    return util::error(all.error());
  }
  std::vector<RequestEntry> pending;
  for (auto& e : *all) {
    if (e.state == State::pending) {
      pending.push_back(std::move(e));
    }
  }
  std::stable_sort(
      pending.begin(), pending.end(), [](const RequestEntry& a, const RequestEntry& b) {
        return a.request.value("priority_score", 0) > b.request.value("priority_score", 0);
      });
  for (const auto& e : pending) {
    auto c = claim(e.request_id, holder, now);
    if (c) {
      return std::optional<Claim>(std::move(*c));
    }
  }
  return std::optional<Claim>();
}

util::Expected<Claim> Queue::reclaim(const std::string& id, const std::string& holder,
                                     int64_t now) {
  if (auto ok = check_id(id); !ok) {
    return util::error(ok.error());
  }
  auto lock = IdLock::acquire(lock_path(id));
  if (!lock) {
    return util::error(lock.error());
  }
  std::string path = request_path(k_in_progress, id);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    return util::error(fmt::format("request '{}' is not in progress", id));
  }
  std::optional<Lease> old = current_lease(id);
  if (old && !old->expired(now)) {
    return util::error(fmt::format("request '{}' is leased to {} (pid {} on {}) until {}", id,
                                   old->holder, old->pid, old->host, iso_utc(old->expires_at)));
  }
  if (!old && now < static_cast<int64_t>(st.st_ctime) + m_options.claim_grace_seconds) {
    return util::error(
        fmt::format("request '{}' was claimed moments ago and its lease is being written", id));
  }
  Claim c{id, make_lease(holder, now, m_options.lease_seconds), path, true, 1};
  if (auto w = write_json(lease_path(id), to_json(c.lease)); !w) {
    return util::error(w.error());
  }
  auto j = read_json(path);
  if (!j) {
    return util::error(j.error());
  }
  json& claims = (*j)["claims"];
  if (!claims.is_array()) {
    claims = json::array();
  }
  if (!claims.empty()) {
    claims.back()["outcome"] = old ? "lease_expired" : "claimer_died_before_lease";
  }
  claims.push_back(claim_record(c.lease));
  c.attempt = attempt_number(*j) + 1;
  json& attempt = (*j)["attempt"];
  if (!attempt.is_object()) {
    attempt = {{"number", 1}, {"previous", json::array()}};
  }
  if (!attempt["previous"].is_array()) {
    attempt["previous"] = json::array();
  }
  attempt["number"] = c.attempt;
  std::string tail = old ? fmt::format("lease {} of {} (pid {} on {}) expired at {}", old->lease_id,
                                       old->holder, old->pid, old->host, iso_utc(old->expires_at))
                         : std::string("the claimer exited before writing its lease");
  attempt["previous"].push_back(
      {{"response_id", ""}, {"outcome", "lease_expired"}, {"log_tail", tail}});
  (*j)["status"] = "in_progress";
  if (auto w = write_json(path, *j); !w) {
    return util::error(w.error());
  }
  return c;
}

util::Expected<Queue::Held> Queue::hold(const std::string& id, const std::string& lease_id,
                                        std::string_view lost) const {
  auto lock = IdLock::acquire(lock_path(id));
  if (!lock) {
    return util::error(lock.error());
  }
  std::optional<Lease> lease = current_lease(id);
  if (!lease || lease->lease_id != lease_id) {
    return util::error(fmt::format("request '{}': lease '{}' {}", id, lease_id, lost));
  }
  std::string path = request_path(k_in_progress, id);
  auto j = read_json(path);
  if (!j) {
    return util::error(j.error());
  }
  return Held{std::move(*lock), std::move(path), std::move(*j)};
}

util::Expected<void> Queue::release(const std::string& id, const std::string& lease_id,
                                    const std::string& reason, int64_t now) {
  if (auto ok = check_id(id); !ok) {
    return ok;
  }
  auto held = hold(id, lease_id, "is not the current lease");
  if (!held) {
    return util::error(held.error());
  }
  const std::string& path = held->path;
  json* j = &held->request;
  (*j)["status"] = "pending";
  json& claims = (*j)["claims"];
  if (claims.is_array() && !claims.empty()) {
    claims.back()["outcome"] = "released";
    claims.back()["reason"] = reason;
    claims.back()["released_at"] = iso_utc(now);
  }
  if (auto w = write_json(path, *j); !w) {
    return w;
  }
  if (auto m = move_file(path, request_path(k_requests, id)); !m) {
    return m;
  }
  ::unlink(lease_path(id).c_str());
  fsync_dir(dir(k_in_progress));
  return {};
}

util::Expected<void> Queue::complete(const std::string& id, const std::string& lease_id,
                                     int64_t now) {
  if (auto ok = check_id(id); !ok) {
    return ok;
  }
  {
    std::optional<Lease> lease = current_lease(id);
    if (!lease || lease->lease_id != lease_id) {
      return util::error(
          fmt::format("request '{}': lease '{}' is not the current lease", id, lease_id));
    }
  }
  auto checked = check_response(id, now);
  if (!checked) {
    return util::error(checked.error());
  }
  if (!checked->validation.ok()) {
    return util::error(fmt::format("response '{}' rejected: {}", id,
                                   util::join(checked->validation.reasons, "; ")));
  }
  auto held = hold(id, lease_id, "was lost while checking");
  if (!held) {
    return util::error(held.error());
  }
  const std::string& path = held->path;
  json* j = &held->request;
  (*j)["status"] = "completed";
  (*j)["completed_at"] = iso_utc(now);
  if (auto w = write_json(path, *j); !w) {
    return w;
  }
  if (auto m = move_file(response_path(id), dir(k_completed) + "/response_" + id + ".json"); !m) {
    return m;
  }
  if (auto m = move_file(path, request_path(k_completed, id)); !m) {
    return m;
  }
  return move_file(lease_path(id), dir(k_completed) + "/request_" + id + ".lease.json");
}

} // namespace crashpilot::queue
