// SPDX-License-Identifier: MIT
#include <model/symbol.hpp>

#include <util/string.hpp>

#include <utility>
#include <vector>

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

std::string undecorate_msvc(std::string_view symbol) {
  // "?name@scope@scope@@<type code>" or "??<special>scope@@<type code>" (constructor, destructor,
  // operators). The name components are listed innermost first and end at "@@".
  if (symbol.size() < 4 || symbol[0] != '?' || symbol.size() > 4096) {
    return std::string(symbol);
  }
  std::string_view s = symbol.substr(1);
  std::string special; // what the special code names, "" for an ordinary name
  bool ctor = false;
  bool dtor = false;
  if (s.starts_with("?")) {
    static constexpr std::pair<std::string_view, std::string_view> k_special[] = {
        {"_G", "`scalar deleting destructor'"}, {"_E", "`vector deleting destructor'"},
        {"0", ""}, {"1", ""}, {"2", "operator new"}, {"3", "operator delete"},
        {"4", "operator="}, {"8", "operator=="}, {"9", "operator!="}, {"A", "operator[]"},
        {"C", "operator->"}, {"D", "operator*"}, {"E", "operator++"}, {"F", "operator--"},
        {"G", "operator-"}, {"H", "operator+"}, {"M", "operator<"}, {"R", "operator()"},
    };
    s.remove_prefix(1);
    bool found = false;
    for (const auto& [code, name] : k_special) {
      if (s.starts_with(code)) {
        ctor = code == "0";
        dtor = code == "1";
        special = name;
        s.remove_prefix(code.size());
        found = true;
        break;
      }
    }
    if (!found) {
      return std::string(symbol);
    }
  }
  size_t end = s.find("@@");
  if (end == std::string_view::npos || end == 0) {
    return std::string(symbol);
  }
  std::vector<std::string_view> parts;
  for (std::string_view part : util::split(s.substr(0, end), '@')) {
    bool ident = !part.empty() && !(part[0] >= '0' && part[0] <= '9');
    for (char c : part) {
      ident = ident && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '_' || c == '$');
    }
    if (!ident || part.find('$') != std::string_view::npos) {
      return std::string(symbol); // template, back-reference or anonymous namespace: not read here
    }
    parts.push_back(part);
  }
  std::string out;
  for (size_t i = parts.size(); i-- > 0;) {
    out += parts[i];
    if (i > 0) {
      out += "::";
    }
  }
  // For special names every part is a scope; the innermost one is the class.
  if (ctor || dtor) {
    out += "::";
    out += dtor ? "~" : "";
    out += parts.front();
  } else if (!special.empty()) {
    out += "::";
    out += special;
  }
  return out;
}

} // namespace crashpilot::model
