// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace crashpilot::model {

// Splits "Foo::bar(int, char const*) const" into the name "Foo::bar" and the rest. Handles
// templates (balanced <>), operator(), operator<, lambdas, and "(anonymous namespace)::".
std::string_view function_name_part(std::string_view function);

} // namespace crashpilot::model
