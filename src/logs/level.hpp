// SPDX-License-Identifier: MIT
#pragma once

// Severity of a log line, ordered so that "at least a warning" is a comparison.

#include <cstdint>
#include <optional>
#include <string_view>

namespace crashpilot::logs {

enum class Level : uint8_t { unknown, trace, debug, info, warn, error, fatal };

std::string_view to_string(Level level);

// A level word as loggers print it, in any case: TRACE, DEBUG, INFO, NOTICE, WARN, WARNING, ERROR,
// ERR, FATAL, CRITICAL, CRIT, ALERT, EMERG, PANIC. nullopt for any other word.
std::optional<Level> level_from_word(std::string_view word);

// The same for a word already known to be 3 to 8 letters, packed lower-case into an integer (first
// letter in the lowest byte): the prefix parser builds the key while it scans the word.
std::optional<Level> level_from_packed(uint64_t key);

// A level named in configuration ("warn", "error", ...); nullopt when unknown.
std::optional<Level> level_from_name(std::string_view name);

} // namespace crashpilot::logs
