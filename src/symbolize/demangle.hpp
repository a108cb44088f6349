// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace crashpilot::symbolize {

// Demangles an Itanium C++ ABI name ("_ZN4Unit6UpdateEjj" -> "Unit::Update(unsigned int, unsigned
// int)") with libstdc++'s __cxa_demangle; anything else (C names, "main") comes back unchanged.
// Why not parse::demangle: this stage sits before parse in the dependency order (ARCHITECTURE.md).
std::string demangle(std::string_view name);

} // namespace crashpilot::symbolize
