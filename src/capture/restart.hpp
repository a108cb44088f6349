// SPDX-License-Identifier: MIT
#pragma once

// When to start the server again: exponential backoff that resets once a run stayed up long
// enough, and crash-loop detection per signature (the same signature N times within M minutes
// means a restart only repeats the crash: stop and say so).

#include <chrono>
#include <deque>
#include <map>
#include <string>

namespace crashpilot::capture {

enum class RestartMode { never, on_failure, always };

struct RestartPolicy {
  RestartMode mode = RestartMode::on_failure;
  std::chrono::milliseconds initial_delay{1000};
  std::chrono::milliseconds max_delay{60000};
  double multiplier = 2.0;
  std::chrono::seconds stable_after{300}; // a run this long resets the backoff
  int loop_count = 3;                     // the same signature this many times...
  std::chrono::seconds loop_window{600};  // ...within this window is a crash loop
};

class RestartTracker {
public:
  explicit RestartTracker(RestartPolicy policy) : m_policy(policy) {}

  // Records a crash with `signature` at `when`; true when it completes a crash loop.
  bool record_crash(const std::string& signature, std::chrono::steady_clock::time_point when);
  // How long to wait before the next start, given how long the last run lasted; advances the
  // backoff.
  std::chrono::milliseconds next_delay(std::chrono::steady_clock::duration last_uptime);
  const RestartPolicy& policy() const { return m_policy; }

private:
  RestartPolicy m_policy;
  std::chrono::milliseconds m_delay{0};
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> m_crashes;
};

} // namespace crashpilot::capture
