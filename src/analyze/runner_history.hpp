// SPDX-License-Identifier: MIT
#pragma once

// The runner's entries in the crash history: each agent run is an attempt on the bucket's open
// analysis request (created on first use), finished with its outcome, a JSON detail (why, whether
// retryable, session id, turns, exit status, run directory) and its cost; an answered attempt
// keeps its response. The per-bucket attempt budget is counted here, so it holds across runs of
// the command. Without a store (no bucket in it) nothing is recorded and no budget applies.

#include <util/expected.hpp>

#include <nlohmann/json.hpp>
#include <store/store.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace crashpilot::analyze {

class AttemptHistory {
public:
  // `store` may be null. `bucket` is the request's bucket id.
  AttemptHistory(store::Store* store, std::string bucket, int64_t priority)
      : m_store(store), m_bucket(std::move(bucket)), m_priority(priority) {}

  // Attempts already made on the bucket's open request (0 without a store or bucket).
  util::Expected<int64_t> attempts_made() const;
  util::Expected<void> start(const std::string& agent, int64_t now);
  util::Expected<void> finish(const std::string& outcome, const nlohmann::json& detail,
                              std::optional<double> cost, const std::string& response_json,
                              int64_t now);
  std::optional<int64_t> attempt_id() const { return m_attempt; }
  bool recording() const { return m_store != nullptr && m_known; }

private:
  // The newest request of the bucket not yet answered; nullopt when there is none.
  util::Expected<std::optional<store::AnalysisRequest>> open_request() const;

  store::Store* m_store;
  std::string m_bucket;
  int64_t m_priority;
  bool m_known = false; // the bucket exists in the store
  std::optional<int64_t> m_request;
  std::optional<int64_t> m_attempt;
};

} // namespace crashpilot::analyze
