// SPDX-License-Identifier: MIT
// Sanitizer reports (crash-formats.md §3.1-3.3): AddressSanitizer (GCC, Clang, MSVC),
// LeakSanitizer, UndefinedBehaviorSanitizer, ThreadSanitizer, and the same grammar from
// MemorySanitizer and HWAddressSanitizer. One section per report: role `report` for a report with
// its own header and stack, `header` for a UBSan runtime error printed without a stack.
//
// A report is a header line, then stacks introduced by sub-header lines ("READ of size ...",
// "freed by thread T0 here:", "Previous write ... by main thread:"), descriptive lines we keep in
// the section but do not interpret (shadow bytes, frame object tables), and a SUMMARY line, after
// which only the shadow-byte dump and "==PID==ABORTING" follow.

#include <parse/frame_text.hpp>
#include <parse/section.hpp>
#include <util/string.hpp>

#include <re2/re2.h>

#include <array>
#include <optional>

namespace crashpilot::parse {

namespace {

using util::is_digit;

// Unrelated lines (a debugger's "Loaded 'x.dll'" notice, another thread's log line) skipped inside
// a stack when the stack's numbering continues right after them.
constexpr size_t k_max_interleaved = 3;


// "==1234==ERROR: ..." -> "ERROR: ...". Sanitizer runtimes prefix their own lines with the pid.
std::string_view strip_pid(std::string_view s) {
  std::string_view t = util::trim_left(s);
  if (!t.starts_with("==")) {
    return s;
  }
  size_t j = 2;
  while (j < t.size() && is_digit(t[j])) {
    ++j;
  }
  if (j > 2 && t.substr(j).starts_with("==")) {
    return t.substr(j + 2);
  }
  return s;
}

bool is_frame_line(std::string_view t) {
  return t.size() >= 2 && t[0] == '#' && is_digit(t[1]);
}

// Splits "...:<digits>" at its end; npos when `s` does not end that way.
size_t number_suffix(std::string_view s) {
  size_t k = s.size();
  while (k > 0 && is_digit(s[k - 1])) {
    --k;
  }
  return (k == s.size() || k == 0 || s[k - 1] != ':' || s.size() - k > 9) ? std::string_view::npos
                                                                          : k;
}

// "path:line" or "path:line:col" only: the parenthesized and "line N" spellings parse_location also
// accepts would misread a function's argument list. Parsed by hand: every frame line has one, and
// this is the parser's hot path.
std::optional<SourceLocation> colon_location(std::string_view token) {
  size_t k = number_suffix(token);
  if (k == std::string_view::npos) {
    return std::nullopt;
  }
  SourceLocation loc;
  int last = util::parse_int(token.substr(k)).value_or(0);
  std::string_view file = token.substr(0, k - 1);
  if (size_t k2 = number_suffix(file); k2 != std::string_view::npos) {
    loc.line = util::parse_int(file.substr(k2)).value_or(0);
    loc.column = last;
    file = file.substr(0, k2 - 1);
  } else {
    loc.line = last;
  }
  // A bare drive letter ("C:123") is not a path.
  if (file.size() <= 1 || loc.line <= 0) {
    return std::nullopt;
  }
  loc.file = std::string(file);
  return loc;
}

// Splits "function file:line[:col]" at the location that ends `text`. The location is the last
// space-separated token, or starts at a Windows drive letter when the path holds spaces
// ("in main C:\Users\John Doe\main.cpp:9"). Returns the position where the location starts.
std::optional<std::pair<size_t, SourceLocation>> trailing_location(std::string_view text) {
  // A drive letter preceded by a space (or at the start): "C:\" or "C:/".
  for (size_t p = text.size(); p-- > 0;) {
    if (p + 2 < text.size() && text[p + 1] == ':' && (text[p + 2] == '\\' || text[p + 2] == '/') &&
        ((text[p] >= 'A' && text[p] <= 'Z') || (text[p] >= 'a' && text[p] <= 'z')) &&
        (p == 0 || text[p - 1] == ' ')) {
      if (auto loc = colon_location(text.substr(p))) {
        return std::make_pair(p, *loc);
      }
      break;
    }
  }
  size_t space = text.find_last_of(' ');
  size_t start = space == std::string_view::npos ? 0 : space + 1;
  if (auto loc = colon_location(text.substr(start))) {
    return std::make_pair(start, *loc);
  }
  return std::nullopt;
}

// Position of the '(' matching the ')' at `close`, or npos.
size_t matching_open(std::string_view s, size_t close) {
  int depth = 0;
  for (size_t p = close + 1; p-- > 0;) {
    if (s[p] == ')') {
      ++depth;
    } else if (s[p] == '(' && --depth == 0) {
      return p;
    }
  }
  return std::string_view::npos;
}

struct FrameLine {
  int number = 0;
  model::Frame frame;
};

// Sanitizer frames (sanitizer_common's default "    #%n %p %F %L", TSan's "#%n %f %S %M"):
//   #0 0x53f40a in MmsServer_waitReady /home/x/mms_server.c:482[:13]
//   #4 0x7f5d22ce86b9 in start_thread (/lib/x86_64-linux-gnu/libpthread.so.0+0x76b9)
//   #0 0x5ac20e  (/home/regehr/alive2/build/alive+0x5ac20e)
//   #3 0x7ffd in BaseThreadInitThunk+0x14 (C:\WINDOWS\System32\KERNEL32.DLL+0x180017614)
//   #1 rtObject::Release() /home/sw/src/rtObject.cpp:312 (pxscene+0x0000006281ee)     (TSan, no PC)
//   #0 __tsan_atomic32_fetch_sub <null> (libtsan.so.0+0x00000006571f)
// with an optional " (BuildId: <hex>)" suffix on newer runtimes.
std::optional<FrameLine> parse_frame(std::string_view t) {
  if (!is_frame_line(t)) {
    return std::nullopt;
  }
  size_t p = 1;
  while (p < t.size() && is_digit(t[p])) {
    ++p;
  }
  auto number = util::parse_int(t.substr(1, p - 1));
  if (!number || (p < t.size() && t[p] != ' ' && t[p] != '\t')) {
    return std::nullopt;
  }
  FrameLine out;
  out.number = *number;
  model::Frame& f = out.frame;
  std::string_view rest = util::trim(t.substr(p));
  if (rest.starts_with("0x")) {
    size_t end = rest.find_first_of(" \t");
    f.address = util::parse_hex(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : util::trim_left(rest.substr(end));
    if (rest.starts_with("in ")) {
      rest = util::trim_left(rest.substr(3));
    }
  }
  if (size_t b = rest.rfind("(BuildId:"); b != std::string_view::npos && rest.back() == ')') {
    rest = util::trim_right(rest.substr(0, b));
  }
  // "(module+0xoff)" / "(<unknown module>)" at the end.
  if (!rest.empty() && rest.back() == ')') {
    size_t open = matching_open(rest, rest.size() - 1);
    if (open != std::string_view::npos) {
      std::string_view inner = rest.substr(open + 1, rest.size() - open - 2);
      size_t plus = inner.rfind("+0x");
      if (inner == "<unknown module>") {
        rest = util::trim_right(rest.substr(0, open));
      } else if (plus != std::string_view::npos && plus > 0 &&
                 util::is_all_hex(inner.substr(plus + 3))) {
        f.module = std::string(inner.substr(0, plus));
        f.offset = util::parse_hex(inner.substr(plus + 1));
        rest = util::trim_right(rest.substr(0, open));
      }
    }
  }
  if (auto loc = trailing_location(rest)) {
    f.file = loc->second.file;
    f.line = loc->second.line;
    f.column = loc->second.column;
    rest = util::trim_right(rest.substr(0, loc->first));
  } else if (rest.ends_with("<null>")) {
    // TSan's unknown source location.
    rest = util::trim_right(rest.substr(0, rest.size() - 6));
  } else if (size_t sp = rest.find_last_of(' '); sp != std::string_view::npos) {
    // "in foo /path/file.cc": a location without a line number.
    std::string_view last = rest.substr(sp + 1);
    if (last.find_first_of("/\\") != std::string_view::npos &&
        last.find('(') == std::string_view::npos && last.find('.') != std::string_view::npos) {
      f.file = std::string(last);
      rest = util::trim_right(rest.substr(0, sp));
    }
  }
  if (rest == "<null>" || rest == "??") {
    rest = std::string_view();
  }
  // MSVC ASan prints "Function+0x14" for frames without line information.
  if (size_t plus = rest.rfind("+0x"); plus != std::string_view::npos && plus > 0 &&
                                       rest.find(' ') == std::string_view::npos &&
                                       util::is_all_hex(rest.substr(plus + 3))) {
    if (!f.offset) {
      f.offset = util::parse_hex(rest.substr(plus + 1));
    }
    rest = rest.substr(0, plus);
  }
  f.function = demangle(rest);
  return out;
}

// What a report's first line says.
struct Header {
  enum class Type { error, deadly, ubsan } type = Type::error;
  std::string prefix;      // a wrapper prefix in front of the report on its line ("app_1 | ")
  std::string sanitizer;   // "AddressSanitizer"
  std::string description; // the text after "Sanitizer: "
  std::string text;        // the line without prefix and pid
};

const RE2& error_header_re() {
  // "==7748==ERROR: AddressSanitizer: SEGV on ...", "WARNING: ThreadSanitizer: data race (pid=1)".
  static const RE2 re(R"(^(.*?)(?:==\d+==)?((?:ERROR|WARNING): (\w*Sanitizer): (.*))$)");
  return re;
}

const RE2& deadly_header_re() {
  // "AddressSanitizer:DEADLYSIGNAL", old runtimes' "ASAN:SIGSEGV" / "ASAN:DEADLYSIGNAL".
  static const RE2 re(R"(^(.*?)(?:==\d+==)?((\w*Sanitizer|ASAN):(?:DEADLYSIGNAL|SIG[A-Z]+))\s*$)");
  return re;
}

std::optional<Header> detect_header(std::string_view line) {
  if (line.find("anitizer") == std::string_view::npos &&
      line.find("ASAN:") == std::string_view::npos &&
      line.find("runtime error: ") == std::string_view::npos) {
    return std::nullopt;
  }
  Header h;
  re2::StringPiece in(line.data(), line.size());
  std::string prefix, text, sanitizer, description;
  if ((line.find("ERROR: ") != std::string_view::npos ||
       line.find("WARNING: ") != std::string_view::npos) &&
      line.find("anitizer: ") != std::string_view::npos &&
      RE2::FullMatch(in, error_header_re(), &prefix, &text, &sanitizer, &description)) {
    h.type = Header::Type::error;
  } else if ((line.find(":DEADLYSIGNAL") != std::string_view::npos ||
              line.find(":SIG") != std::string_view::npos) &&
             RE2::FullMatch(in, deadly_header_re(), &prefix, &text, &sanitizer)) {
    h.type = Header::Type::deadly;
  } else if (line.find(": runtime error: ") != std::string_view::npos) {
    h.type = Header::Type::ubsan;
    text = std::string(util::trim(strip_pid(line)));
    sanitizer = "UndefinedBehaviorSanitizer";
  } else {
    return std::nullopt;
  }
  h.prefix = util::trim(prefix).empty() ? std::string() : prefix;
  h.sanitizer = sanitizer == "ASAN" ? "AddressSanitizer" : sanitizer;
  h.description = std::string(util::trim(description));
  h.text = std::string(util::trim(text));
  return h;
}

std::string format_name(std::string_view sanitizer) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> names{{
      {"AddressSanitizer", "asan"},
      {"HWAddressSanitizer", "hwasan"},
      {"LeakSanitizer", "lsan"},
      {"ThreadSanitizer", "tsan"},
      {"MemorySanitizer", "msan"},
      {"UndefinedBehaviorSanitizer", "ubsan"},
  }};
  for (const auto& [name, short_name] : names) {
    if (name == sanitizer) {
      return std::string(short_name);
    }
  }
  return util::to_lower(sanitizer);
}

// "heap-use-after-free on address 0x... at pc ..." -> "heap-use-after-free";
// "data race (pid=9337)" -> "data race"; "attempting double-free on 0x..." -> "double-free".
std::string error_type(std::string_view desc) {
  size_t cut = desc.size();
  for (std::string_view stop : {" on ", " (", ": ", " at ", " in thread"}) {
    cut = std::min(cut, desc.find(stop));
  }
  std::string_view type = util::trim(desc.substr(0, cut));
  while (!type.empty() && type.back() == ':') {
    type.remove_suffix(1);
  }
  if (type.starts_with("attempting ")) {
    type.remove_prefix(11);
  }
  return std::string(type);
}

struct SignalInfo {
  std::string_view type;
  std::string_view code;
  std::string_view name;
  int number;
};

// Deadly signals as ASan names them in "SEGV on unknown address".
constexpr std::array<SignalInfo, 5> k_signals{{
    {"SEGV", "SIGSEGV", "Segmentation fault", 11},
    {"BUS", "SIGBUS", "Bus error", 7},
    {"FPE", "SIGFPE", "Floating point exception", 8},
    {"ILL", "SIGILL", "Illegal instruction", 4},
    {"ABRT", "SIGABRT", "Aborted", 6},
}};

std::optional<uint64_t> address_in(std::string_view desc) {
  if (desc.find("0x") == std::string_view::npos) {
    return std::nullopt;
  }
  static const RE2 re(R"((?:address|on|at) (0x[0-9a-fA-F]+))");
  std::string hex;
  re2::StringPiece in(desc.data(), desc.size());
  if (RE2::PartialMatch(in, re, &hex)) {
    return util::parse_hex(hex);
  }
  return std::nullopt;
}

// Thread named by a sub-header: "thread T1", "thread T2 (worker)", "main thread".
void thread_identity(std::string_view line, model::Thread& t) {
  static const RE2 re(R"(\bthread (T\d+)(?: \(([^)]*)\))?)");
  std::string id, name;
  re2::StringPiece in(line.data(), line.size());
  if (RE2::PartialMatch(in, re, &id, &name)) {
    t.id = id;
    t.name = name;
  } else if (line.find("main thread") != std::string_view::npos) {
    t.id = "main thread";
  }
}

// A line that introduces a stack. `primary` marks the stacks that describe the error itself (the
// faulting access, the first leak); the first of them becomes the crashing thread.
struct StackHeader {
  std::string role;
  bool primary = false;
  bool skip = false; // a stack we keep in the section but not as a thread
  model::Thread thread;
};

std::optional<StackHeader> stack_header(std::string_view t) {
  StackHeader h;
  auto starts = [&](std::string_view p) { return t.starts_with(p); };
  static const RE2 asan_access(R"(^(?:READ|WRITE|ACCESS) of size \d+ at 0x[0-9a-fA-F]+.*)");
  static const RE2 tsan_access(
      R"(^(?:Atomic )?(?:[Rr]ead|[Ww]rite) of size \d+ at 0x[0-9a-fA-F]+ by .*)");
  static const RE2 thread_created(R"(^Thread T\d+\b.* created by .*(?:here|at):$)");
  re2::StringPiece in(t.data(), t.size());
  if (RE2::FullMatch(in, asan_access) || RE2::FullMatch(in, tsan_access)) {
    h.primary = true;
  } else if (starts("Direct leak of") || starts("Indirect leak of")) {
    h.primary = true;
    h.role = "allocated"; // used when a leak is not the first one
    h.thread.name = std::string(t.substr(0, t.find(" allocated from")));
  } else if (starts("freed by thread") || starts("freed here")) {
    h.role = "freed";
  } else if (starts("previously allocated by") || starts("allocated by thread") ||
             starts("previously allocated here") || starts("Location is heap block") ||
             starts("Uninitialized value was created")) {
    h.role = "allocated";
  } else if (starts("Previous ")) {
    h.role = "previous_access";
  } else if (RE2::FullMatch(in, thread_created)) {
    h.role = "created";
    static const RE2 id_re(R"(^Thread (T\d+))");
    std::string id;
    RE2::PartialMatch(in, id_re, &id);
    h.thread.id = id;
    static const RE2 name_re(R"(^Thread T\d+ (?:'([^']*)'|\(([^)=]*)\)))");
    std::string quoted, paren;
    if (RE2::PartialMatch(in, name_re, &quoted, &paren)) {
      h.thread.name = quoted.empty() ? paren : quoted;
    }
    return h;
  } else if (starts("Mutex ") && t.back() == ':') {
    // TSan lock-order-inversion: the first acquisition stack is the report's own.
    h.role = "locks";
    h.primary = t.find("acquired here while holding") != std::string_view::npos;
  } else if (t.back() == ':' || starts("Address ") || starts("Uninitialized value was stored")) {
    // "As if synchronized via sleep:", "Address 0x... is located in stack of thread T0 at offset
    // 416 in frame": their stacks are context, not threads.
    h.skip = true;
    return h;
  } else {
    return std::nullopt;
  }
  thread_identity(t, h.thread);
  h.thread.role = h.role;
  return h;
}

// Lines a sanitizer report prints that say nothing we model but belong to it.
bool is_report_line(std::string_view raw, std::string_view t) {
  if (t.empty() || (!raw.empty() && (raw[0] == ' ' || raw[0] == '\t'))) {
    return true;
  }
  static constexpr std::array<std::string_view, 35> k_prefixes{
      "0x",
      "=>0x",
      "SUMMARY:",
      "Shadow byte",
      "Address ",
      "HINT:",
      "Hint:",
      "The signal is",
      "freed by",
      "previously allocated",
      "allocated by",
      "Thread T",
      "Direct leak",
      "Indirect leak",
      "Objects leaked above",
      "Register values",
      "Cause:",
      "READ of size",
      "WRITE of size",
      "ACCESS of size",
      "Previous ",
      "Location is",
      "Mutex ",
      "As if synchronized",
      "This frame has",
      "Uninitialized value",
      "ABORTING",
      "Suppressions used",
      "-----",
      "=====",
      "ERROR:",
      "WARNING:",
      "Atomic ",
      "Read of size",
      "Write of size",
  };
  for (auto p : k_prefixes) {
    if (t.starts_with(p)) {
      return true;
    }
  }
  return t.find("Sanitizer") != std::string_view::npos ||
         t.find(": note: ") != std::string_view::npos;
}

// After SUMMARY only the shadow-byte dump, its legend and "ABORTING" belong to the report.
bool is_tail_line(std::string_view raw, std::string_view t, bool in_shadow) {
  if (t.empty() || t.starts_with("Shadow byte") || t.starts_with("0x") || t.starts_with("=>0x") ||
      t.starts_with("=====") || t.starts_with("ThreadSanitizer: reported") ||
      t.starts_with("HINT:")) {
    return true;
  }
  return in_shadow && !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
}

class ReportParser {
public:
  ReportParser(const Document& doc, size_t first, Header header)
      : m_doc(doc), m_first(first), m_header(std::move(header)) {}

