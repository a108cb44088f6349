// SPDX-License-Identifier: MIT
#include <parse/section.hpp>

namespace crashpilot::parse {

void parse_valgrind(const Document& doc, Sections& out) {
  (void)doc;
  (void)out;
}

} // namespace crashpilot::parse
