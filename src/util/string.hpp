// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::util {

std::string_view trim(std::string_view s);
std::string_view trim_left(std::string_view s);
std::string_view trim_right(std::string_view s);

// Splits on `sep`, keeping empty fields.
std::vector<std::string_view> split(std::string_view s, char sep);
// Splits on runs of spaces, tabs and newlines; no empty fields.
std::vector<std::string_view> split_whitespace(std::string_view s);

std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool icontains(std::string_view haystack, std::string_view needle);

// Parses hexadecimal digits, with or without a 0x prefix. Empty or overflowing input gives nullopt.
std::optional<uint64_t> parse_hex(std::string_view s);
// Parses a non-negative decimal number that fits in int; nullopt otherwise.
std::optional<int> parse_int(std::string_view s);

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c);
bool is_all_hex(std::string_view s);

std::string join(const std::vector<std::string>& parts, std::string_view sep);

// Replaces every occurrence of `from` with `to`.
std::string replace_all(std::string_view s, std::string_view from, std::string_view to);

// Formats `value` as 0x-prefixed lower-case hex.
std::string hex(uint64_t value);

} // namespace crashpilot::util