  // Parses the report that starts at m_first; returns the index of the first line after it.
  size_t run(Sections& out);

private:
  std::string_view line_at(size_t j) const {
    std::string_view s = m_doc[j];
    if (!m_header.prefix.empty()) {
      if (s.starts_with(m_header.prefix)) {
        s.remove_prefix(m_header.prefix.size());
      } else if (s == util::trim_right(m_header.prefix)) {
        return {}; // an empty line of the wrapped output, right-trimmed by Document
      }
    }
    return strip_pid(s);
  }
  void apply_header(const Header& h);
  void apply_summary(std::string_view t);
  void apply_stack_header(std::string_view t, StackHeader h);
  void add_frame(const FrameLine& fl);
  void end_stack();
  bool continues_stack(size_t j) const;
  void finish(size_t first, size_t last, bool terminated, bool at_end, Sections& out);

  const Document& m_doc;
  size_t m_first;
  Header m_header;
  model::Crash m_crash;
  std::string m_format;
  bool m_have_error = false; // the ERROR/WARNING/runtime error line was seen

  // The crashing thread: the stack after the header or after the first access / leak line. For
  // UBSan it starts as the runtime error's site and is replaced by a stack when one is printed.
  model::Thread m_primary;
  size_t m_primary_frames = 0; // frames read from "#N" lines into m_primary
  bool m_primary_done = false; // a later stack started: no more frames for m_primary
  std::vector<model::Thread> m_extra;
  enum class Target { primary, extra, skip } m_target = Target::primary;
  int m_last_number = -1; // "#N" of the last frame of the current stack, -1 before its first
  bool m_saw_frames = false;
  bool m_frames_truncated = false;
  std::string m_cause; // "The signal is caused by a READ memory access." + hints
};

void ReportParser::apply_header(const Header& h) {
  m_have_error = true;
  m_crash.kind = model::Kind::sanitizer;
  m_format = format_name(h.sanitizer);
  if (h.type == Header::Type::ubsan) {
    std::string_view text = h.text;
    size_t at = text.find(": runtime error: ");
    std::string_view where = text.substr(0, at);
    m_crash.exception_code = "undefined-behavior";
    m_crash.error_message = h.text;
    m_crash.fault_address = address_in(text.substr(at + 17));
    // The site, as a frame without a function ("<unknown>" when the runtime had no location).
    if (auto loc = trailing_location(where)) {
      model::Frame site;
      site.file = loc->second.file;
      site.line = loc->second.line;
      site.column = loc->second.column;
      m_crash.error_message = std::string(text.substr(loc->first));
      m_primary.frames.push_back(site);
    }
    return;
  }
  std::string type = error_type(h.description);
  m_crash.exception_code = type;
  m_crash.fault_address = address_in(h.description);
  for (const auto& s : k_signals) {
    if (type == s.type) {
      m_crash.exception_name = std::string(s.name);
      m_crash.signal = s.number;
    }
  }
  // Crashing thread from "(pc 0x... bp 0x... sp 0x... T0)" or "in thread T0:".
  static const RE2 pc_thread(R"((?:\s|^)(T\d+)\)\s*$)");
  static const RE2 in_thread(R"(in thread (T\d+))");
  std::string id;
  re2::StringPiece in(h.description.data(), h.description.size());
  if (RE2::PartialMatch(in, pc_thread, &id) || RE2::PartialMatch(in, in_thread, &id)) {
    m_primary.id = id;
  }
}

void ReportParser::apply_summary(std::string_view t) {
  // "SUMMARY: AddressSanitizer: heap-use-after-free file:line in func". ASan's summary names the
  // bug type canonically ("double-free" for "attempting double-free", "allocation-size-too-big"
  // for "requested allocation size ..."); TSan's types have spaces and LSan's summary counts
  // bytes, so their headers are kept.
  static const RE2 re(R"(^SUMMARY: (\w*Sanitizer): ([A-Za-z][\w-]*)(?:\s|$))");
  std::string sanitizer, token;
  re2::StringPiece in(t.data(), t.size());
  if (!RE2::PartialMatch(in, re, &sanitizer, &token) || m_format == "tsan" || m_format == "lsan") {
    return;
  }
  if (m_format == "ubsan" || token.find('-') != std::string::npos ||
      m_crash.exception_code.empty()) {
    m_crash.exception_code = token;
  }
}

void ReportParser::end_stack() {
  if (m_target == Target::primary && m_primary_frames > 0) {
    m_primary_done = true;
  }
  m_target = Target::skip;
}

void ReportParser::apply_stack_header(std::string_view t, StackHeader h) {
  if (m_primary_frames > 0) {
    m_primary_done = true;
  }
  m_last_number = -1;
  if (h.skip) {
    m_target = Target::skip;
    return;
  }
  if (h.primary && !m_primary_done) {
    // The first access / leak line: its stack is the crashing thread, its text the error.
    if (m_primary.id.empty()) {
      m_primary.id = h.thread.id;
    }
    if (m_primary.name.empty()) {
      m_primary.name = h.thread.name;
    }
    if (m_crash.error_message.empty()) {
      std::string_view msg = t;
      if (msg.ends_with(':')) {
        msg.remove_suffix(1);
      }
      if (msg.ends_with(" allocated from")) {
        msg.remove_suffix(15);
      }
      m_crash.error_message = std::string(msg);
    }
    if (!m_crash.fault_address) {
      m_crash.fault_address = address_in(t);
    }
    m_target = Target::primary;
    return;
  }
  if (m_extra.size() >= k_max_threads) {
    m_frames_truncated = true;
    m_target = Target::skip;
    return;
  }
  h.thread.role = h.role.empty() ? "allocated" : h.role;
  m_extra.push_back(std::move(h.thread));
  m_target = Target::extra;
}

void ReportParser::add_frame(const FrameLine& fl) {
  model::Thread* t = nullptr;
  if (m_target == Target::primary && !m_primary_done) {
    t = &m_primary;
    if (m_primary_frames == 0) {
      t->frames.clear(); // a UBSan site is replaced by the stack, which starts at the same place
    }
  } else if (m_target == Target::extra) {
    t = &m_extra.back();
  } else {
    return;
  }
  // A "#0" restarting the numbering without a sub-header starts a stack we cannot name.
  if (fl.number == 0 && m_last_number >= 0) {
    end_stack();
    return;
  }
  m_last_number = fl.number;
  m_saw_frames = true;
  if (t->frames.size() >= k_max_frames) {
    m_frames_truncated = true;
    return;
  }
  t->frames.push_back(fl.frame);
  if (t == &m_primary) {
    ++m_primary_frames;
  }
}

// A line that is not part of the report ends the stack, unless the stack's numbering resumes
// within a few lines (output of another thread or a debugger interleaved with the report).
bool ReportParser::continues_stack(size_t j) const {
  if (m_last_number < 0 || m_target == Target::skip) {
    return false;
  }
  for (size_t k = j + 1; k < m_doc.size() && k <= j + k_max_interleaved; ++k) {
    std::string_view t = util::trim(line_at(k));
    if (auto fl = parse_frame(t)) {
      return fl->number == m_last_number + 1;
    }
  }
  return false;
}

void ReportParser::finish(size_t first, size_t last, bool terminated, bool at_end, Sections& out) {
  if (m_crash.error_message.empty()) {
    // No access line: the signal's cause, else the header ("attempting double-free on 0x...").
    std::string_view desc = util::trim(m_header.description);
    while (desc.ends_with(':')) {
      desc.remove_suffix(1);
    }
    m_crash.error_message = !m_cause.empty() ? m_cause : std::string(desc);
  }
  if (m_format.empty()) {
    // Only a deadly-signal line: its ERROR line was cut off. "ASAN:SIGSEGV" still names the signal.
    m_format = format_name(m_header.sanitizer);
    m_crash.kind = model::Kind::sanitizer;
    std::string_view what = m_header.text;
    what = what.substr(what.find(':') + 1);
    for (const auto& s : k_signals) {
      if (what == s.code) {
        m_crash.exception_code = std::string(s.type);
        m_crash.exception_name = std::string(s.name);
        m_crash.signal = s.number;
      }
    }
  }
  if (!m_primary.frames.empty()) {
    m_primary.crashing = true;
    m_crash.threads.push_back(std::move(m_primary));
  }
  for (auto& t : m_extra) {
    if (!t.frames.empty()) {
      m_crash.threads.push_back(std::move(t));
    }
  }
  for (auto& t : m_crash.threads) {
    // llvm-symbolizer prints a frame inlined into its caller with the caller's PC.
    for (size_t k = 0; k + 1 < t.frames.size(); ++k) {
      if (t.frames[k].address && t.frames[k].address == t.frames[k + 1].address) {
        t.frames[k].inlined = true;
      }
    }
  }
  // ASan, TSan, LSan and MSan always end a report with SUMMARY (ASan then with ABORTING). UBSan's
  // summary can be turned off and its runtime-error lines are often grepped out of logs alone, so
  // only a UBSan stack that runs into the end of the text counts as cut.
  bool ubsan = m_format == "ubsan";
  if ((!ubsan && !terminated) || (ubsan && !terminated && at_end && m_saw_frames) ||
      m_frames_truncated) {
    m_crash.add_problem(model::problem::truncated);
  }
  Section s;
  s.format = m_format;
  s.role = ubsan && !m_saw_frames ? Role::header : Role::report;
  s.first = first;
  s.last = last;
  s.crash = std::move(m_crash);
  out.push_back(std::move(s));
}

size_t ReportParser::run(Sections& out) {
  size_t first = m_first;
  // The "=====" rule ASan and TSan print before a report belongs to it.
  if (first > 0 && util::trim(line_at(first - 1)).starts_with("==========")) {
    --first;
  }
  if (m_header.type != Header::Type::deadly) {
    apply_header(m_header);
  }
  size_t last = m_first;
  bool terminated = false;
  bool summary = false;
  bool in_shadow = false;
  size_t j = m_first + 1;
  for (; j < m_doc.size(); ++j) {
    std::string_view raw = line_at(j);
    std::string_view t = util::trim(raw);
    if (auto h = detect_header(m_doc[j])) {
      // A deadly-signal line is followed by its ERROR line (and by other threads' DEADLYSIGNAL
      // lines); anything else starts the next report.
      if (!m_have_error && h->type != Header::Type::ubsan) {
        if (h->type == Header::Type::error) {
          m_header = std::move(*h);
          apply_header(m_header);
        }
        last = j;
        continue;
      }
      break;
    }
    if (summary) {
      if (t == "ABORTING") {
        last = j++;
        break;
      }
      // The rule before the next report is that report's.
      if (!is_tail_line(raw, t, in_shadow) ||
          (t.starts_with("=====") && j + 1 < m_doc.size() && detect_header(m_doc[j + 1]))) {
        break;
      }
      in_shadow = in_shadow || t.starts_with("Shadow byte");
      last = t.empty() ? last : j;
      continue;
    }
    if (t.empty()) {
      continue;
    }
    if (auto fl = parse_frame(t)) {
      add_frame(*fl);
      last = j;
      continue;
    }
    if (t.starts_with("SUMMARY:")) {
      apply_summary(t);
      summary = terminated = true;
      last = j;
      continue;
    }
    if (t == "ABORTING") {
      terminated = true;
      last = j++;
      break;
    }
    if (!is_report_line(raw, t)) {
      if (continues_stack(j)) {
        continue; // a foreign line interleaved with the stack
      }
      break;
    }
    last = j;
    if (t.starts_with("The signal is caused by") || t.starts_with("Hint:")) {
      m_cause += m_cause.empty() ? std::string(t) : " " + std::string(t);
      continue;
    }
    if (auto sh = stack_header(t)) {
      apply_stack_header(t, std::move(*sh));
      continue;
    }
    // Any other descriptive line ends the stack before it ("0x... is located 0 bytes inside").
    if (m_last_number >= 0) {
      end_stack();
    }
  }
  finish(first, last, terminated, j >= m_doc.size(), out);
  return std::max(last + 1, j);
}

} // namespace

void parse_sanitizer(const Document& doc, Sections& out) {
  size_t i = 0;
  while (i < doc.size()) {
    auto h = detect_header(doc[i]);
    if (!h) {
      ++i;
      continue;
    }
    ReportParser parser(doc, i, std::move(*h));
    size_t next = parser.run(out);
    i = std::max(next, i + 1);
  }
}

} // namespace crashpilot::parse
