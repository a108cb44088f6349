// SPDX-License-Identifier: MIT
#pragma once

// JSON forms of the store's query results, for `crashpilot crashes --json` and `stats --json`.
// Times are Unix seconds plus an ISO 8601 "…_iso" twin, so scripts can do arithmetic and humans can
// read.

#include <nlohmann/json.hpp>
#include <store/records.hpp>
#include <store/store.hpp>

namespace crashpilot::store {

std::string iso_time(Time time); // "2024-05-01T12:00:00Z"

nlohmann::json to_json(const Bucket& b);
nlohmann::json to_json(const Occurrence& o); // crash and log context embedded as JSON
nlohmann::json to_json(const AnalysisRequest& r);
nlohmann::json to_json(const Attempt& a);
nlohmann::json to_json(const Verdict& v);
nlohmann::json to_json(const BucketDetail& d);
nlohmann::json to_json(const Stats& s);
nlohmann::json to_json(const RecordResult& r);

} // namespace crashpilot::store
