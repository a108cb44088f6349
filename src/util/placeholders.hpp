// SPDX-License-Identifier: MIT
#pragma once

// `{name}` placeholders in argv templates from the configuration (agent presets, build commands).
// Each argument is filled on its own and never re-parsed by a shell, so a value with spaces or
// `$(...)` stays one literal argument.

#include <util/expected.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::util {

// Fills `{name}` placeholders from `values`; `{{` and `}}` stand for literal braces. An unknown
// placeholder is an error naming it and the known ones, so a typo in the configuration fails
// before anything is spawned.
Expected<std::string> fill_placeholders(std::string_view templ,
                                        const std::map<std::string, std::string>& values);

// fill_placeholders over every argument.
Expected<std::vector<std::string>> build_argv(const std::vector<std::string>& templ,
                                              const std::map<std::string, std::string>& values);

} // namespace crashpilot::util
