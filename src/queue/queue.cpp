// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/string.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <queue/clock.hpp>
#include <queue/id_lock.hpp>
#include <queue/ids.hpp>
#include <queue/queue.hpp>
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

namespace {

constexpr std::string_view k_requests = "requests";
constexpr std::string_view k_in_progress = "in_progress";
constexpr std::string_view k_responses = "responses";
constexpr std::string_view k_completed = "completed";
constexpr std::string_view k_rejected = "rejected";
constexpr std::string_view k_locks = ".locks";

void fsync_dir(const std::string& dir) {
  util::Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) {
    ::fsync(fd.get()); // best effort, as in AtomicFile
  }
}

std::string parent_of(const std::string& path) {
  return fs::path(path).parent_path().string();
}

// rename(2) plus fsync of both directories, so the move survives a power cut.
util::Expected<void> move_file(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return util::error(fmt::format("{}: cannot move to {}: {}", from, to, std::strerror(errno)));
  }
  fsync_dir(parent_of(to));
  if (parent_of(to) != parent_of(from)) {
    fsync_dir(parent_of(from));
  }
  return {};
}

util::Expected<json> read_json(const std::string& path) {
  auto text = util::read_file(path, {.max_bytes = size_t{64} << 20});
  if (!text) {
    return util::error(text.error());
  }
  try {
    return json::parse(*text);
  } catch (const json::exception& e) {
    return util::error(fmt::format("{}: {}", path, e.what()));
  }
}

util::Expected<void> write_json(const std::string& path, const json& j) {
  return util::write_file_atomic(path, j.dump(2) + "\n");
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

util::Expected<void> check_id(const std::string& id) {
  if (!is_valid_id(id)) {
    return util::error(fmt::format("'{}' is not a valid request id ([A-Za-z0-9_-]{{1,64}})", id));
  }
  return {};
}

// request_{id}.json -> id; "" for anything else (leases, temporary files, other names).
std::string request_id_of(const std::string& name) {
  constexpr std::string_view prefix = "request_";
  constexpr std::string_view suffix = ".json";
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return "";
  }
  std::string id = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  return is_valid_id(id) ? id : "";
}

// Seed requests have no `attempt` object: they are attempt 1.
int64_t attempt_number(const json& request) {
  auto it = request.find("attempt");
  return it != request.end() && it->is_object() ? it->value("number", int64_t{1}) : int64_t{1};
}

json claim_record(const Lease& l) {
  return {{"lease_id", l.lease_id},
          {"holder", l.holder},
          {"pid", l.pid},
          {"host", l.host},
          {"claimed_at", iso_utc(l.claimed_at)},
          {"expires_at", iso_utc(l.expires_at)}};
}

} // namespace

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

util::Expected<std::optional<std::string>>
Queue::find_open_for_bucket(const std::string& bucket_id) const {
  // The bucket's index file names the request enqueue last made for it (written under the bucket
  // lock): one small read instead of parsing every open request, which made enqueue O(open requests).
  auto text = util::read_file(bucket_index_path(bucket_id), {256});
  if (!text) {
    return std::optional<std::string>(); // never enqueued
  }
  std::string id(util::trim(*text));
  if (!is_valid_id(id)) {
    return std::optional<std::string>();
  }
  for (auto name : {k_requests, k_in_progress}) {
    if (exists(request_path(name, id))) {
      return std::optional<std::string>(id);
    }
  }
  return std::optional<std::string>(); // completed or rejected: the next occurrence opens a new one
}

std::string Queue::bucket_index_path(const std::string& bucket_id) const {
  return lock_path("bucket_" + bucket_id) + ".request";
}

util::Expected<EnqueueResult> Queue::enqueue(const RequestInput& input) {
  return enqueue(input, now_unix());
}

util::Expected<EnqueueResult> Queue::enqueue(const RequestInput& input, int64_t now) {
  if (!is_valid_id(input.bucket.id)) {
    return util::error(fmt::format("bucket id '{}' is not a safe token", input.bucket.id));
  }
  // One enqueuer per bucket at a time, so two occurrences arriving together make one request.
  auto bucket_lock = IdLock::acquire(lock_path("bucket_" + input.bucket.id));
  if (!bucket_lock) {
    return util::error(bucket_lock.error());
  }
  auto open_id = find_open_for_bucket(input.bucket.id);
  if (!open_id) {
    return util::error(open_id.error());
  }
  if (*open_id) {
    const std::string& id = **open_id;
    auto lock = IdLock::acquire(lock_path(id));
    if (!lock) {
      return util::error(lock.error());
    }
    // Under the request's lock the file cannot move; look again in case it moved before we locked.
    for (auto name : {k_in_progress, k_requests}) {
      std::string path = request_path(name, id);
      if (!exists(path)) {
        continue;
      }
      auto j = read_json(path);
      if (!j) {
        return util::error(j.error());
      }
      update_occurrences(*j, input.bucket, now);
      if (auto w = write_json(path, *j); !w) {
        return util::error(w.error());
      }
      return EnqueueResult{id, false, path};
    }
    // It completed meanwhile: the new occurrence opens a new request below.
  }
  std::string id;
  do {
    id = random_hex(4); // the seed's 8-hex ids
  } while (exists(request_path(k_requests, id)) || exists(request_path(k_in_progress, id)) ||
           exists(request_path(k_completed, id)));
  json request = build_request(input, id, response_path(id), now, m_options.limits);
  std::string path = request_path(k_requests, id);
  if (auto w = write_json(path, request); !w) {
    return util::error(w.error());
  }
  if (auto w = util::write_file_atomic(bucket_index_path(input.bucket.id), id + "\n", 0600); !w) {
    return util::error(w.error());
  }
  return EnqueueResult{id, true, path};
}

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

