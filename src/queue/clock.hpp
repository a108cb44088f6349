// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

namespace crashpilot::queue {

// Seconds since the epoch. Queue files carry both the number (compared by code) and an ISO 8601
// UTC string (read by people and by the seed's consumers).
int64_t now_unix();
std::string iso_utc(int64_t unix_seconds); // "2026-08-30T10:34:56Z"

} // namespace crashpilot::queue
