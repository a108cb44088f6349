// SPDX-License-Identifier: MIT
#pragma once

// Which frames matter: helper frames are skipped (runtimes, libc, assert and crash handlers),
// accessors the fault merely passed through are stepped over, and the assertion site wins when the
// report has one. Also the normal forms of function names and paths that signatures are built from.

#include <model/crash.hpp>
#include <triage/rules.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::triage {

// "Foo::Bar<int>::baz(int) const [clone .cold]" -> "Foo::Bar::baz". Strips argument lists, template
// arguments, ABI tags, "(anonymous namespace)::", thunk prefixes, return types and calling conventions;
// undecorates simple MSVC names (?Update@Creature@@UEAAXII@Z -> Creature::Update).
std::string normalize_function(std::string_view function);

// The last component of a qualified name: "Movement::MoveSpline::ComputePosition" -> "ComputePosition".
std::string_view unqualified(std::string_view function);

// "/root/Azerothcore/src/server/game/Maps/Map.h" -> "src/server/game/Maps/Map.h": the part from the first
// root marker on, with '/' separators. Paths without a marker keep their last three components.
std::string shorten_path(std::string_view path, const std::vector<std::string>& root_markers);

bool is_helper_frame(const model::Frame& frame, const Rules& rules);
bool is_symbolized(const model::Frame& frame);

struct MeaningfulFrame {
  int index = -1;          // into the crashing thread's frames; -1 when none
  bool assertion_site = false; // the location comes from the assertion, not from a frame
  bool from_previous_error = false; // the fatal stack had nothing; taken from the error before it
  std::string function;    // qualified where the stack shows the qualification
  std::string location;    // shortened "path:line", or ""
};

MeaningfulFrame find_meaningful_frame(const model::Crash& crash, const Rules& rules);

// Indices of the crashing thread's frames that are not helpers, starting at `from`.
std::vector<int> meaningful_frame_indices(const model::Crash& crash, const Rules& rules, int from = 0);

} // namespace crashpilot::triage
