// SPDX-License-Identifier: MIT
#include <util/placeholders.hpp>

#include <fmt/format.h>

namespace crashpilot::util {

Expected<std::string> fill_placeholders(std::string_view templ,
                                        const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(templ.size());
  for (size_t i = 0; i < templ.size(); ++i) {
    char c = templ[i];
    if ((c == '{' || c == '}') && i + 1 < templ.size() && templ[i + 1] == c) {
      out += c; // {{ or }}
      ++i;
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    size_t end = templ.find('}', i);
    if (end == std::string_view::npos) {
      return error(fmt::format("'{}': unclosed '{{' (write '{{{{' for a literal brace)",
                               std::string(templ)));
    }
    std::string key(templ.substr(i + 1, end - i - 1));
    auto it = values.find(key);
    if (it == values.end()) {
      std::vector<std::string> known;
      for (const auto& [k, v] : values) {
        known.push_back("{" + k + "}");
      }
      return error(fmt::format("'{}': unknown placeholder {{{}}} (known: {})", std::string(templ),
                               key, fmt::join(known, " ")));
    }
    out += it->second;
    i = end;
  }
  return out;
}

Expected<std::vector<std::string>> build_argv(const std::vector<std::string>& templ,
                                              const std::map<std::string, std::string>& values) {
  std::vector<std::string> out;
  out.reserve(templ.size());
  for (const auto& t : templ) {
    auto filled = fill_placeholders(t, values);
    if (!filled) {
      return error(filled.error());
    }
    out.push_back(std::move(*filled));
  }
  return out;
}

} // namespace crashpilot::util
