// SPDX-License-Identifier: MIT
#pragma once

// How a captured crash is shown: one JSON event (--json) or one human line with the report path.
// `run` in every mode prints captures this way.

#include <cli/terminal.hpp>

#include <capture/watch.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace crashpilot::cli {

nlohmann::json capture_event(const capture::Captured& c, const std::string& request_id);
std::string capture_line(const Terminal& term, const capture::Captured& c,
                         const std::string& request_id);

} // namespace crashpilot::cli
