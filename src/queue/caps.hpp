// SPDX-License-Identifier: MIT
#pragma once

// Caps on what goes into a request, so one crash with a 50 MB log cannot produce a request an agent
// cannot read. A value that was cut is recorded in a `truncated` object beside it (§6.2):
//   array  `k` cut        -> truncated[k]      = number of items dropped
//   string `k` cut        -> truncated[k]      = number of bytes dropped
//   strings in array `k`  -> truncated[k + ".bytes"] = bytes dropped over all its items
// Strings are cut at a UTF-8 boundary. Keys named in `keep_tail` (log tails) keep their end, not
// their beginning, since the last lines of a build log hold the error.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace crashpilot::queue {

struct Limits {
  size_t max_string_bytes = 4096;
  size_t max_list_items = 200;
  size_t max_log_tail_bytes = 16384; // for `log_tail` strings
  size_t max_snippet_bytes = 16384;  // for `text` of source snippets
};

// Cuts `s` to at most `max` bytes on a UTF-8 boundary (from the front when `tail`); returns the
// number of bytes removed.
size_t cut_utf8(std::string& s, size_t max, bool tail = false);

// Applies the caps to every object reachable from `j` (in place).
void apply_caps(nlohmann::json& j, const Limits& limits);

} // namespace crashpilot::queue
