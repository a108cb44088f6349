// SPDX-License-Identifier: MIT
// Assertion and abort messages (crash-formats.md §4): what a server prints when its own check
// fails, before it crashes on purpose. One section (role `assertion`) per message block:
//   - TrinityCore: "<file>:<line> in <function> ASSERTION FAILED:" + condition + message/debug
//   info,
//     and the FATAL ERROR / ERROR / ABORTED. / ABORTED: forms; "Caught signal <n>" (AbortHandler);
//   - AzerothCore: the "#---#" banner with "# Location '...'" / "# Function" / "# Condition" /
//     "# Message" / "# Debug info:" fields, also when pasting lost the banner or the '#';
//   - MaNGOS: "<file>:<line>: Error: Assertion in <function> failed: <condition>";
//   - C assert (glibc, musl, BSD, MSVC "Assertion failed: x, file y, line n"), the MSVC debug CRT
//     ("file(42) : Assertion failed: x" and the "Debug Assertion Failed!" dialog text).
// A shell job line right after the block ("Segmentation fault (core dumped)") adds its signal.

#include <parse/frame_text.hpp>
#include <parse/section.hpp>
#include <util/string.hpp>

#include <re2/re2.h>

#include <array>
#include <optional>

namespace crashpilot::parse {

namespace {

using util::is_digit;

// Lines of message and debug info kept per assertion; TC debug info (a MoveSpline dump) is long
// but never this long.
constexpr size_t k_max_body_lines = 200;
// Banner, blank and title lines an AzerothCore block may open with before its first field.
constexpr size_t k_max_ac_preamble = 6;


// A freeze detector that reports through ASSERT/ABORT: the crash is a freeze, not a failed check.
bool is_hang_message(std::string_view s) {
  return s.find("Thread hangs") != std::string_view::npos ||
         s.find("Deadlock detected") != std::string_view::npos;
}

struct ShellSignal {
  std::string_view text;
  std::string_view code;
  int number;
};

// What bash prints when the server it started dies of a signal.
constexpr std::array<ShellSignal, 7> k_shell_signals{{
    {"Segmentation fault", "SIGSEGV", 11},
    {"Aborted", "SIGABRT", 6},
    {"Bus error", "SIGBUS", 7},
    {"Floating point exception", "SIGFPE", 8},
    {"Illegal instruction", "SIGILL", 4},
    {"Killed", "SIGKILL", 9},
    {"Trace/breakpoint trap", "SIGTRAP", 5},
}};

// "Segmentation fault (core dumped)", "Segmentation fault: 11", "[1]+  Aborted  ./worldserver",
// "/root/run_ser.sh: line 24:    19 Segmentation fault      (core dumped) ./worldserver".
const ShellSignal* shell_signal(std::string_view t) {
  static const std::string names = "(Segmentation fault|Aborted|Bus error|Floating point exception|"
                                   "Illegal instruction|Killed|Trace/breakpoint trap)";
  static const RE2 bare("^" + names + R"((?:: \d+)?(?:\s+\(core dumped\))?$)");
  static const RE2 job(R"(^(?:.*: line \d+:\s+\d+|\[\d+\][+-]?)\s+)" + names +
                       R"((?:\s+\(core dumped\))?(?:\s+.*)?$)");
  std::string name;
  re2::StringPiece in(t.data(), t.size());
  if (!RE2::FullMatch(in, bare, &name) && !RE2::FullMatch(in, job, &name)) {
    return nullptr;
  }
  for (const auto& s : k_shell_signals) {
    if (s.text == name) {
      return &s;
    }
  }
  return nullptr;
}

const ShellSignal* signal_by_number(int number) {
  for (const auto& s : k_shell_signals) {
    if (s.number == number) {
      return &s;
    }
  }
  return nullptr;
}

void set_signal(model::Crash& c, int number) {
  c.signal = number;
  if (const ShellSignal* s = signal_by_number(number)) {
    c.exception_code = std::string(s->code);
    c.exception_name = std::string(s->text);
  }
}

// "Caught signal 6": TrinityCore's AbortHandler (SIGABRT from outside an ASSERT).
std::optional<int> caught_signal(std::string_view t) {
  if (!t.starts_with("Caught signal ")) {
    return std::nullopt;
  }
  return util::parse_int(util::trim(t.substr(14)));
}

// A log prefix glued to a path ("ERROR [server] /home/tc/src/Map.h"): the path starts after the
// first space followed by '/', a backslash, '.', "[...]" or a drive letter. A path that itself
// holds spaces ("F:/Repack 21 Source/...") starts with such a character and is kept whole.
std::string strip_log_prefix(std::string_view file) {
  auto path_start = [&](size_t p) {
    char c = file[p];
    return c == '/' || c == '\\' || c == '.' || file.substr(p).starts_with("[...]") ||
           (p + 2 < file.size() && file[p + 1] == ':' &&
            (file[p + 2] == '\\' || file[p + 2] == '/'));
  };
  if (file.empty() || path_start(0)) {
    return std::string(file);
  }
  for (size_t p = 1; p < file.size(); ++p) {
    if (file[p - 1] == ' ' && path_start(p)) {
      return std::string(file.substr(p));
    }
  }
  return std::string(file);
}

// The TrinityCore header: "<file>:<line> in <function> ASSERTION FAILED:" and its siblings.
struct TcHeader {
  std::string file;
  int line = 0;
  std::string function;
  std::string what;        // "ASSERTION FAILED", "FATAL ERROR", "ERROR", "ABORTED", "WARNING"
  char punct = 0;          // ':' or '.' after it
  std::string inline_text; // a condition or message retyped onto the header line
};

// ":<digits> in " somewhere: the cheap shape test before the header pattern, since log lines with
// "ERROR" and " in " are common.
bool has_line_in(std::string_view t) {
  for (size_t p = t.find(" in "); p != std::string_view::npos; p = t.find(" in ", p + 1)) {
    size_t k = p;
    while (k > 0 && is_digit(t[k - 1])) {
      --k;
    }
    if (k < p && k > 0 && t[k - 1] == ':') {
      return true;
    }
  }
  return false;
}

std::optional<TcHeader> tc_header(std::string_view t) {
  if (!(t.find("ASSERTION FAILED") != std::string_view::npos ||
        t.find("ERROR") != std::string_view::npos || t.find("ABORTED") != std::string_view::npos ||
        t.find("WARNING") != std::string_view::npos) ||
      !has_line_in(t)) {
    return std::nullopt;
  }
  // Old TC's sLog put "ERROR: " before it; a Wheaty report "Assertion message: ".
  static const RE2 re(R"(^(?:.*?(?:ERROR|Assertion message):\s*)?(.+?):(\d+) in (.+?) )"
                      R"((ASSERTION FAILED|FATAL ERROR|ERROR|ABORTED|WARNING)\s*([.:]?)\s*(.*)$)");
  TcHeader h;
  std::string punct;
  re2::StringPiece in(t.data(), t.size());
  if (!RE2::FullMatch(in, re, &h.file, &h.line, &h.function, &h.what, &punct, &h.inline_text) ||
      h.line <= 0 || (!h.inline_text.empty() && (punct != ":" || h.what != "ASSERTION FAILED"))) {
    return std::nullopt;
  }
  h.punct = punct.empty() ? 0 : punct[0];
  h.file = strip_log_prefix(h.file);
  return h;
}

// AzerothCore fields: "# Location '<file>:<line>'", also without the '#'.
struct AcField {
  std::string key;        // Location, Function, Condition, Message, Debug info
  std::string_view value; // after the opening quote, possibly with the closing quote
};

std::optional<AcField> ac_field(std::string_view t) {
  if (t.starts_with('#')) {
    t = util::trim_left(t.substr(1));
  }
  for (std::string_view key : {"Location", "Function", "Condition", "Message", "Debug info"}) {
    if (!t.starts_with(key)) {
      continue;
    }
    std::string_view rest = t.substr(key.size());
    if (rest.starts_with(':')) {
      rest.remove_prefix(1);
    }
    rest = util::trim_left(rest);
    if (!rest.starts_with('\'')) {
      return std::nullopt;
    }
    return AcField{std::string(key), rest.substr(1)};
  }
  return std::nullopt;
}

bool is_ac_banner(std::string_view t) {
  return t.size() >= 12 && t[0] == '#' && t.find_first_not_of('-', 1) >= t.size() - 1 &&
         (t.back() == '#' || t.back() == '-');
}

// ">> ASSERTION FAILED" (the '>>' may be lost); returns the title.
std::optional<std::string_view> ac_title(std::string_view t) {
  if (t.starts_with(">>")) {
    t = util::trim_left(t.substr(2));
  }
  for (std::string_view title :
       {"ASSERTION FAILED", "FATAL ERROR", "ERROR", "ABORTED", "WARNING"}) {
    if (t == title) {
      return title;
    }
  }
  return std::nullopt;
}

// MaNGOS: "<file>:<line>: Error: Assertion in <function> failed: <condition>".
struct MangosAssert {
  std::string file;
  int line = 0;
  std::string level; // Error / Warning
  std::string function;
  std::string condition;
};

std::optional<MangosAssert> mangos_assert(std::string_view t) {
  if (t.find(": Assertion in ") == std::string_view::npos) {
    return std::nullopt;
  }
  static const RE2 re(R"(^(.+?):(\d+): (Error|Warning): Assertion in (.+?) failed:?\s*(.*)$)");
  MangosAssert m;
  re2::StringPiece in(t.data(), t.size());
  if (!RE2::FullMatch(in, re, &m.file, &m.line, &m.level, &m.function, &m.condition)) {
    return std::nullopt;
  }
  m.file = strip_log_prefix(m.file);
  return m;
}

// C assert() and CRT forms on one line.
struct CAssert {
  std::string format;
  model::Assertion a;
};

std::optional<CAssert> c_assert(std::string_view t) {
  bool glibc = t.find("Assertion `") != std::string_view::npos ||
               (t.find("Assertion '") != std::string_view::npos &&
                t.find("' failed") != std::string_view::npos);
  bool failed = t.find("ssertion failed") != std::string_view::npos ||
                t.find("ssertion Failed") != std::string_view::npos;
  if (!glibc && !failed) {
    return std::nullopt;
  }
  CAssert c;
  c.format = "c-assert";
  model::Assertion& a = c.a;
  re2::StringPiece in(t.data(), t.size());
  std::string line;
  // glibc: "prog: file.cpp:42: void Foo::bar(): Assertion `x' failed."
  static const RE2 glibc_re(
      R"((?:^|: )([^:]*(?:[A-Za-z]:[\\/][^:]*)?):(\d+): (.*?): Assertion [`'](.*)' failed\.?$)");
  // BSD / macOS: "Assertion failed: (x), function foo, file bar.c, line 12."
  static const RE2 bsd_re(
      R"(Assertion failed: \((.*)\), function (.*), file (.*), line (\d+)\.?$)");
  // MSVC / mingw / Cuberite: "Assertion failed: x, file path, line N"
  static const RE2 msvc_re(R"(Assertion failed: (.*), file (.*), line (\d+)\.?$)");
  // MSVC debug CRT: "minkernel\crts\ucrt\src\appcrt\convert\isctype.cpp(42) : Assertion failed: x"
  static const RE2 crt_re(R"(^(.+?)\((\d+)\)\s*:\s*Assertion failed[:!]?\s*(.*)$)");
  // musl: "Assertion failed: x (file.c: func: 42)"
  static const RE2 musl_re(R"(Assertion failed: (.*) \((.+?): (.+): (\d+)\)$)");
  // Anything else that says so: AscEmu "Assertion Failed: (cond)" (location on the next line).
  static const RE2 other_re(R"((?:^|\s)Assertion [Ff]ailed:\s*(.*)$)");
  if (glibc && RE2::PartialMatch(in, glibc_re, &a.file, &line, &a.function, &a.condition)) {
    a.file = std::string(util::trim(a.file));
  } else if (RE2::PartialMatch(in, bsd_re, &a.condition, &a.function, &a.file, &line)) {
  } else if (RE2::PartialMatch(in, msvc_re, &a.condition, &a.file, &line)) {
  } else if (RE2::FullMatch(in, crt_re, &a.file, &line, &a.condition)) {
    c.format = "crt-assert";
  } else if (RE2::PartialMatch(in, musl_re, &a.condition, &a.file, &a.function, &line)) {
  } else if (RE2::PartialMatch(in, other_re, &a.condition)) {
  } else {
    return std::nullopt;
  }
  a.line = util::parse_int(line).value_or(0);
  a.condition = std::string(util::trim(a.condition));
  return c;
}

// Lines that end an assertion's message: the next block of any format the parsers know.
bool is_block_start(std::string_view t) {
  if (t.empty()) {
    return false;
  }
  if ((t[0] == '#' && t.size() > 1 && is_digit(t[1])) || t.starts_with("[0x") ||
      t.starts_with("(gdb)") || t.starts_with("==") || t.starts_with(">>") || is_ac_banner(t) ||
      ac_field(t) || shell_signal(t) || caught_signal(t)) {
    return true;
  }
  static constexpr std::array<std::string_view, 22> k_starts{
      "Program received signal",
      "Program terminated",
      "Thread ",
      "Stack Trace:",
      "Stack trace:",
      "Backtrace",
      "Call stack:",
      "Exception code:",
      "Fault address:",
      "Registers:",
      "terminate called",
      "[New Thread",
      "[Thread debugging",
      "Core was generated",
      "Obtained ",
      "*** ",
      "Debug Assertion Failed",
      "SUMMARY:",
      "AddressSanitizer",
      "WARNING: ThreadSanitizer",
      "ERROR: AddressSanitizer",
      "Caught signal",
  };
  for (auto s : k_starts) {
    if (t.starts_with(s)) {
      return true;
    }
  }
  // glibc backtrace_symbols(): "./mangosd(_ZN4Unit6UpdateEjj+0x56f) [0x97689f]"; ACE stack
  // "ACE_Thread_Adapter::invoke_i()+0x88 [0x0]".
  if (t.back() == ']' && t.find("[0x") != std::string_view::npos &&
      t.find("+0x") != std::string_view::npos) {
    return true;
  }
  return tc_header(t) || mangos_assert(t) || c_assert(t);
}

// Debug info continues after a blank line when the next line looks like more of it
// ("AIName:  ScriptName: druid_bot", "time passed: 785"), not prose or another block.
bool looks_like_debug_info(std::string_view t) {
  static const RE2 re(R"(^[A-Za-z][\w .'()-]{0,40}:(?:\s|$).*)");
  re2::StringPiece in(t.data(), t.size());
  return RE2::FullMatch(in, re);
}

// Collects message / debug-info lines from `j`; returns the index after the last line taken.
size_t collect_body(const Document& doc, size_t j, std::vector<std::string>& lines) {
  size_t end = j;
  while (j < doc.size() && lines.size() < k_max_body_lines) {
    std::string_view t = util::trim(doc[j]);
    if (t.empty()) {
      size_t k = j + 1;
      while (k < doc.size() && k < j + 3 && util::trim(doc[k]).empty()) {
        ++k;
      }
      if (k < doc.size() && !lines.empty() && !is_block_start(util::trim(doc[k])) &&
          looks_like_debug_info(util::trim(doc[k]))) {
        lines.emplace_back();
        j = k;
        continue;
      }
      break;
    }
    if (is_block_start(t)) {
      break;
    }
    lines.emplace_back(t);
    end = ++j;
  }
  // Blank lines kept between debug-info paragraphs but not at the end.
  while (!lines.empty() && lines.back().empty()) {
    lines.pop_back();
  }
  return end;
}

std::string join_lines(const std::vector<std::string>& lines, size_t from = 0) {
  std::string out;
  for (size_t k = from; k < lines.size(); ++k) {
    if (k > from) {
      out += '\n';
    }
    out += lines[k];
  }
  return out;
}

void set_kind(model::Crash& c, model::Kind kind) {
  c.kind = kind;
  const auto& a = c.assertion;
  if (is_hang_message(c.error_message) ||
      (a && (is_hang_message(a->message) || is_hang_message(a->condition)))) {
    c.kind = model::Kind::freeze;
  }
}

// A shell job line or "Caught signal" right after the block: the signal the server then died of.
size_t attach_signal(const Document& doc, size_t last, model::Crash& c) {
  size_t non_blank = 0;
  for (size_t k = last + 1; k < doc.size() && k <= last + 4 && non_blank < 2; ++k) {
    std::string_view t = util::trim(doc[k]);
    if (t.empty()) {
      continue;
    }
    ++non_blank;
    if (const ShellSignal* s = shell_signal(t)) {
      if (c.signal == 0) {
        c.signal = s->number;
        c.exception_code = std::string(s->code);
        c.exception_name = std::string(s->text);
      }
      return k;
    }
    if (auto n = caught_signal(t)) {
      if (c.signal == 0) {
        set_signal(c, *n);
      }
      return k;
    }
    break;
  }
  return last;
}

// Appends the section; returns the index after it (past an attached shell line).
size_t push(const Document& doc, Sections& out, std::string format, size_t first, size_t last,
            model::Crash c) {
  last = attach_signal(doc, last, c);
  Section s;
  s.format = std::move(format);
  s.role = Role::assertion;
  s.first = first;
  s.last = last;
  s.crash = std::move(c);
  out.push_back(std::move(s));
  return last + 1;
}

// TrinityCore; returns the index after the block.
size_t parse_tc(const Document& doc, size_t i, const TcHeader& h, Sections& out) {
  if (h.what == "WARNING") {
    return i + 1; // WPWarning logs and carries on: no crash
  }
  size_t first = i;
  // The old sLog "ERROR: " prefix on a line of its own.
  if (i > 0 && util::trim(doc[i - 1]) == "ERROR:") {
    first = i - 1;
  }
  model::Crash c;
  model::Assertion a;
  a.file = h.file;
  a.line = h.line;
  a.function = h.function;
  size_t j = i + 1;
  std::vector<std::string> body;
  if (!h.inline_text.empty()) {
    body.push_back(h.inline_text);
  }
  if (!(h.what == "ABORTED" && h.punct == '.')) {
    // Tolerate one blank line a paste put between the header and the condition.
    size_t k = j;
    if (k + 1 < doc.size() && util::trim(doc[k]).empty() && !util::trim(doc[k + 1]).empty()) {
      ++k;
    }
    if (k < doc.size() && !util::trim(doc[k]).empty() && !is_block_start(util::trim(doc[k]))) {
      j = collect_body(doc, k, body);
    }
    while (!body.empty() && body.back().empty()) {
      body.pop_back();
    }
  }
  if (h.what == "ASSERTION FAILED") {
    if (!body.empty()) {
      a.condition = body.front();
    }
    a.message = join_lines(body, 1);
    c.error_message = a.condition;
  } else {
    a.message = join_lines(body);
    c.error_message = body.empty() ? std::string() : body.front();
  }
  c.assertion = std::move(a);
  set_kind(c, h.what == "ABORTED" ? model::Kind::abort : model::Kind::assertion);
  size_t next = push(doc, out, "tc-assert", first, j > i + 1 ? j - 1 : i, std::move(c));
  return std::max(j, next);
}

// A debug-info value can hold quotes ("Map name: 'Northrend'"): a line ending in one closes the
// value only when no more of it follows on the next line.
bool value_goes_on(const Document& doc, size_t j) {
  if (j + 1 >= doc.size()) {
    return false;
  }
  std::string_view next = util::trim(doc[j + 1]);
  return !next.empty() && !is_ac_banner(next) && !ac_field(next) && !ac_title(next) &&
         !is_block_start(next);
}

// AzerothCore banner block starting at `i` (a banner, title or field line); returns the index
// after it, or i + 1 when the lines do not hold a Location / Condition.
size_t parse_ac(const Document& doc, size_t i, Sections& out) {
  std::optional<std::string_view> title;
  std::string location, function, condition, message, debug;
  bool any_field = false;
  size_t last = i;
  size_t j = i;
  // The quoted value being read, and where it goes.
  std::string* open = nullptr;
  for (; j < doc.size() && j < i + k_max_body_lines; ++j) {
    std::string_view t = util::trim(doc[j]);
    if (open) {
      if (is_ac_banner(t) || ac_field(t)) {
        open = nullptr; // an unterminated value (cut paste): the next field takes over
      } else {
        std::string_view v = t;
        bool closed = v.ends_with('\'');
        if (closed) {
          v.remove_suffix(1);
        }
        *open += '\n';
        *open += v;
        last = j;
        if (closed && !value_goes_on(doc, j)) {
          open = nullptr;
        } else if (closed) {
          *open += '\'';
        }
        continue;
      }
    }
    if (t.empty()) {
      continue;
    }
    if (!any_field && j >= i + k_max_ac_preamble) {
      break;
    }
    if (is_ac_banner(t)) {
      last = j;
      if (any_field) {
        ++j;
        break; // the closing banner
      }
      continue;
    }
    if (auto tt = ac_title(t)) {
      if (any_field || title) {
        break; // the next block
      }
      title = tt;
      last = j;
      continue;
    }
    auto f = ac_field(t);
    if (!f) {
      break;
    }
    std::string* into = f->key == "Location"    ? &location
                        : f->key == "Function"  ? &function
                        : f->key == "Condition" ? &condition
                        : f->key == "Message"   ? &message
                                                : &debug;
    if (!into->empty()) {
      break; // a field seen twice: the next block
    }
    any_field = true;
    last = j;
    std::string_view v = f->value;
    if (v.ends_with('\'') && !(f->key == "Debug info" && value_goes_on(doc, j))) {
      v.remove_suffix(1);
      *into = std::string(v);
    } else {
      *into = std::string(v);
      open = into;
    }
  }
  if (location.empty() && condition.empty() && function.empty()) {
    return i + 1;
  }
  if (title == "WARNING") {
    return std::max(j, i + 1);
  }
  model::Crash c;
  model::Assertion a;
  if (auto loc = parse_location(location)) {
    a.file = loc->file;
    a.line = loc->line;
  } else {
    a.file = location;
  }
  a.function = function;
  a.condition = condition;
  a.message = message;
  if (!debug.empty()) {
    a.message += a.message.empty() ? debug : "\n" + debug;
  }
  c.error_message = !message.empty() ? message : condition;
  c.assertion = std::move(a);
  model::Kind kind = model::Kind::assertion;
  if (title == "ABORTED" || (!title && condition.empty())) {
    kind = model::Kind::abort;
  }
  set_kind(c, kind);
  size_t next = push(doc, out, "ac-assert", i, last, std::move(c));
  return std::max(j, next);
}

// "Debug Assertion Failed!" (debug CRT) / "Assertion failed!" (release _wassert in a GUI program)
// message-box text: Program / File / Line / Expression lines below it.
size_t parse_crt_dialog(const Document& doc, size_t i, Sections& out) {
  size_t first = i;
  if (i > 0 && util::trim(doc[i - 1]).starts_with("Microsoft Visual C++")) {
    first = i - 1;
  }
  model::Assertion a;
  std::string program;
  size_t last = i;
  for (size_t j = i + 1; j < doc.size() && j < i + 20; ++j) {
    std::string_view t = util::trim(doc[j]);
    auto value = [&](std::string_view key) -> std::optional<std::string_view> {
      if (t.starts_with(key)) {
        return util::trim(t.substr(key.size()));
      }
      return std::nullopt;
    };
    if (auto v = value("Program:")) {
      program = std::string(*v);
    } else if (auto f = value("File:")) {
      a.file = std::string(*f);
    } else if (auto l = value("Line:")) {
      a.line = util::parse_int(*l).value_or(0);
    } else if (auto e = value("Expression:")) {
      a.condition = std::string(*e);
    } else if (t.starts_with("(Press Retry") || t.starts_with("For information on") ||
               t.starts_with("failure, see") || t.empty()) {
      if (!t.empty()) {
        last = j;
      }
      continue;
    } else {
      break;
    }
    last = j;
  }
  if (a.file.empty() && a.condition.empty()) {
    return i + 1;
  }
  model::Crash c;
  c.error_message = a.condition;
  c.assertion = std::move(a);
  set_kind(c, model::Kind::assertion);
  return push(doc, out, "crt-assert", first, last, std::move(c));
}

// Cheap test before any pattern: the words every form contains.
bool may_hold_assertion(std::string_view t) {
  return t.find("ASSERTION") != std::string_view::npos ||
         t.find("ssertion") != std::string_view::npos ||
         t.find("ERROR") != std::string_view::npos || t.find("ABORTED") != std::string_view::npos ||
         t.find("Location") != std::string_view::npos ||
         t.find("Condition") != std::string_view::npos ||
         t.find("Function") != std::string_view::npos || t.starts_with("#--") ||
         t.starts_with("Caught signal");
}

} // namespace

void parse_assertion(const Document& doc, Sections& out) {
  size_t i = 0;
  while (i < doc.size()) {
    std::string_view t = util::trim(doc[i]);
    if (t.empty() || !may_hold_assertion(t)) {
      ++i;
      continue;
    }
    if (auto h = tc_header(t)) {
      i = parse_tc(doc, i, *h, out);
      continue;
    }
    if (is_ac_banner(t) || ac_title(t) || ac_field(t)) {
      i = parse_ac(doc, i, out);
      continue;
    }
    if (auto m = mangos_assert(t)) {
      if (m->level == "Warning") {
        ++i; // WPWarning logs and carries on, like the TrinityCore WARNING block: no crash
        continue;
      }
      model::Crash c;
      model::Assertion a;
      a.file = m->file;
      a.line = m->line;
      a.function = m->function;
      a.condition = m->condition;
      c.error_message = m->condition;
      c.assertion = std::move(a);
      set_kind(c, model::Kind::assertion);
      i = push(doc, out, "mangos-assert", i, i, std::move(c));
      continue;
    }
    if (t.starts_with("Debug Assertion Failed") || t == "Assertion failed!") {
      i = parse_crt_dialog(doc, i, out);
      continue;
    }
    if (auto ca = c_assert(t)) {
      size_t last = i;
      // AscEmu-style "Location: /path/Singleton.h(46)" on the next line.
      if (ca->a.file.empty() && i + 1 < doc.size()) {
        std::string_view next = util::trim(doc[i + 1]);
        if (next.starts_with("Location:")) {
          if (auto loc = parse_location(next.substr(9))) {
            ca->a.file = loc->file;
            ca->a.line = loc->line;
            last = i + 1;
          }
        }
      }
      model::Crash c;
      c.error_message = ca->a.condition;
      c.assertion = std::move(ca->a);
      set_kind(c, model::Kind::assertion);
      i = push(doc, out, ca->format, i, last, std::move(c));
      continue;
    }
    if (auto n = caught_signal(t)) {
      model::Crash c;
      c.kind = model::Kind::abort;
      set_signal(c, *n);
      c.error_message = std::string(t);
      i = push(doc, out, "tc-assert", i, i, std::move(c));
      continue;
    }
    ++i;
  }
}

} // namespace crashpilot::parse
