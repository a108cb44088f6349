// SPDX-License-Identifier: MIT
#pragma once

// Pieces of frame text shared by the format parsers: function names with argument lists, source
// locations in their several spellings, and C++ symbol demangling.

#include <model/symbol.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace crashpilot::parse {

// Demangles an Itanium C++ ABI symbol (_ZN4Unit6UpdateEjj) with libstdc++'s abi::__cxa_demangle.
// Returns `symbol` unchanged when it is not a mangled name or does not demangle.
std::string demangle(std::string_view symbol);

// Splits "Foo::bar(int) const" into the name "Foo::bar" (model/symbol.hpp; shared with triage).
using model::function_name_part;

struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// Parses "path:line", "path:line:col", "path(line)", "path line N", "path: N + 0xoff". The path may
// contain spaces and drive letters. nullopt when `text` is not a location.
std::optional<SourceLocation> parse_location(std::string_view text);

// MSVC-decorated names to qualified names (model/symbol.hpp; shared with triage).
using model::undecorate_msvc;

// Linux signal numbers and strsignal() descriptions, for reports that print only one of the name
// ("SIGSEGV"), the number (11) or the description ("Segmentation fault"). 0 / "" when unknown.
int signal_number(std::string_view name);
std::string_view signal_name(int number);
std::string_view signal_description(std::string_view name);

} // namespace crashpilot::parse
