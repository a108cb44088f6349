// SPDX-License-Identifier: MIT
#pragma once

// Tables for human output: aligned columns under a bold header on a terminal; tab-separated lines
// (header first) otherwise, so `cut -f` and `awk -F'\t'` read them.

#include <cli/terminal.hpp>

#include <string>
#include <vector>

namespace crashpilot::cli {

using Row = std::vector<std::string>;

void print_table(const Terminal& t, const Row& header, const std::vector<Row>& rows);

// "2024-05-01 12:00" (UTC) for human tables; "-" for 0.
std::string short_time(int64_t unix_seconds);

} // namespace crashpilot::cli
