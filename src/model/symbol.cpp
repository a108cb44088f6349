// SPDX-License-Identifier: MIT
#include <model/symbol.hpp>

#include <util/string.hpp>

namespace crashpilot::model {

std::string_view function_name_part(std::string_view f) {
  f = util::trim(f);
  int angle = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    char c = f[i];
    // "operator()" / "operator<" / "operator<<" / "operator->": skip the operator token itself.
    if (c == 'o' && f.substr(i).starts_with("operator") && (i == 0 || f[i - 1] == ':' || f[i - 1] == ' ')) {
      size_t j = i + 8;
      while (j < f.size() && f[j] == ' ') {
        ++j;
      }
      if (f.substr(j).starts_with("()")) {
        i = j + 1;
        continue;
      }
      while (j < f.size() && std::string_view("<>=!+-*/%&|^~[],").find(f[j]) != std::string_view::npos) {
        ++j;
      }
      i = j - 1;
      continue;
    }
    if (c == '<') {
      ++angle;
    } else if (c == '>' && angle > 0) {
      --angle;
    } else if (c == '(' && angle == 0) {
      if (f.substr(i).starts_with("(anonymous namespace)")) {
        i += std::string_view("(anonymous namespace)").size() - 1;
        continue;
      }
      if (f.substr(i).starts_with("(lambda") || (i > 0 && f[i - 1] == '{')) {
        continue;
      }
      return util::trim(f.substr(0, i));
    }
  }
  return f;
}

} // namespace crashpilot::model
