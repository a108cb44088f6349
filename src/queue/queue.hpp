// SPDX-License-Identifier: MIT
#pragma once

// The file queue between crashpilot and analysis agents: the seed's protocol (requests/,
// in_progress/, responses/, completed/ under one root; request_{id}.json, response_{id}.json) made
// safe:
//   - every file is written atomically (util::AtomicFile: temp, fsync, rename, fsync of the dir);
//   - one request per bucket while it is open (enqueue updates count and last_seen instead);
//   - claim = rename(2) of requests/request_{id}.json into in_progress/ (exactly one claimer wins)
//     plus a lease file in_progress/request_{id}.lease.json {lease_id, holder, pid, host, expiry};
//   - an expired lease is reclaimable; the reclaim is recorded in the request (attempt, claims[]);
//   - responses are validated (validate.hpp); a rejected one moves to rejected/ with
//     reason_{id}.json listing every reason, and nothing else changes.
// Per-request flocks (id_lock.hpp) serialise the read-modify-write steps on one request.

#include <config/config.hpp>
#include <util/expected.hpp>

#include <nlohmann/json.hpp>
#include <queue/caps.hpp>
#include <queue/id_lock.hpp>
#include <queue/lease.hpp>
#include <queue/request.hpp>
#include <queue/validate.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crashpilot::queue {

struct QueueOptions {
  std::string root;
  int64_t lease_seconds = 1800;
  // A request in in_progress/ without a lease (its claimer died between the rename and the lease
  // write) is reclaimable once it has sat there this long.
  int64_t claim_grace_seconds = 60;
  Limits limits;
  std::string
      repo_root; // overrides the request's source.repo_root for validation ("" = the request's)
};

// From `[queue]`: root, lease_seconds, claim_grace_seconds, max_string_bytes, max_list_items,
// max_log_tail_bytes, repo_root. `root_override` (--queue-root) wins when not empty.
QueueOptions queue_options_from_config(const config::Config& cfg,
                                       const std::string& root_override = "");

enum class State { pending, in_progress, completed, rejected };

struct EnqueueResult {
  std::string request_id;
  bool created = false; // false: an open request for the bucket was updated
  std::string path;
};

struct Claim {
  std::string request_id;
  Lease lease;
  std::string path; // in_progress/request_{id}.json
  bool reclaimed = false;
  int64_t attempt = 1;
};

struct RequestEntry {
  std::string request_id;
  State state = State::pending;
  std::string path;
  nlohmann::json request;
};

struct CheckResult {
  Validation validation;
  std::string rejected_path; // rejected/response_{id}.json when rejected
  std::string reason_path;   // rejected/reason_{id}.json when rejected
};

class Queue {
public:
  // Creates the root (0700) and its directories when missing.
  static util::Expected<Queue> open(QueueOptions options);

  const QueueOptions& options() const { return m_options; }
  std::string dir(std::string_view name) const; // root + "/" + name
  std::string request_path(std::string_view dir_name, const std::string& id) const;
  std::string response_path(const std::string& id) const; // responses/response_{id}.json
  std::string lease_path(const std::string& id) const;    // in_progress/request_{id}.lease.json

  util::Expected<EnqueueResult> enqueue(const RequestInput& input, int64_t now);
  util::Expected<EnqueueResult> enqueue(const RequestInput& input);

  // Claims a pending request; fails when it is not in requests/ (another claimer won).
  util::Expected<Claim> claim(const std::string& id, const std::string& holder, int64_t now);
  // The pending request with the highest priority_score, or nullopt when none is pending.
  util::Expected<std::optional<Claim>> claim_next(const std::string& holder, int64_t now);
  // Takes over an in-progress request whose lease expired (or that never got one).
  util::Expected<Claim> reclaim(const std::string& id, const std::string& holder, int64_t now);
  // Puts a claimed request back into requests/, recording `reason`.
  util::Expected<void> release(const std::string& id, const std::string& lease_id,
                               const std::string& reason, int64_t now);
  // Validates responses/response_{id}.json against the request; rejects it when invalid.
  util::Expected<CheckResult> check_response(const std::string& id, int64_t now);
  // check_response, then moves request, response and lease to completed/. A rejected response makes
  // this an error (after the rejection).
  util::Expected<void> complete(const std::string& id, const std::string& lease_id, int64_t now);

  util::Expected<std::vector<RequestEntry>> list() const;
  util::Expected<RequestEntry> find(const std::string& id) const;
  std::optional<Lease> current_lease(const std::string& id) const;
  // Removes temporary files (`*.tmp.<pid>`) left by writers that died (their pid no longer runs).
  size_t remove_stale_temp_files() const;

private:
  explicit Queue(QueueOptions options) : m_options(std::move(options)) {}
  std::string lock_path(const std::string& key) const;
  util::Expected<std::optional<std::string>>
  find_open_for_bucket(const std::string& bucket_id) const;
  // The request `id` in in_progress/, locked, when `lease_id` is its current lease; else an
  // error ending in `lost` ("is not the current lease").
  struct Held {
    IdLock lock;
    std::string path;
    nlohmann::json request;
  };
  util::Expected<Held> hold(const std::string& id, const std::string& lease_id,
                            std::string_view lost) const;
  std::string bucket_index_path(const std::string& bucket_id) const;
  util::Expected<CheckResult> reject(const std::string& id, Validation validation, int64_t now);

  QueueOptions m_options;
};

std::string_view to_string(State s);

} // namespace crashpilot::queue
