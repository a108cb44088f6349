// SPDX-License-Identifier: MIT
#include <parse/section.hpp>

namespace crashpilot::parse {

void parse_gdb(const Document& doc, Sections& out) {
  (void)doc;
  (void)out;
}

} // namespace crashpilot::parse
