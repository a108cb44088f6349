// SPDX-License-Identifier: MIT
#pragma once

// The published JSON Schemas (draft 2020-12) of request and response v2, embedded so
// `crashpilot schema print request|response` needs no file. The text is a copy of
// schemas/request.v2.schema.json and schemas/response.v2.schema.json; a unit test fails when they
// differ, so edit the file and paste it here.

#include <optional>
#include <string_view>

namespace crashpilot::queue {

std::string_view request_schema_v2();
std::string_view response_schema_v2();
// "request" or "response"; nullopt for anything else.
std::optional<std::string_view> schema_text(std::string_view name);

} // namespace crashpilot::queue
