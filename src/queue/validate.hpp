// SPDX-License-Identifier: MIT
#pragma once

// The one validator for analysis responses, whatever wrote them (an agent writing a file, the MCP
// submit_fix tool, the headless runner). It never trusts the response's own `status`/`validation`.
// It collects every reason instead of stopping at the first, so a rejection names all problems:
//   size cap (before reading), UTF-8, JSON with nothing after the value, known field types,
//   request_id and lease_id, status, every path (absolute, `..`, `.git`, backslashes, symlinks that
//   leave the repository), allowed/forbidden globs, file and changed-line budgets, binary and
//   mode-only hunks, base commit, and `git apply --check` of the diff against the base commit.

#include <queue/policy.hpp>
#include <queue/response.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::queue {

struct ValidationContext {
  std::string request_id;
  std::string lease_id;    // the current lease; "" when the request was never claimed
  Policy policy;           // the request's copy
  std::string repo_root;   // "" = no symlink or apply checks
  std::string base_commit; // the request's; "" = check the diff against the working tree
};

struct Validation {
  std::optional<Response> response; // set when the bytes parsed as a response
  std::vector<std::string> reasons; // empty = valid
  std::vector<std::string>
      warnings; // reported, not fatal (unknown top-level keys, v1 without lease)

  bool ok() const { return reasons.empty(); }
};

Validation validate_response(std::string_view bytes, const ValidationContext& ctx);
// Checks the file's size before reading it.
Validation validate_response_file(const std::string& path, const ValidationContext& ctx);

// The path rules alone (no policy): "" when `path` is acceptable, else why not.
std::string path_problem(const std::string& path, const std::string& repo_root);

} // namespace crashpilot::queue
