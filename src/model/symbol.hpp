// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace crashpilot::model {

// Splits "Foo::bar(int, char const*) const" into the name "Foo::bar" and the rest. Handles
// templates (balanced <>), operator(), operator<, lambdas, and "(anonymous namespace)::".
std::string_view function_name_part(std::string_view function);

// Undecorates the name of an MSVC-decorated symbol, as Windows export tables print them:
// "?Update@Creature@@UEAAXII@Z" -> "Creature::Update", "??1Player@@UEAA@XZ" -> "Player::~Player".
// Only the qualified name is produced (no parameter types). Returns `symbol` unchanged when it is
// not decorated or uses a form this small undecorator does not read (templates, back-references).
std::string undecorate_msvc(std::string_view symbol);

} // namespace crashpilot::model
