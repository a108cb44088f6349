// SPDX-License-Identifier: MIT
#pragma once

// Just enough C/C++ lexing for the anti-mask gate to read one diff line at a time: code apart from
// comments, string contents blanked (a log message saying "assert(" is not a call), calls found by
// name on identifier boundaries, parentheses matched.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::fix {

enum class Lang { cpp, cmake };

struct CodeLine {
  std::string code;    // comments removed, string and character literal contents removed
  std::string comment; // the comment text on the line, markers removed, trimmed
  std::string text;    // comments removed, literals kept (test names and expected values matter)
};

// `in_block` carries an open `/* ... */` from one line to the next.
CodeLine split_code(std::string_view line, bool& in_block, Lang lang = Lang::cpp);

// The position of the '(' of a call to `name` at or after `from`: `name` not preceded by an
// identifier character, then optional spaces, then '('. std::string_view::npos when none.
size_t find_call(std::string_view code, std::string_view name, size_t from = 0);

// The text between the '(' at `open` and its matching ')'; nullopt when the line ends first.
std::optional<std::string_view> paren_contents(std::string_view code, size_t open);

// `s` without any whitespace: the form conditions are compared in.
std::string squeeze(std::string_view s);

// `s` split on `sep` where it is not inside (), [] or {}; parts trimmed.
std::vector<std::string_view> split_top(std::string_view s, std::string_view sep);

// `s` without outer parentheses that enclose all of it ("((a))" -> "a"), trimmed.
std::string_view strip_parens(std::string_view s);

// The identifiers in `code` (keywords included).
std::vector<std::string> identifiers(std::string_view code);

bool is_ident_char(char c);

} // namespace crashpilot::fix
