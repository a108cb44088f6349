// SPDX-License-Identifier: MIT
#include <analyze/runner_history.hpp>

namespace crashpilot::analyze {

namespace {
constexpr const char* k_answered = "answered";
}

util::Expected<std::optional<store::AnalysisRequest>> AttemptHistory::open_request() const {
  auto all = m_store->list_requests(m_bucket);
  if (!all) {
    return util::error(all.error());
  }
  for (auto it = all->rbegin(); it != all->rend(); ++it) {
    if (it->status != k_answered) {
      return std::optional<store::AnalysisRequest>(*it);
    }
  }
  return std::optional<store::AnalysisRequest>();
}

util::Expected<int64_t> AttemptHistory::attempts_made() const {
  if (m_store == nullptr || m_bucket.empty()) {
    return int64_t{0};
  }
  auto open = open_request();
  if (!open) {
    return util::error(open.error());
  }
  return *open ? (*open)->attempts : int64_t{0};
}

util::Expected<void> AttemptHistory::start(const std::string& agent, int64_t now) {
  m_attempt.reset();
  if (m_store == nullptr || m_bucket.empty()) {
    return {};
  }
  auto bucket = m_store->get_bucket(m_bucket, 1);
  if (!bucket) {
    return util::error(bucket.error());
  }
  m_known = bucket->has_value();
  if (!m_known) {
    return {}; // a request queued without the store (another tool): nothing to attach it to
  }
  auto open = open_request();
  if (!open) {
    return util::error(open.error());
  }
  if (*open) {
    m_request = (*open)->id;
  } else {
    auto id = m_store->add_request(m_bucket, m_priority, now);
    if (!id) {
      return util::error(id.error());
    }
    m_request = *id;
  }
  if (auto u = m_store->update_request(*m_request, "analyzing", std::nullopt, now); !u) {
    return u;
  }
  auto attempt = m_store->start_attempt(*m_request, agent, now);
  if (!attempt) {
    return util::error(attempt.error());
  }
  m_attempt = *attempt;
  return {};
}

util::Expected<void> AttemptHistory::finish(const std::string& outcome,
                                            const nlohmann::json& detail,
                                            std::optional<double> cost,
                                            const std::string& response_json, int64_t now) {
  if (!m_attempt || !m_request) {
    return {};
  }
  auto f = m_store->finish_attempt(
      *m_attempt, outcome, detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      cost, now);
  if (!f) {
    return f;
  }
  if (!response_json.empty()) {
    if (auto r = m_store->put_response(*m_attempt, 2, response_json); !r) {
      return r;
    }
  }
  return m_store->update_request(*m_request, outcome == k_answered ? k_answered : "failed",
                                 std::nullopt, now);
}

} // namespace crashpilot::analyze
