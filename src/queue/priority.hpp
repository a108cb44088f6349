// SPDX-License-Identifier: MIT
#pragma once

// Priority of an analysis request, from the bucket's severity, how often it crashed and how
// recently.
//
//   score = severity points + count points + recency points            (0..100)
//   severity: CRITICAL 40, HIGH 30, MEDIUM 20, LOW 10, anything else 20
//   count:    min(30, round(10 * log10(count)))      1 -> 0, 10 -> 10, 100 -> 20, 1000+ -> 30
//   recency:  age of last_seen < 1 h -> 30, < 24 h -> 20, < 7 days -> 10, older -> 0
//   label:    score >= 70 "critical", >= 50 "high", >= 30 "medium", else "low"
//
// Severity leads so a fresh LOW never outranks a CRITICAL seen today; count and recency order
// buckets of equal severity. The label goes into the seed's `priority` field (which held "high" or
// "medium"); the score is `priority_score`.

#include <cstdint>
#include <string>
#include <string_view>

namespace crashpilot::queue {

struct Priority {
  int score = 0;
  std::string label;
};

Priority compute_priority(std::string_view severity, int64_t count, int64_t age_seconds);

} // namespace crashpilot::queue
