// SPDX-License-Identifier: MIT
#pragma once

// What a failed build said, cut down for the agent's next attempt: the diagnostics that stopped it
// (compiler errors with their source and caret lines, linker and build-tool failures, CMake
// errors) first, then the last lines of the log for whatever the patterns did not catch.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::fix {

// Error lines with their context, in log order, duplicates dropped, at most `max_lines` lines:
// gcc/clang `file:line:col: error:` and `fatal error:` (plus the "In function" line before and the
// source/caret/note lines after), `undefined reference to`, `ld: ... error`, `collect2: error`,
// make's `*** [...] Error N`, ninja's `FAILED:`, `CMake Error` blocks. Colour escapes are removed
// and very long lines shortened.
std::vector<std::string> build_errors(std::string_view log, size_t max_lines);

// The last `n` non-blank-trailing lines of the log, cleaned like the errors, newline-terminated.
std::string log_tail(std::string_view log, size_t n);

// The text handed to the next attempt: the errors, then the log's last lines, `max_lines` in all.
std::string feedback(std::string_view log, size_t max_lines);

} // namespace crashpilot::fix