util::Expected<void> Queue::release(const std::string& id, const std::string& lease_id,
                                    const std::string& reason, int64_t now) {
  if (auto ok = check_id(id); !ok) {
    return ok;
  }
  auto lock = IdLock::acquire(lock_path(id));
  if (!lock) {
    return util::error(lock.error());
  }
  std::optional<Lease> lease = current_lease(id);
  if (!lease || lease->lease_id != lease_id) {
    return util::error(
        fmt::format("request '{}': lease '{}' is not the current lease", id, lease_id));
  }
  std::string path = request_path(k_in_progress, id);
  auto j = read_json(path);
  if (!j) {
    return util::error(j.error());
  }
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

util::Expected<CheckResult> Queue::check_response(const std::string& id, int64_t now) {
  if (auto ok = check_id(id); !ok) {
    return util::error(ok.error());
  }
  std::string response = response_path(id);
  if (!exists(response)) {
    return util::error(fmt::format("no response for '{}' ({})", id, response));
  }
  auto entry = find(id);
  ValidationContext ctx;
  ctx.request_id = id;
  if (entry) {
    const json& req = entry->request;
    if (req.contains("policy")) {
      auto p = policy_from_json(req["policy"]);
      if (p) {
        ctx.policy = std::move(*p);
      }
    }
    if (req.contains("source") && req["source"].is_object()) {
      ctx.repo_root = req["source"].value("repo_root", std::string());
      ctx.base_commit = req["source"].value("base_commit", std::string());
    }
    if (entry->state == State::in_progress) {
      if (auto lease = current_lease(id)) {
        ctx.lease_id = lease->lease_id;
      }
    }
  }
  if (!m_options.repo_root.empty()) {
    ctx.repo_root = m_options.repo_root;
  }
  Validation v = validate_response_file(response, ctx);
  if (!entry) {
    v.reasons.insert(v.reasons.begin(), fmt::format("no open request '{}' for this response", id));
  } else if (entry->state == State::completed) {
    v.reasons.insert(v.reasons.begin(), fmt::format("request '{}' is already completed", id));
  }
  if (!v.ok()) {
    return reject(id, std::move(v), now);
  }
  return CheckResult{std::move(v), "", ""};
}

util::Expected<CheckResult> Queue::reject(const std::string& id, Validation validation,
                                          int64_t now) {
  // Never overwrite an earlier rejection: response_{id}.json, then response_{id}.2.json, ...
  std::string suffix;
  for (int n = 2; exists(dir(k_rejected) + "/response_" + id + suffix + ".json"); ++n) {
    suffix = fmt::format(".{}", n);
  }
  CheckResult r;
  r.rejected_path = dir(k_rejected) + "/response_" + id + suffix + ".json";
  r.reason_path = dir(k_rejected) + "/reason_" + id + suffix + ".json";
  json reason = {{"request_id", id},
                 {"rejected_at", iso_utc(now)},
                 {"response_file", r.rejected_path},
                 {"reasons", validation.reasons},
                 {"warnings", validation.warnings}};
  // The reason first: a crash between the two steps leaves the response where check can redo it.
  if (auto w = write_json(r.reason_path, reason); !w) {
    return util::error(w.error());
  }
  if (auto m = move_file(response_path(id), r.rejected_path); !m) {
    return util::error(m.error());
  }
  r.validation = std::move(validation);
  return r;
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
  auto lock = IdLock::acquire(lock_path(id));
  if (!lock) {
    return util::error(lock.error());
  }
  std::optional<Lease> lease = current_lease(id);
  if (!lease || lease->lease_id != lease_id) {
    return util::error(
        fmt::format("request '{}': lease '{}' was lost while checking", id, lease_id));
  }
  std::string path = request_path(k_in_progress, id);
  auto j = read_json(path);
  if (!j) {
    return util::error(j.error());
  }
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
