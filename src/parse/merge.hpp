// SPDX-License-Identifier: MIT
#pragma once

#include <parse/parser.hpp>
#include <parse/section.hpp>

namespace crashpilot::parse {

// Groups the sections of one Document into crashes, in order of appearance, and appends them to
// `result`. Sections join the crash before them unless that crash already has a section of a
// conflicting role (a second assertion, a second stack) or they are far apart.
void merge_sections(const Document& doc, Sections sections, const Options& options, Result& result);

} // namespace crashpilot::parse
