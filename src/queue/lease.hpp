// SPDX-License-Identifier: MIT
#pragma once

// The lease a claimer holds on an in-progress request: in_progress/request_{id}.lease.json, written
// atomically. It names who holds the request and until when; a response must quote its lease_id.

#include <util/expected.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace crashpilot::queue {

struct Lease {
  std::string lease_id; // 128-bit random hex
  std::string holder;   // free text: "claude-code", "crashpilot analyze", a user name
  int64_t pid = 0;
  std::string host;
  int64_t claimed_at = 0; // unix seconds
  int64_t expires_at = 0;

  bool expired(int64_t now) const { return now >= expires_at; }
};

Lease make_lease(const std::string& holder, int64_t now, int64_t duration_seconds);
nlohmann::json to_json(const Lease& l);
util::Expected<Lease> lease_from_json(const nlohmann::json& j);

} // namespace crashpilot::queue
