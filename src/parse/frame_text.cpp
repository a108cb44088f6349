// SPDX-License-Identifier: MIT
#include <parse/frame_text.hpp>

#include <util/string.hpp>

#include <cstdlib>
#include <cxxabi.h>
#include <memory>
#include <re2/re2.h>

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

} // namespace crashpilot::parse
