// SPDX-License-Identifier: MIT
#include <capture/restart.hpp>

#include <algorithm>

namespace crashpilot::capture {

bool RestartTracker::record_crash(const std::string& signature,
                                  std::chrono::steady_clock::time_point when) {
  if (signature.empty() || m_policy.loop_count <= 0) {
    return false;
  }
  auto& times = m_crashes[signature];
  times.push_back(when);
  while (!times.empty() && when - times.front() > m_policy.loop_window) {
    times.pop_front();
  }
  return static_cast<int>(times.size()) >= m_policy.loop_count;
}

std::chrono::milliseconds
RestartTracker::next_delay(std::chrono::steady_clock::duration last_uptime) {
  if (last_uptime >= m_policy.stable_after || m_delay.count() == 0) {
    m_delay = m_policy.initial_delay;
  } else {
    auto next = static_cast<long long>(static_cast<double>(m_delay.count()) * m_policy.multiplier);
    m_delay = std::min(std::chrono::milliseconds(next), m_policy.max_delay);
  }
  return m_delay;
}

} // namespace crashpilot::capture
