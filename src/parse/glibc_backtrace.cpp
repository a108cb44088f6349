// SPDX-License-Identifier: MIT
// Stacks printed with glibc's backtrace_symbols() / backtrace_symbols_fd(), as MaNGOS-family
// assertion handlers, Cuberite and many hand-written crash handlers dump them:
//
//   ./mangosd(_ZN4Unit6UpdateEjj+0x56f) [0x97689f]
//   /lib/x86_64-linux-gnu/libc.so.6(+0x9caa4) [0x7f...]
//   MCServer_debug(_Z15PrintStackTracev+0x23)[0xa3f08f]      (no space before '[')
//   ./prog[0x400a2d]                                          (no symbol)
//
// Consecutive lines form one stack. Old glibc's own "*** Error in `prog': ... ***" report with its
// "======= Backtrace: =========" block is read too, as an abort with its message.

#include <parse/frame_text.hpp>
#include <parse/section.hpp>
#include <util/string.hpp>

#include <re2/re2.h>

#include <optional>
#include <string>
#include <string_view>

namespace crashpilot::parse {

namespace {

using util::is_digit;

// Lines between glibc's "*** Error in" line and its backtrace.
constexpr size_t k_max_header_distance = 4;


// Removes what some dumpers put before each line: "#3 ", "3: ", "[bt] ", "[bt] #3 ".
std::string_view strip_line_prefix(std::string_view t) {
  if (t.starts_with("[bt]")) {
    t = util::trim_left(t.substr(4));
  }
  size_t k = 0;
  if (k < t.size() && t[k] == '#') {
    ++k;
  }
  size_t d = k;
  while (k < t.size() && is_digit(t[k]) && k - d < 6) {
    ++k;
  }
  if (k > d && k < t.size() && (t[k] == ':' || t[k] == ')' || t[k] == '.')) {
    ++k;
  }
  if (k > d && k < t.size() && (t[k] == ' ' || t[k] == '\t')) {
    return util::trim_left(t.substr(k));
  }
  return t;
}

bool has_space(std::string_view s) {
  return s.find(' ') != std::string_view::npos || s.find('\t') != std::string_view::npos;
}

// One backtrace_symbols() line. `continuing` allows the bare "[0x...]" form, which on its own is
// too weak to start a stack.
std::optional<model::Frame> parse_line(std::string_view line, bool continuing) {
  std::string_view t = util::trim(line);
  if (t.size() < 5 || t.back() != ']') {
    return std::nullopt;
  }
  t = strip_line_prefix(t);
  size_t lb = t.rfind('[');
  if (lb == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view addr_text = t.substr(lb + 1, t.size() - lb - 2);
  if (!addr_text.starts_with("0x")) {
    return std::nullopt;
  }
  auto addr = util::parse_hex(addr_text);
  if (!addr) {
    return std::nullopt;
  }
  model::Frame f;
  f.address = addr;
  std::string_view before = util::trim_right(t.substr(0, lb));
  if (before.empty()) {
    if (!continuing) {
      return std::nullopt;
    }
    return f;
  }
  if (before.back() == ')') {
    size_t lp = before.find('(');
    std::string_view module = before.substr(0, lp);
    if (lp == std::string_view::npos || module.empty() || has_space(module)) {
      return std::nullopt;
    }
    std::string_view inner = before.substr(lp + 1, before.size() - lp - 2);
    std::string_view symbol = inner;
    size_t plus = inner.rfind('+');
    if (plus != std::string_view::npos) {
      std::string_view off = inner.substr(plus + 1);
      auto v = util::parse_hex(off);
      if (!off.starts_with("0x") || !v) {
        return std::nullopt;
      }
      f.offset = v;
      symbol = inner.substr(0, plus);
    }
    f.module = std::string(module);
    f.function = demangle(util::trim(symbol));
    return f;
  }
  // "./prog[0x400a2d]" / "/lib/libc.so.6 [0x...]": a module without a symbol. "Func()+0x88 [0x0]"
  // (ACE's Windows stack) is not one.
  if (has_space(before) || before.find('(') != std::string_view::npos ||
      before.find(')') != std::string_view::npos) {
    return std::nullopt;
  }
  f.module = std::string(before);
  return f;
}

bool is_stack_header(std::string_view t) {
  static const RE2 obtained(
      R"((?i)^(?:Obtained \d+ stack frames|backtrace\(\) returned \d+ addresses))");
  if (t == "Stack Trace:" || t == "Backtrace:" || t == "Stack trace:" || t == "Call stack:" ||
      t.starts_with("======= Backtrace:") || t.starts_with("[bt] Execution path")) {
    return true;
  }
  if (t.starts_with("Obtained") || t.starts_with("backtrace()")) {
    re2::StringPiece in(t.data(), t.size());
    return RE2::PartialMatch(in, obtained);
  }
  return false;
}

// "*** Error in `./a.out': double free or corruption (fasttop): 0x0000000001c3c010 ***" (glibc
// 2.11-2.25) and "*** glibc detected *** ./prog: free(): invalid pointer: 0x... ***" (older).
std::optional<std::string> parse_glibc_error(std::string_view t) {
  if (!t.starts_with("*** ")) {
    return std::nullopt;
  }
  static const RE2 error_in(R"re(^\*\*\* Error in `[^']*': (.*?) \*\*\*$)re");
  static const RE2 detected(R"(^\*\*\* glibc detected \*\*\* [^:]*: (.*?) \*\*\*$)");
  re2::StringPiece in(t.data(), t.size());
  std::string msg;
  if (RE2::FullMatch(in, error_in, &msg) || RE2::FullMatch(in, detected, &msg)) {
    return msg;
  }
  return std::nullopt;
}

} // namespace

void parse_glibc_backtrace(const Document& doc, Sections& out) {
  std::optional<size_t> header;     // the last stack header line seen
  std::optional<size_t> error_line; // the last glibc "*** Error in" line
  std::string error_message;
  size_t i = 0;
  while (i < doc.size()) {
    std::string_view t = util::trim(doc[i]);
    if (t.empty()) {
      ++i;
      continue;
    }
    if (auto msg = parse_glibc_error(t)) {
      error_line = i;
      error_message = std::move(*msg);
      ++i;
      continue;
    }
    if (is_stack_header(t)) {
      header = i;
      ++i;
      continue;
    }
    auto first = parse_line(t, false);
    if (!first) {
      ++i;
      continue;
    }
    // A stack: this line and the ones that follow it.
    Section sec;
    sec.format = "glibc-backtrace";
    sec.role = Role::stack;
    sec.first = i;
    model::Thread thread;
    thread.crashing = true;
    thread.frames.push_back(std::move(*first));
    size_t j = i + 1;
    bool capped = false;
    while (j < doc.size()) {
      auto f = parse_line(doc[j], true);
      if (!f) {
        break;
      }
      if (thread.frames.size() < k_max_frames) {
        thread.frames.push_back(std::move(*f));
      } else {
        capped = true;
      }
      ++j;
    }
    sec.last = j - 1;
    bool headed = header && *header + 2 >= i;
    if (thread.frames.size() < 2 && !headed) {
      i = j; // one such line alone is too weak to be a stack
      continue;
    }
    if (headed) {
      sec.first = *header;
    }
    for (size_t k = 0; k < thread.frames.size(); ++k) {
      thread.frames[k].index = static_cast<int>(k);
    }
    if (error_line && *error_line + k_max_header_distance >= (headed ? *header : i)) {
      // glibc's heap-corruption report: header + stack, ended by abort().
      sec.role = Role::report;
      sec.first = *error_line;
      sec.crash.kind = model::Kind::abort;
      sec.crash.exception_code = "SIGABRT";
      sec.crash.signal = signal_number("SIGABRT");
      sec.crash.exception_name = std::string(signal_description("SIGABRT"));
      sec.crash.error_message = error_message;
      error_line.reset();
    }
    if (capped) {
      sec.crash.add_problem(model::problem::truncated);
    }
    sec.crash.threads.push_back(std::move(thread));
    out.push_back(std::move(sec));
    header.reset();
    i = j;
  }
}

} // namespace crashpilot::parse
