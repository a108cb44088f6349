// SPDX-License-Identifier: MIT
#pragma once

// JSON form of the crash model. Seed field names are kept as they were (crash_id, timestamp,
// exception_code, crash_location, crash_function, error_message, call_stack, crash_category,
// severity, is_bot_related, root_cause_hypothesis, fix_suggestions); new fields sit beside them:
// kind, exception_name, signal, fault_address, assertion, threads, frames (the crashing thread's),
// signature, problems, quality, formats, bot_evidence, raw. Addresses are "0x…" strings because
// JSON numbers lose 64-bit precision in most readers.

#include <model/crash.hpp>
#include <model/log_context.hpp>
#include <util/expected.hpp>

#include <nlohmann/json.hpp>

namespace crashpilot::model {

struct JsonOptions {
  bool include_raw = true;
  bool include_all_threads = true;
};

nlohmann::json to_json(const Frame& f);
nlohmann::json to_json(const Crash& c, JsonOptions options = {});

// Reads a crash back. Unknown fields are ignored; wrong types give an error naming the field.
util::Expected<Crash> crash_from_json(const nlohmann::json& j);
util::Expected<Frame> frame_from_json(const nlohmann::json& j);

// The seed's `context` object: {errors_before_crash: [{message, timestamp}], warnings_before_crash,
// server_log_context: [line], playerbot_log_context}.
nlohmann::json to_json(const LogContext& c);
util::Expected<LogContext> log_context_from_json(const nlohmann::json& j);

} // namespace crashpilot::model
