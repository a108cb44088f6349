// SPDX-License-Identifier: MIT
#pragma once

// Internal to the queue stage: the directory names and the file helpers its parts (queue.cpp,
// enqueue.cpp, claim.cpp, check.cpp) share. Every write goes through AtomicFile.

#include <util/expected.hpp>

#include <nlohmann/json.hpp>
#include <queue/lease.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace crashpilot::queue::detail {

using nlohmann::json;

inline constexpr std::string_view k_requests = "requests";
inline constexpr std::string_view k_in_progress = "in_progress";
inline constexpr std::string_view k_responses = "responses";
inline constexpr std::string_view k_completed = "completed";
inline constexpr std::string_view k_rejected = "rejected";
inline constexpr std::string_view k_locks = ".locks";

void fsync_dir(const std::string& dir);
std::string parent_of(const std::string& path);
util::Expected<void> move_file(const std::string& from, const std::string& to);
util::Expected<json> read_json(const std::string& path);
util::Expected<void> write_json(const std::string& path, const json& j);
bool exists(const std::string& path);
util::Expected<void> check_id(const std::string& id);
std::string request_id_of(const std::string& name);
int64_t attempt_number(const json& request);
json claim_record(const Lease& l);

} // namespace crashpilot::queue::detail
