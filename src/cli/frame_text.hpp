// SPDX-License-Identifier: MIT
#pragma once

// One frame as the human output of `triage` and `symbolize` prints it, so a core and a pasted
// report of the same crash read alike.

#include <model/crash.hpp>

#include <string>

namespace crashpilot::cli {

// "[inline] ns::f(int)  file.cpp:12", or "  (module)" when there is no file. with_module_offset
// adds
// "+0x…" to the module: for a core the offset is the module-relative address addr2line takes; a
// parsed report's offset means something else per format, so triage leaves it out.
std::string frame_text(const model::Frame& f, bool with_module_offset = false);

} // namespace crashpilot::cli
