// SPDX-License-Identifier: MIT
#include <parse/frame_text.hpp>

#include <util/string.hpp>

#include <cstdlib>
#include <cxxabi.h>
#include <memory>
#include <re2/re2.h>
#include <utility>
#include <vector>

namespace crashpilot::parse {

std::string demangle(std::string_view symbol) {
  if (!symbol.starts_with("_Z") || symbol.size() > 4096) {
    return std::string(symbol);
  }
  std::string s(symbol);
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> out(abi::__cxa_demangle(s.c_str(), nullptr, nullptr, &status),
                                                  &std::free);
  if (status != 0 || !out) {
    return s;
  }
  return std::string(out.get());
}

std::optional<SourceLocation> parse_location(std::string_view text) {
  text = util::trim(text);
  if (text.empty()) {
    return std::nullopt;
  }
  // Wheaty / windbg: "D:\path\file.cpp line 1061" or "file.cpp Line 12"
  static const RE2 word_line(R"((.+?)\s+[Ll]ine\s+(\d+)(?:\s*\+\s*0x[0-9a-fA-F]+)?)");
  // MSVC / CRT: "path(42)" ; StackWalker: "d:\...\unit.cpp: 404 + 0x0"
  static const RE2 paren_line(R"((.+?)\((\d+)\))");
  static const RE2 colon_space_line(R"((.+?):\s+(\d+)(?:\s*\+\s*0x[0-9a-fA-F]+)?)");
  // "path:line[:col]"
  static const RE2 colon_line(R"((.+?):(\d+)(?::(\d+))?)");
  // Optional groups are captured as strings: RE2 fails a match whose unset group targets an int.
  std::string file;
  int line = 0;
  std::string column;
  re2::StringPiece in(text.data(), text.size());
  if (RE2::FullMatch(in, colon_line, &file, &line, &column) ||
      RE2::FullMatch(in, word_line, &file, &line) || RE2::FullMatch(in, paren_line, &file, &line) ||
      RE2::FullMatch(in, colon_space_line, &file, &line)) {
    // A bare drive letter ("C:123") is not a path.
    if (file.size() <= 1 || line <= 0) {
      return std::nullopt;
    }
    return SourceLocation{file, line, util::parse_int(column).value_or(0)};
  }
  return std::nullopt;
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

} // namespace crashpilot::parse
