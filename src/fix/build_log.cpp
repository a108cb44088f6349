// SPDX-License-Identifier: MIT
#include <util/string.hpp>

#include <fix/build_log.hpp>
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <set>

namespace crashpilot::fix {

namespace {

constexpr size_t k_max_line_chars = 400;
constexpr size_t k_max_context_lines = 8;
constexpr size_t k_max_cmake_lines = 14;

// ESC [ ... final byte: colour and erase sequences (gcc -fdiagnostics-color, ninja, cmake).
std::string clean(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '[') {
      size_t j = i + 2;
      while (j < line.size() && !(line[j] >= '@' && line[j] <= '~')) {
        ++j;
      }
      i = j;
      continue;
    }
    if (line[i] == '\r') {
      continue;
    }
    out += line[i];
  }
  if (out.size() > k_max_line_chars) {
    size_t cut = k_max_line_chars;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
      --cut; // not inside a UTF-8 sequence
    }
    out.resize(cut);
    out += " [...]";
  }
  return out;
}

enum class Kind { none, compiler, linker, tool, cmake };

struct Patterns {
  // file:line[:col]: [fatal] error: (gcc, clang), and MSVC's file(line): error C1234:
  RE2 compiler{
      R"(^\S.*?:\d+(?::\d+)?: (?:fatal )?error: |^\S.*?\(\d+(?:,\d+)?\): (?:fatal )?error [A-Z]+\d+:)"};
  // program: [fatal] error: (cc1plus, clang, collect2) and a bare "error: "
  RE2 program{R"(^(?:[\w.+-]+: )?(?:fatal )?error: )"};
  RE2 linker{
      R"(undefined reference to |multiple definition of |(?:^|/)ld(?:\.\w+)?: .*(?:error|cannot find)|^collect2: error)"};
  RE2 tool{R"(^FAILED: |^ninja: error: |^g?make(?:\[\d+\])?: \*\*\* |\*\*\* \[.*\] Error \d+)"};
  RE2 cmake{R"(^CMake Error)"};
  // Context after a compiler diagnostic: gcc's "  3 |   code" / "    |   ^~~", notes.
  RE2 gcc_context{R"(^\s*\d*\s*\|)"};
  RE2 note{R"(^\S.*?:\d+(?::\d+)?: note: )"};
  // The line before a diagnostic that names where it happened.
  RE2 where{
      R"(: In (?:member )?function |: In (?:static member )?function |: In instantiation of |: In constructor |: In destructor |: in function )"};
};

const Patterns& patterns() {
  static const Patterns p;
  return p;
}

Kind kind_of(const std::string& line) {
  const Patterns& p = patterns();
  if (RE2::PartialMatch(line, p.cmake)) {
    return Kind::cmake;
  }
  if (RE2::PartialMatch(line, p.compiler)) {
    return Kind::compiler;
  }
  if (RE2::PartialMatch(line, p.linker)) {
    return Kind::linker;
  }
  if (RE2::PartialMatch(line, p.program)) {
    return Kind::compiler;
  }
  if (RE2::PartialMatch(line, p.tool)) {
    return Kind::tool;
  }
  return Kind::none;
}

// clang's caret line: spaces, then ^ and ~ marking the columns ("         ~  ^").
bool is_caret_line(std::string_view line) {
  bool mark = false;
  for (char c : line) {
    if (c == '^' || c == '~') {
      mark = true;
    } else if (c != ' ') {
      return false;
    }
  }
  return mark;
}

// The lines after an error that belong to it.
size_t context_after(const std::vector<std::string>& lines, size_t i, Kind kind) {
  const Patterns& p = patterns();
  size_t n = 0;
  if (kind == Kind::cmake) {
    size_t blanks = 0;
    while (i + 1 + n < lines.size() && n < k_max_cmake_lines) {
      const std::string& l = lines[i + 1 + n];
      if (l.empty()) {
        if (++blanks == 2) {
          break;
        }
      } else if (l[0] != ' ') {
        break;
      } else {
        blanks = 0;
      }
      ++n;
    }
    while (n > 0 && lines[i + n].empty()) {
      --n; // no trailing blank lines
    }
    return n;
  }
  if (kind != Kind::compiler) {
    return 0;
  }
  while (i + 1 + n < lines.size() && n < k_max_context_lines) {
    const std::string& l = lines[i + 1 + n];
    bool clang_source =
        i + 2 + n < lines.size() && is_caret_line(lines[i + 2 + n]) && kind_of(l) == Kind::none;
    if (RE2::PartialMatch(l, p.gcc_context) || RE2::PartialMatch(l, p.note) || is_caret_line(l) ||
        clang_source) {
      ++n;
      continue;
    }
    break;
  }
  return n;
}

std::vector<std::string_view> content_lines(std::string_view log) {
  std::vector<std::string_view> raw = util::split(log, '\n');
  while (!raw.empty() && util::trim(raw.back()).empty()) {
    raw.pop_back();
  }
  return raw;
}

std::string tail_of(const std::vector<std::string_view>& raw, size_t n) {
  std::string text;
  for (size_t i = raw.size() - std::min(n, raw.size()); i < raw.size(); ++i) {
    text += clean(raw[i]);
    text += '\n';
  }
  return text;
}

} // namespace

std::vector<std::string> build_errors(std::string_view log, size_t max_lines) {
  std::vector<std::string> lines;
  for (std::string_view l : util::split(log, '\n')) {
    lines.push_back(clean(l));
  }
  std::vector<std::string> out;
  std::set<std::string> seen;
  size_t dropped = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    Kind kind = kind_of(lines[i]);
    if (kind == Kind::none) {
      continue;
    }
    std::vector<std::string> block;
    if (i > 0 && (kind == Kind::compiler || kind == Kind::linker) &&
        RE2::PartialMatch(lines[i - 1], patterns().where) && kind_of(lines[i - 1]) == Kind::none) {
      block.push_back(lines[i - 1]);
    }
    size_t n = context_after(lines, i, kind);
    for (size_t k = 0; k <= n; ++k) {
      block.push_back(lines[i + k]);
    }
    i += n;
    // The same error printed twice (make's recursion, a header compiled into two objects) once.
    std::string key = fmt::format("{}", fmt::join(block, "\n"));
    if (!seen.insert(key).second) {
      continue;
    }
    for (auto& b : block) {
      if (out.size() < max_lines) {
        out.push_back(std::move(b));
      } else {
        ++dropped;
      }
    }
  }
  if (dropped > 0 && max_lines > 0) {
    out.back() = fmt::format("[... {} more error lines]", dropped + 1);
  }
  return out;
}

std::string log_tail(std::string_view log, size_t n) {
  return tail_of(content_lines(log), n);
}

std::string feedback(std::string_view log, size_t max_lines) {
  std::vector<std::string_view> raw = content_lines(log);
  auto tail = [&](size_t n) { return tail_of(raw, n); };
  if (raw.size() <= max_lines) {
    return "Build log:\n" + tail(raw.size());
  }
  std::vector<std::string> errors = build_errors(log, max_lines);
  if (errors.empty()) {
    return fmt::format("Last {} lines of the build log (no error line recognized):\n{}", max_lines,
                       tail(max_lines));
  }
  std::string out = fmt::format("Build errors:\n{}\n", fmt::join(errors, "\n"));
  if (errors.size() < max_lines) {
    size_t rest = max_lines - errors.size();
    out += fmt::format("\nLast {} lines of the build log:\n{}", rest, tail(rest));
  }
  return out;
}

} // namespace crashpilot::fix
