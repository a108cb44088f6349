// SPDX-License-Identifier: MIT
#include <queue/priority.hpp>

#include <algorithm>
#include <cmath>

namespace crashpilot::queue {

Priority compute_priority(std::string_view severity, int64_t count, int64_t age_seconds) {
  int sev = 20;
  if (severity == "CRITICAL") {
    sev = 40;
  } else if (severity == "HIGH") {
    sev = 30;
  } else if (severity == "MEDIUM") {
    sev = 20;
  } else if (severity == "LOW") {
    sev = 10;
  }
  int cnt = count <= 1 ? 0
                       : std::min(30, static_cast<int>(std::lround(
                                          10.0 * std::log10(static_cast<double>(count)))));
  int rec = 0;
  if (age_seconds < 3600) {
    rec = 30;
  } else if (age_seconds < 86400) {
    rec = 20;
  } else if (age_seconds < 7 * 86400) {
    rec = 10;
  }
  Priority p;
  p.score = sev + cnt + rec;
  p.label = p.score >= 70 ? "critical" : p.score >= 50 ? "high" : p.score >= 30 ? "medium" : "low";
  return p;
}

} // namespace crashpilot::queue
