// SPDX-License-Identifier: MIT
// WheatyExceptionReport .txt, the crash report TrinityCore, AzerothCore, SkyFire and the MaNGOS
// family write on Windows (crash-formats.md §1): a header (revision, date, hardware, exception
// code, assertion message, fault address, registers), one "Call stack:" block per thread, then a
// "Local Variables And Parameters" pass that prints every stack again with its variables.
//
// Users paste any part of it: from "*** Hardware ***", from "Exception code:", only the call
// stack, or only the locals pass. Every part is optional here; what is there is recorded.
#include <parse/frame_text.hpp>
#include <parse/section.hpp>
#include <util/string.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crashpilot::parse {

namespace {

using std::string_view;
using util::trim;

// Unknown lines tolerated between header lines (the OS caption, AC's symbol handler error, the
// formatted `uncaught_exception` variable) before the report is considered over.
constexpr size_t k_max_header_noise = 8;
constexpr size_t k_max_message_lines = 200;
constexpr size_t k_max_message_bytes = 16 * 1024;

// The first blank (space or tab) at or after `from`, or npos. std::string_view::find_first_of
// calls memchr once per character, which shows up on multi-megabyte reports.
size_t find_blank(string_view s, size_t from = 0) {
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == ' ' || s[i] == '\t') {
      return i;
    }
  }
  return string_view::npos;
}

