// SPDX-License-Identifier: MIT
#include <parse/section.hpp>

namespace crashpilot::parse {

void parse_windows_stack(const Document& doc, Sections& out) {
  (void)doc;
  (void)out;
}

} // namespace crashpilot::parse
