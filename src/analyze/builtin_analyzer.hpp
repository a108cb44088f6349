// SPDX-License-Identifier: MIT
#pragma once

// The analyzer that needs no agent (`crashpilot analyze --agent builtin`): from the facts triage
// put in the request (kind, signal, fault address, assertion, meaningful frame, hypothesis), its
// stack and source snippets, the log errors before the crash, and the crash history of near
// buckets, it writes an analysis-only response: status `no_fix`, evidence, the likely root cause,
// the functions and lines to look at, and how earlier fixes of similar crashes fared. It never
// writes a patch: a fix needs understanding no rule set has.

#include <nlohmann/json.hpp>
#include <store/store.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace crashpilot::analyze {

inline constexpr std::string_view k_builtin_agent = "builtin";

// A v2 response for `request` under `lease_id`, dated `now`. `store` (may be null) gives the
// bucket's history and its near buckets' fixes; `tree_files` (may be empty) the repository's
// files at the base commit, to name frames by their repository paths.
nlohmann::json builtin_response(const nlohmann::json& request, const std::string& lease_id,
                                const store::Store* store, int64_t now, const std::string& version,
                                const std::vector<std::string>& tree_files = {});

} // namespace crashpilot::analyze
