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

} // namespace crashpilot::queue
