// SPDX-License-Identifier: MIT
#include <cli/frame_text.hpp>
#include <util/string.hpp>

#include <fmt/format.h>

namespace crashpilot::cli {

std::string frame_text(const model::Frame& f, bool with_module_offset) {
  std::string name = f.function.empty() ? (f.address ? util::hex(*f.address) : "??") : f.function;
  if (name.size() > 110) {
    name = name.substr(0, 107) + "...";
  }
  std::string where;
  if (!f.file.empty()) {
    where = fmt::format("  {}:{}", f.file, f.line);
  } else if (!f.module.empty()) {
    where = fmt::format("  ({}{})", f.module,
                        with_module_offset && f.offset ? "+" + util::hex(*f.offset) : "");
  }
  return fmt::format("{}{}{}", f.inlined ? "[inline] " : "", name, where);
}

} // namespace crashpilot::cli
