// SPDX-License-Identifier: MIT
#include <parse/section.hpp>

namespace crashpilot::parse {

void parse_wheaty(const Document& doc, Sections& out) {
  (void)doc;
  (void)out;
}

} // namespace crashpilot::parse
