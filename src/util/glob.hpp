// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace crashpilot::util {

// Matches a '/'-separated relative path against a glob: `*` = any run of characters except '/',
// `?` = one character except '/', `**` as a whole path component = zero or more components
// (`src/**` matches `src/a/b.cpp`, `**/*.sql` matches `x.sql` and `a/b/x.sql`). No character
// classes or braces. Hand-written because no glob library is among the project's Debian
// dependencies and fnmatch(3) has no `**`.
bool glob_match(std::string_view pattern, std::string_view path);

} // namespace crashpilot::util