bool starts_with(string_view s, string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool all_digits(string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

// ---- frame lines -------------------------------------------------------------------------------

// "<pc>  <frame>  <function part>": both columns are 8 (x86) or 16 (x64) hex digits.
struct Columns {
  uint64_t pc = 0;
  string_view rest;
};

std::optional<Columns> split_columns(string_view t) {
  auto blank_at = [&](size_t k) { return t.size() > k && (t[k] == ' ' || t[k] == '\t'); };
  size_t width = blank_at(8) ? 8 : blank_at(16) ? 16 : 0;
  if (width == 0) {
    return std::nullopt;
  }
  string_view pc = t.substr(0, width);
  if (!util::is_all_hex(pc)) {
    return std::nullopt;
  }
  string_view s = util::trim_left(t.substr(width));
  if (s.size() < width || !util::is_all_hex(s.substr(0, width)) ||
      (s.size() > width && s[width] != ' ' && s[width] != '\t')) {
    return std::nullopt;
  }
  Columns c;
  c.pc = util::parse_hex(pc).value_or(0);
  c.rest = trim(s.substr(width));
  // WinDbg `k` output has the same two columns, then "module!symbol+0x1f", "module+0x1f", "0x..."
  // or (kb) more hex argument columns: those lines belong to parse_windows_stack.
  string_view first = c.rest.substr(0, find_blank(c.rest));
  if ((first.size() == 8 || first.size() == 16) && util::is_all_hex(first)) {
    return std::nullopt;
  }
  if (starts_with(first, "0x") || first.find("+0x") != string_view::npos ||
      first.find('`') != string_view::npos) {
    return std::nullopt;
  }
  size_t bang = first.find('!');
  if (bang != string_view::npos && bang > 0 && bang + 1 < first.size()) {
    string_view module = first.substr(0, bang);
    bool word = module != "operator";
    for (char ch : module) {
      word = word &&
             (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-');
    }
    if (word) {
      return std::nullopt;
    }
  }
  return c;
}

// "0001:00000000006D062A C:\...\worldserver.exe": no symbol, a section:offset inside the module.
// Also the garbage frames of a broken unwind, "0000:0000000000000000" with no module.
bool parse_no_symbol(string_view s, model::Frame& f) {
  if (s.size() < 6 || s[4] != ':' || !util::is_all_hex(s.substr(0, 4))) {
    return false;
  }
  string_view r = s.substr(5);
  size_t n = 0;
  while (n < r.size() && util::is_hex_digit(r[n])) {
    ++n;
  }
  if (n == 0 || n > 16 || (n < r.size() && r[n] != ' ' && r[n] != '\t')) {
    return false;
  }
  f.offset = util::parse_hex(r.substr(0, n));
  f.module = std::string(trim(r.substr(n)));
  return true;
}

// "C:\path with spaces\file.cpp line 1061" -> file, line.
bool parse_source(string_view src, model::Frame& f) {
  size_t ln = src.rfind(" line ");
  if (ln != string_view::npos && all_digits(src.substr(ln + 6))) {
    f.file = std::string(trim(src.substr(0, ln)));
    f.line = util::parse_int(src.substr(ln + 6)).value_or(0);
    return true;
  }
  if (auto loc = parse_location(src)) {
    f.file = loc->file;
    f.line = loc->line;
    f.column = loc->column;
    return true;
  }
  f.file = std::string(src);
  return !src.empty();
}

// The symbol column: "[inline] " prefix, then "Name+HEX" (HEX = displacement, no 0x). Names can
// hold spaces and '+' (templates, operator++), so the displacement is the last "+HEX".
void parse_symbol(string_view sym, model::Frame& f) {
  if (starts_with(sym, "[inline] ")) {
    f.inlined = true;
    sym = trim(sym.substr(9));
  }
  size_t plus = sym.rfind('+');
  if (plus != string_view::npos && plus > 0 && util::is_all_hex(sym.substr(plus + 1)) &&
      sym.size() - plus - 1 <= 16) {
    f.offset = util::parse_hex(sym.substr(plus + 1));
    sym = sym.substr(0, plus);
  }
  if (starts_with(sym, "?")) {
    f.function = undecorate_msvc(sym); // export tables give decorated names
  } else {
    f.function = demangle(sym);
  }
}

// Parses what follows the two columns. `strict` (outside a "Call stack:" block) only accepts the
// two shapes Wheaty prints, so that random "hex hex text" lines do not start a report.
bool parse_function_part(string_view rest, model::Frame& f, bool strict) {
  if (parse_no_symbol(rest, f)) {
    return true;
  }
  string_view sym = rest;
  string_view src;
  size_t two = rest.find("  ");
  if (two != string_view::npos) {
    sym = trim(rest.substr(0, two));
    src = trim(rest.substr(two));
  } else if (size_t ln = rest.rfind(" line ");
             ln != string_view::npos && all_digits(rest.substr(ln + 6))) {
    // Retyped text lost the double space: the symbol ends at the first "+HEX " before the path.
    for (size_t p = rest.find('+'); p != string_view::npos && p < ln; p = rest.find('+', p + 1)) {
      size_t q = p + 1;
      while (q < ln && util::is_hex_digit(rest[q])) {
        ++q;
      }
      if (q > p + 1 && rest[q] == ' ') {
        sym = rest.substr(0, q);
        src = trim(rest.substr(q));
        break;
      }
    }
  }
  parse_symbol(sym, f);
  if (strict && (!f.offset || f.function.empty())) {
    return false;
  }
  if (!src.empty()) {
    parse_source(src, f);
  }
  return true;
}

bool ends_with_line_number(string_view t) {
  size_t ln = t.rfind("line ");
  return ln != string_view::npos && (ln == 0 || t[ln - 1] == ' ') && all_digits(t.substr(ln + 5));
}

// The frames where the exception handler runs: when a thread block holds them, it is the thread
// that faulted (AC walks every thread, the handler's own included) and the fault follows
// KiUserExceptionDispatcher.
bool is_handler_frame(const model::Frame& f) {
  return f.function.find("UnhandledExceptionFilter") != std::string::npos ||
         f.function.find("KiUserExceptionDispatcher") != std::string::npos ||
         starts_with(f.function, "WheatyExceptionReport::");
}

// The outermost frame of every Windows thread: a stack ending there is complete.
bool is_thread_root(const model::Frame& f) {
  return f.function.find("RtlUserThreadStart") != std::string::npos ||
         f.function == "RtlInitializeExceptionChain";
}

// ---- header lines ------------------------------------------------------------------------------

// "*** Hardware ***" / "*** Operation System ***", also as Markdown left them ("**\* Hardware ***"
// is unescaped by Document; a renderer may eat some stars).
bool is_banner(string_view t, string_view word) {
  size_t k = t.find_first_not_of("*\\ ");
  return k != string_view::npos && k > 0 && t[0] == '*' && starts_with(t.substr(k), word);
}

struct Block {
  std::vector<model::Frame> frames;
  size_t last_line = 0;
  bool handler = false;
};

struct Report {
  size_t first = 0;
  size_t last = 0;
  bool seen_revision = false;
  bool seen_hardware = false;
  bool seen_code = false;
  bool seen_fault = false;
  bool in_registers = false;
  bool truncated = false;
  std::string code;
  std::string name;
  std::string timestamp;
  std::string assertion_text;
  std::optional<model::Assertion> assertion;
  std::string uncaught;
  std::optional<uint64_t> fault;
  std::string fault_module;
  std::vector<std::pair<std::string, std::vector<std::string>>> fills; // fill -> registers
  std::vector<Block> blocks;
  std::vector<Block> locals; // the "Local Variables And Parameters" pass
  size_t frame_count = 0;

  bool any_header() const { return seen_revision || seen_hardware || seen_code || seen_fault; }
};

std::string two_digits(int v) {
  std::string s = std::to_string(v);
  return s.size() < 2 ? "0" + s : s;
}

// "Date 23:2:2019. Time 15:37 " (TC/AC) and "Crash date 28:02:2026. Time 17:27" (cMaNGOS 2026).
void parse_date(string_view t, Report& r) {
  static const RE2 re(
      R"((?:Crash date|Date)\s+(\d{1,2}):(\d{1,2}):(\d{4})\.?\s*Time\s+(\d{1,2}):(\d{1,2}))");
  int day = 0, month = 0, year = 0, hour = 0, minute = 0;
  if (RE2::PartialMatch(re2::StringPiece(t.data(), t.size()), re, &day, &month, &year, &hour,
                        &minute) &&
      day >= 1 && day <= 31 && month >= 1 && month <= 12 && hour < 24 && minute < 60) {
    r.timestamp = std::to_string(year) + "-" + two_digits(month) + "-" + two_digits(day) + "T" +
                  two_digits(hour) + ":" + two_digits(minute);
  }
}

// Canonical names for codes whose printed name is localized, empty or a sentence.
string_view known_exception_name(string_view code) {
  static constexpr std::array<std::pair<string_view, string_view>, 12> k_names{{
      {"0xC0000005", "ACCESS_VIOLATION"},
      {"0xC0000420", "ASSERTION_FAILURE"},
      {"0xC00000FD", "STACK_OVERFLOW"},
      {"0x80000003", "BREAKPOINT"},
      {"0xC0000409", "STACK_BUFFER_OVERRUN"},
      {"0xC0000374", "HEAP_CORRUPTION"},
      {"0xC000001D", "ILLEGAL_INSTRUCTION"},
      {"0xC0000094", "INT_DIVIDE_BY_ZERO"},
      {"0xC0000096", "PRIV_INSTRUCTION"},
      {"0xC0000006", "IN_PAGE_ERROR"},
      {"0xC0000008", "INVALID_HANDLE"},
      {"0xE06D7363", "Unhandled C++ exception"},
  }};
  for (const auto& [c, n] : k_names) {
    if (c == code) {
      return n;
    }
  }
  return {};
}

// "Exception code: C0000005 ACCESS_VIOLATION". Names other than GetExceptionString's come from
// NTDLL's message table, localized or empty: the hex code is what identifies the exception.
void parse_exception_code(string_view t, Report& r) {
  string_view s = util::trim_left(t.substr(std::string_view("Exception code:").size()));
  if (starts_with(s, "0x") || starts_with(s, "0X")) {
    s.remove_prefix(2);
  }
  size_t n = 0;
  while (n < s.size() && util::is_hex_digit(s[n])) {
    ++n;
  }
  if (n == 0 || n > 8) {
    return;
  }
  std::string code = "0x" + std::string(8 - n, '0');
  for (char c : s.substr(0, n)) {
    code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  r.code = code;
  r.seen_code = true;
  string_view printed = trim(s.substr(n));
  bool identifier = !printed.empty();
  for (char c : printed) {
    identifier = identifier && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  }
  string_view known = known_exception_name(code);
  r.name = std::string(identifier || known.empty() ? printed : known);
}

// "Fault address:  00E2CA41 01:000CBA41 C:\build\bin\Debug\worldserver.exe"
void parse_fault_address(string_view t, Report& r) {
  string_view s = util::trim_left(t.substr(std::string_view("Fault address:").size()));
  size_t sp = find_blank(s);
  string_view addr = s.substr(0, sp);
  if (!util::is_all_hex(addr)) {
    return;
  }
  r.fault = util::parse_hex(addr);
  r.seen_fault = true;
  if (sp == string_view::npos) {
    return;
  }
  s = util::trim_left(s.substr(sp));
  size_t colon = s.find(':');
  size_t sp2 = find_blank(s);
  if (colon != string_view::npos && colon < sp2 && util::is_all_hex(s.substr(0, colon))) {
    r.fault_module = sp2 == string_view::npos ? std::string() : std::string(trim(s.substr(sp2)));
  }
}

// Register lines ("EAX:DDDDDDDD", "R8: 000007FEF5A50000", "SS:ESP:002B:08C1F250  EBP:08C1F28C"):
// the MSVC debug heap fills freed memory with DDDDDDDD and HeapFree with FEEEFEEE, so a register
// holding one is the mark of a use-after-free. Nothing else of the registers is kept.
bool parse_register_line(string_view t, Report& r) {
  if (t.empty() || t[0] < 'A' || t[0] > 'Z') {
    return false;
  }
  size_t colon = t.find(':');
  if (colon == string_view::npos || colon > 6) {
    return false;
  }
  // "R8: 0000..." has a space after the colon: glue it back so every token is NAME:...:VALUE.
  std::string glued = util::replace_all(t, ": ", ":");
  for (string_view token : util::split(glued, ' ')) {
    if (token.empty()) {
      continue;
    }
    auto fields = util::split(token, ':');
    if (fields.size() < 2) {
      return false;
    }
    // "CS:EIP:0023:006EFB97": the value is the last field, the name the last non-hex field
    // (every register name has a letter past F).
    string_view value = fields.back();
    string_view name = fields.front();
    for (size_t k = fields.size() - 1; k-- > 0;) {
      if (!util::is_all_hex(fields[k])) {
        name = fields[k];
        break;
      }
    }
    if (!util::is_all_hex(value)) {
      return false;
    }
    for (string_view fill : {string_view("DDDDDDDD"), string_view("FEEEFEEE")}) {
      bool hit = (value.size() == 8 && value == fill) ||
                 (value.size() == 16 && (value.substr(0, 8) == fill || value.substr(8) == fill));
      if (!hit) {
        continue;
      }
      auto it = std::find_if(r.fills.begin(), r.fills.end(),
                             [&](const auto& p) { return p.first == fill; });
      if (it == r.fills.end()) {
        r.fills.emplace_back(std::string(fill), std::vector<std::string>{});
        it = r.fills.end() - 1;
      }
      it->second.emplace_back(name);
    }
  }
  return true;
}

// TC's message: "<file>:<line> in <function> ASSERTION FAILED:" / "  <condition>" / message and
// debug info lines (also "ABORTED:", "FATAL ERROR:" with the message on the next lines). AC's:
// "# Location '<file>:<line>'", "# Function '...'", "# Condition '...'", "# Message '...'".
std::optional<model::Assertion> parse_assertion_text(const std::vector<std::string>& lines) {
  static const RE2 tc(R"((.+?):(\d+) in (.+?) (ASSERTION FAILED|ABORTED|FATAL ERROR|ERROR)[:.]?)");
  for (size_t k = 0; k < lines.size(); ++k) {
    string_view t = trim(lines[k]);
    if (t.find(" in ") == string_view::npos) {
      continue;
    }
    model::Assertion a;
    std::string kind;
    if (RE2::FullMatch(re2::StringPiece(t.data(), t.size()), tc, &a.file, &a.line, &a.function,
                       &kind)) {
      size_t next = k + 1;
      if (kind == "ASSERTION FAILED" && next < lines.size()) {
        a.condition = std::string(trim(lines[next]));
        ++next;
      }
      std::vector<std::string> rest;
      for (; next < lines.size(); ++next) {
        rest.emplace_back(trim(lines[next]));
      }
      a.message = std::string(trim(util::join(rest, "\n")));
      return a;
    }
  }
  model::Assertion a;
  bool any = false;
  auto quoted = [](string_view t, string_view key) -> std::optional<std::string> {
    if (!starts_with(t, key)) {
      return std::nullopt;
    }
    string_view v = trim(t.substr(key.size()));
    if (!v.empty() && v.front() == '\'') {
      v.remove_prefix(1);
    }
    if (!v.empty() && v.back() == '\'') {
      v.remove_suffix(1);
    }
    return std::string(v);
  };
  for (const auto& l : lines) {
    string_view t = trim(l);
    if (auto v = quoted(t, "# Location")) {
      size_t colon = v->rfind(':');
      if (colon != std::string::npos && all_digits(string_view(*v).substr(colon + 1))) {
        a.file = v->substr(0, colon);
        a.line = util::parse_int(string_view(*v).substr(colon + 1)).value_or(0);
      } else {
        a.file = *v;
      }
      any = true;
    } else if (auto f = quoted(t, "# Function")) {
      a.function = *f;
      any = true;
    } else if (auto c = quoted(t, "# Condition")) {
      a.condition = *c;
      any = true;
    } else if (auto m = quoted(t, "# Message")) {
      a.message = *m;
    } else if (auto d = quoted(t, "# Debug info:")) {
      a.message += a.message.empty() ? *d : "\n" + *d;
    }
  }
  if (any) {
    return a;
  }
  return std::nullopt;
}

bool is_message_end(string_view t) {
  return starts_with(t, "Fault address:") || starts_with(t, "Registers:") ||
         starts_with(t, "Call stack:") || starts_with(t, "Exception code:") ||
         starts_with(t, "Uncaught C++ exception info:");
}

// "Assertion message: <text>" (C0000420 raised by TC/AC's Crash()). The text starts on the same
// line or, TC's case, the next one, and ends at a blank line or the next header line.
size_t parse_assertion_message(const Document& doc, size_t i, Report& r) {
  std::vector<std::string> lines;
  string_view same = trim(trim(doc[i]).substr(std::string_view("Assertion message:").size()));
  if (!same.empty()) {
    lines.emplace_back(same);
  }
  size_t last = i;
  size_t bytes = same.size();
  // AC's message is a "#----#" banner with blank lines inside: they do not end it.
  bool banner_open = false;
  for (size_t j = i + 1; j < doc.size() && lines.size() < k_max_message_lines; ++j) {
    string_view t = trim(doc[j]);
    if (is_message_end(t) || (t.empty() && !lines.empty() && !banner_open)) {
      break;
    }
    if (t.empty()) {
      continue;
    }
    if (starts_with(t, "#---")) {
      banner_open = !banner_open;
    }
    bytes += doc[j].size();
    if (bytes > k_max_message_bytes) {
      break;
    }
    lines.emplace_back(doc[j]);
    last = j;
  }
  std::vector<std::string> trimmed;
  for (const auto& l : lines) {
    trimmed.emplace_back(util::trim_right(l));
  }
  r.assertion_text = std::string(trim(util::join(trimmed, "\n")));
  r.assertion = parse_assertion_text(lines);
  return last;
}

// Lines a report prints before its stacks. Returns false for a line that is not one of them;
// `i` moves past the lines a multi-line item consumed.
bool parse_header_line(const Document& doc, size_t& i, Report& r) {
  string_view t = trim(doc[i]);
  if (starts_with(t, "Revision:")) {
    r.seen_revision = true;
    return true;
  }
  if (starts_with(t, "Date ") || starts_with(t, "Crash date ")) {
    parse_date(t, r);
    return true;
  }
  if (starts_with(t, "Exception code:")) {
    parse_exception_code(t, r);
    return true;
  }
  if (starts_with(t, "Assertion message:")) {
    i = parse_assertion_message(doc, i, r);
    return true;
  }
  if (starts_with(t, "Fault address:")) {
    parse_fault_address(t, r);
    return true;
  }
  if (starts_with(t, "Registers:")) {
    r.in_registers = true;
    return true;
  }
  if (r.in_registers && parse_register_line(t, r)) {
    return true;
  }
  if (is_banner(t, "Operation System")) {
    return true;
  }
  if (starts_with(t, "Uncaught C++ exception info:")) {
    r.uncaught =
        std::string(trim(t.substr(std::string_view("Uncaught C++ exception info:").size())));
    return true;
  }
  if (is_banner(t, "Hardware")) {
    r.seen_hardware = true;
    return true;
  }
  static constexpr std::array<string_view, 16> k_fixed{"Build:",
                                                       "//=====",
                                                       "*** Operation",
                                                       "Processor:",
                                                       "Number Of Processors:",
                                                       "Physical Memory:",
                                                       "Commit Charge Limit:",
                                                       "----",
                                                       "SYMBOL HANDLER ERROR",
                                                       "Couldn't initialize",
                                                       "Error:",
                                                       "Error [",
                                                       "THE BELOW CALL STACKS",
                                                       "CRITICAL ERROR",
                                                       "Error writing the crash log",
                                                       "uncaught_exception"};
  for (string_view f : k_fixed) {
    if (starts_with(t, f)) {
      return true;
    }
  }
  return false;
}

bool is_column_header(string_view t) {
  return starts_with(t, "Address") && t.find("Frame") != string_view::npos &&
         t.find("Function") != string_view::npos;
}

bool is_separator(string_view t) {
  return t.size() >= 10 && t.find_first_not_of('=') == string_view::npos;
}

bool is_locals_start(string_view t) {
  return starts_with(t, "Local Variables And Parameters") || starts_with(t, "Global Variables");
}

// A line of the locals pass: variables are indented with tabs (spaces once pasted).
bool is_locals_line(string_view raw, string_view t) {
  return (!raw.empty() && (raw[0] == '\t' || raw[0] == ' ')) || starts_with(t, "Local ") ||
         starts_with(t, "Parameter ") || starts_with(t, "punting on symbol") ||
         t.find(" = ") != string_view::npos;
}

bool is_strict_frame_line(string_view t) {
  auto cols = split_columns(t);
  model::Frame f;
  return cols && parse_function_part(cols->rest, f, true);
}

// Whether line `i` begins a report (or a pasted piece of one).
bool starts_report(const Document& doc, size_t i) {
  string_view t = trim(doc[i]);
  if (t.empty()) {
    return false;
  }
  auto soon = [&](auto pred, size_t lines) {
    size_t seen = 0;
    for (size_t j = i + 1; j < doc.size() && seen < lines; ++j) {
      string_view u = trim(doc[j]);
      if (u.empty()) {
        continue;
      }
      ++seen;
      if (pred(u)) {
        return true;
      }
    }
    return false;
  };
  auto header_follows = [](string_view u) {
    return starts_with(u, "//=====") || is_banner(u, "Hardware") ||
           starts_with(u, "Exception code:") || starts_with(u, "Date ") ||
           starts_with(u, "Crash date ") || starts_with(u, "Build:");
  };
  switch (t[0]) {
  case 'E':
    if (starts_with(t, "Exception code:")) {
      string_view s = util::trim_left(t.substr(15));
      if (starts_with(s, "0x")) {
        s.remove_prefix(2);
      }
      return s.size() >= 8 && util::is_all_hex(s.substr(0, 8));
    }
    return false;
  case '*':
    return is_banner(t, "Hardware");
  case 'R':
    return starts_with(t, "Revision:") && soon(header_follows, 4);
  case 'D':
  case 'C':
    if (starts_with(t, "Date ") || starts_with(t, "Crash date ")) {
      static const RE2 date(R"((?:Crash date|Date) \d{1,2}:\d{1,2}:\d{4}\.? ?Time \d.*)");
      return RE2::FullMatch(re2::StringPiece(t.data(), t.size()), date) && soon(header_follows, 3);
    }
    if (starts_with(t, "Call stack:")) {
      return soon([](string_view u) { return is_column_header(u) || is_strict_frame_line(u); }, 3);
    }
    break;
  case 'A':
    return is_column_header(t);
  case 'F':
    if (starts_with(t, "Fault address:")) {
      string_view s = util::trim_left(t.substr(14));
      size_t n = find_blank(s);
      return (n == 8 || n == 16) && util::is_all_hex(s.substr(0, n)) &&
             s.find(':', n) != string_view::npos;
    }
    return false;
  default:
    break;
  }
  return util::is_hex_digit(t[0]) && is_strict_frame_line(t);
}

// Whether line text `t` inside report `r` begins the next report.
bool starts_another(string_view t, const Report& r) {
  bool stacks = r.frame_count > 0;
  if (starts_with(t, "Exception code:")) {
    return r.seen_code || stacks;
  }
  if (is_banner(t, "Hardware")) {
    return r.seen_hardware || r.seen_code || stacks;
  }
  if (starts_with(t, "Revision:")) {
    return r.any_header() || stacks;
  }
  return false;
}

bool has_frames(const std::vector<Block>& blocks) {
  return std::any_of(blocks.begin(), blocks.end(),
                     [](const Block& b) { return !b.frames.empty(); });
}

void emit(const Document& doc, Report& r, bool ended_in_header, Sections& out) {
  if (!r.any_header() && r.frame_count == 0) {
    return; // a "Call stack:" header with nothing under it
  }
  Section s;
  s.format = "wheaty";
  s.role = r.any_header() ? Role::report : Role::stack;
  s.first = r.first;
  s.last = r.last;
  model::Crash& c = s.crash;
  c.timestamp = r.timestamp;
  c.exception_code = r.code;
  c.exception_name = r.name;
  c.fault_address = r.fault;
  c.kind = r.code == "0xC0000420" ? model::Kind::assertion : model::Kind::exception;
  c.assertion = r.assertion;

  std::vector<std::string> message;
  if (!r.assertion_text.empty()) {
    message.push_back(r.assertion_text);
  }
  if (!r.uncaught.empty()) {
    message.push_back(r.uncaught);
  }
  for (const auto& [fill, regs] : r.fills) {
    message.push_back("registers hold debug-heap fill " + fill + " (" + util::join(regs, ", ") +
                      ")");
  }
  c.error_message = util::join(message, "\n");

  // The stacks: the first pass, or the locals pass when only that was pasted.
  std::vector<Block>& blocks = has_frames(r.blocks) ? r.blocks : r.locals;
  // The text ends on a frame of these stacks (nothing follows, not even a blank line) and that
  // frame is not a thread's outermost one: the paste was cut.
  const Block* tail = nullptr;
  for (const auto& b : blocks) {
    if (!b.frames.empty() && (!tail || b.last_line > tail->last_line)) {
      tail = &b;
    }
  }
  if (tail && tail->last_line + 1 >= doc.size() && !is_thread_root(tail->frames.back())) {
    r.truncated = true;
  }
  // A header whose stack never came (the paste stops in the registers or the assertion message).
  if (ended_in_header && r.any_header() && !tail) {
    r.truncated = true;
  }

  Block* crashing = nullptr;
  for (auto& b : blocks) {
    if (b.frames.empty()) {
      continue; // an empty block (a failed walk) is no thread, and never the crashing one
    }
    if (!crashing || (b.handler && !crashing->handler)) {
      crashing = &b;
    }
  }
  std::vector<Block*> order;
  if (crashing) {
    order.push_back(crashing);
  }
  for (auto& b : blocks) {
    if (!b.frames.empty() && &b != crashing) {
      order.push_back(&b);
    }
  }
  for (Block* b : order) {
    if (c.threads.size() >= k_max_threads) {
      r.truncated = true;
      break;
    }
    model::Thread t;
    t.crashing = b == crashing;
    t.frames = std::move(b->frames);
    for (size_t k = 0; k < t.frames.size(); ++k) {
      t.frames[k].index = static_cast<int>(k);
    }
    c.threads.push_back(std::move(t));
  }
  // The fault address names the module its PC is in; the first crashing frame at that PC is in it.
  if (!c.threads.empty() && r.fault && !r.fault_module.empty()) {
    for (auto& f : c.threads.front().frames) {
      if (f.address == r.fault) {
        if (f.module.empty()) {
          f.module = r.fault_module;
        }
        break;
      }
    }
  }
  if (r.truncated) {
    c.add_problem(model::problem::truncated);
  }
  out.push_back(std::move(s));
}

enum class Phase { header, stacks, locals };

// Reads the report starting at line `start`; returns the index after its last line.
size_t parse_report(const Document& doc, size_t start, Sections& out) {
  Report r;
  r.first = start;
  r.last = start;
  Phase phase = Phase::header;
  std::vector<Block>* blocks = &r.blocks;
  bool block_open = false;
  size_t noise = 0;
  size_t i = start;
  auto open_block = [&]() {
    blocks->emplace_back();
    blocks->back().last_line = i;
    block_open = true;
  };
  for (; i < doc.size(); ++i) {
    std::string_view raw = doc[i];
    string_view t = trim(raw);
    if (t.empty()) {
      r.in_registers = false;
      continue;
    }
    if (i > start && starts_another(t, r)) {
      break;
    }
    if (starts_with(t, "Call stack:")) {
      open_block();
      r.last = i;
      noise = 0;
      if (phase == Phase::header) {
        phase = Phase::stacks;
      }
      continue;
    }
    if (is_column_header(t)) {
      if (!block_open) {
        open_block();
      }
      r.last = i;
      if (phase == Phase::header) {
        phase = Phase::stacks;
      }
      continue;
    }
    if (is_separator(t) || is_locals_start(t)) {
      phase = Phase::locals;
      blocks = &r.locals;
      block_open = false;
      r.last = i;
      continue;
    }
    if (util::is_hex_digit(t[0])) {
      if (auto cols = split_columns(t)) {
        if (blocks == &r.locals && r.frame_count > 0) {
          r.last = i; // the locals pass repeats stacks already read: not parsed again
          continue;
        }
        model::Frame f;
        if (parse_function_part(cols->rest, f, !block_open)) {
          f.address = cols->pc;
          // A long frame line wrapped by a mail client or editor: "... line 713" on the next line.
          if (f.line == 0 && i + 1 < doc.size()) {
            string_view next = trim(doc[i + 1]);
            if (!next.empty() && ends_with_line_number(next) && !split_columns(next)) {
              std::string joined =
                  std::string(cols->rest) + (f.file.empty() ? "  " : " ") + std::string(next);
              model::Frame g;
              if (parse_function_part(joined, g, false) && g.line > 0) {
                g.address = cols->pc;
                f = std::move(g);
                ++i;
              }
            }
          }
          if (!block_open) {
            open_block();
          }
          Block& b = blocks->back();
          b.handler = b.handler || is_handler_frame(f);
          if (b.frames.size() < k_max_frames) {
            b.frames.push_back(std::move(f));
          } else {
            r.truncated = true;
          }
          b.last_line = i;
          ++r.frame_count;
          r.last = i;
          noise = 0;
          if (phase == Phase::header) {
            phase = Phase::stacks;
          }
          continue;
        }
      }
    }
    if (phase == Phase::locals) {
      if (is_locals_line(raw, t)) {
        r.last = i;
        continue;
      }
      break;
    }
    if (phase == Phase::stacks) {
      // Variables: this is a locals pass whose "=====" separator was not pasted (or the only
      // pass). Its blocks stay the report's stacks.
      if (starts_with(t, "Local ") || starts_with(t, "Parameter ") ||
          starts_with(t, "punting on symbol")) {
        phase = Phase::locals;
        r.last = i;
        continue;
      }
      break;
    }
    if (parse_header_line(doc, i, r)) {
      r.last = i;
      noise = 0;
      continue;
    }
    if (++noise > k_max_header_noise) {
      break;
    }
  }
  bool ended_in_header = phase == Phase::header && i >= doc.size();
  emit(doc, r, ended_in_header, out);
  return std::max(r.last + 1, start + 1);
}

} // namespace

void parse_wheaty(const Document& doc, Sections& out) {
  size_t i = 0;
  while (i < doc.size()) {
    if (starts_report(doc, i)) {
      i = parse_report(doc, i, out);
    } else {
      ++i;
    }
  }
}

} // namespace crashpilot::parse
