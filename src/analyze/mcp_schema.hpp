// SPDX-License-Identifier: MIT
#pragma once

// Checks tool arguments against the input schemas the server publishes in tools/list, so the
// published contract and the enforced one are the same object and cannot drift. Some clients strip
// keywords before the model sees them (Gemini drops additionalProperties, §5.13), so the server
// must enforce them itself. There is no C++ JSON Schema validator in Debian bookworm; this covers
// the keywords crashpilot's schemas use: type, properties, required, additionalProperties (false),
// items, enum, pattern (RE2, unanchored as in JSON Schema), minimum, maximum, minLength, maxLength,
// maxItems. `default` is documentation. Any other keyword in a schema is a programming error and
// reported as a problem.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace crashpilot::analyze {

// Every problem found, each naming the argument path ("analysis.summary", "edits[2].path").
std::vector<std::string> schema_problems(const nlohmann::json& value, const nlohmann::json& schema);

} // namespace crashpilot::analyze
