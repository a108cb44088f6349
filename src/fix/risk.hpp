// SPDX-License-Identifier: MIT
#pragma once

// How risky a patch is, and whether a person must approve it before it lands: from where it sits
// in the policy's path hierarchy (allowed_paths in order of preference), its size, whether it
// touches headers, and what the anti-mask gate found. The queue's validator already rejects policy
// violations; they are checked again here so a patch that reached this point by another road still
// cannot land unseen.

#include <fix/mask_gate.hpp>
#include <nlohmann/json.hpp>
#include <queue/diff.hpp>
#include <queue/policy.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::fix {

struct FixOptions;

enum class Risk { low, medium, high };

std::string_view to_string(Risk r);
// "low", "medium", "high"; nullopt for anything else.
std::optional<Risk> risk_from_string(std::string_view s);

struct Assessment {
  Risk risk = Risk::low;
  // The worst hierarchy level touched: 1 = the first allowed_paths glob, 2 = the second, ...;
  // 0 = the policy has no allowed_paths. A path outside every glob counts as one past the last.
  int level = 0;
  bool needs_approval = false;
  std::vector<std::string> reasons; // why the risk is what it is, and why approval is needed
};

// Thresholds: low = level-1 paths only, <= 30 changed lines, <= 2 files; medium = a level-2 path,
// > 30 lines or > 2 files; high = level >= 3, > 100 lines, a header, or any mask finding.
Assessment assess(const queue::Policy& policy, const FixOptions& options,
                  const queue::DiffSummary& diff, const std::vector<MaskFinding>& findings);

nlohmann::json to_json(const Assessment& a);

} // namespace crashpilot::fix
