// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace crashpilot::util {

// True when `s` is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

// Returns `s` with every ill-formed byte sequence replaced by U+FFFD, so the result can go into
// JSON. Valid input is returned unchanged (and copied only once).
std::string sanitize_utf8(std::string_view s);

// Heuristic for "this is not text": NUL bytes or a high share of control bytes in the first 64 KiB.
bool looks_binary(std::string_view s);

} // namespace crashpilot::util
