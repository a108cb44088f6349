// SPDX-License-Identifier: MIT
// gdb output as users paste it: `bt`, `bt full`, `thread apply all bt [full]`, `info threads`, the
// stop banners of a live session or a core file, `info program`, and the output of the crash
// scripts that run those commands (TC crashreport.gdb, AC gdb.conf, the community CRASHLOG script).
//
// One gdb session (banner, stop frame, bt, bt full, thread list) is ONE section: the same stack
// printed several times is kept once. A second banner, or a bt whose frame #0 differs from the one
// already seen, starts the next crash.

#include <parse/frame_text.hpp>
#include <parse/section.hpp>
#include <util/string.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::parse {

namespace {

using util::is_digit;

constexpr size_t k_max_rows = 4096;
// bt printed again and again in one session (bt, bt full, frame commands): only the first ones
// count.
constexpr size_t k_max_stacks = 256;
// A frame wrapped by gdb's `set width` or a terminal spans a few lines; more is not a frame.
constexpr size_t k_max_join_lines = 24;
constexpr size_t k_max_joined_bytes = 64 * 1024;
// Unrelated non-blank lines after which a session is over (register dumps, disassembly and locals
// are recognized and do not count).
constexpr size_t k_max_gap = 60;

bool is_space(char c) {
  return c == ' ' || c == '\t';
}
bool is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '$';
}

// ---------------------------------------------------------------------------------------------
// Frame text: "[0xADDR in ]FUNC[ (ARGS)][ at FILE:LINE][ from LIB]"

struct FrameText {
  model::Frame frame;
  bool complete = true;  // the argument list was closed
  bool bare = false;     // neither address, arguments, location nor library: a hand-trimmed frame
  bool has_args = false; // an argument list "(...)" was printed, even an empty one
};

// Reads a hexadecimal address "0x..." at the start of `s`; returns its length (0 when none).
size_t read_address(std::string_view s, uint64_t& value) {
  if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) {
    return 0;
  }
  size_t i = 2;
  while (i < s.size() && util::is_hex_digit(s[i])) {
    ++i;
  }
  auto v = util::parse_hex(s.substr(0, i));
  if (!v) {
    return 0;
  }
  value = *v;
  return i;
}

// Skips an operator name starting at s[i] == 'o' ("operator()", "operator<<", "operator new[]",
// "operator unsigned long"). Returns the index just past it, or `i` when s[i] is not "operator".
size_t skip_operator(std::string_view s, size_t i) {
  if (!s.substr(i).starts_with("operator") || (i > 0 && is_ident(s[i - 1]))) {
    return i;
  }
  size_t j = i + 8;
  if (j < s.size() && is_ident(s[j])) {
    // "operator_foo" is an identifier; "operator new" / "operator unsigned long" are not.
    return i;
  }
  while (j < s.size() && s[j] == ' ') {
    ++j;
  }
  if (s.substr(j).starts_with("()") || s.substr(j).starts_with("[]")) {
    return j + 2;
  }
  size_t k = j;
  while (k < s.size() && std::string_view("<>=!+-*/%&|^~,").find(s[k]) != std::string_view::npos) {
    ++k;
  }
  if (k > j) {
    // "operator<< <char, ...>": gdb puts a space before the template arguments.
    if (k + 1 < s.size() && s[k] == ' ' && s[k + 1] == '<') {
      ++k;
    }
    return k;
  }
  // Conversion / new / delete: words up to the parameter list.
  while (k < s.size() && s[k] != '(' &&
         (is_ident(s[k]) || s[k] == ' ' || s[k] == '*' || s[k] == '&' || s[k] == ':' ||
          s[k] == '[' || s[k] == ']')) {
    ++k;
  }
  return k;
}

// A space at nesting depth 0 of a function name is only allowed before a qualifier.
bool allowed_space(std::string_view rest) {
  for (std::string_view q : {"const", "volatile", "&", "[clone ", "[abi:"}) {
    if (rest.starts_with(q)) {
      return true;
    }
  }
  return false;
}

// Scans the argument list that starts after "(" at `i`, aware of string and char literals.
// Returns the index of the closing ')' or npos.
size_t find_args_end(std::string_view s, size_t i) {
  int depth = 1;
  bool in_string = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '\'') {
      // A char literal such as 'a', '\000' or '('; a lone apostrophe is just text.
      size_t close = s.find('\'', i + 1);
      if (close != std::string_view::npos && close - i <= 6) {
        i = close;
      }
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) {
        return i;
      }
    }
  }
  return std::string_view::npos;
}

std::optional<FrameText> parse_frame_text(std::string_view body) {
  body = util::trim(body);
  FrameText out;
  model::Frame& f = out.frame;
  uint64_t addr = 0;
  if (size_t n = read_address(body, addr); n > 0) {
    if (!body.substr(n).starts_with(" in ")) {
      return std::nullopt;
    }
    f.address = addr;
    body = util::trim_left(body.substr(n + 4));
  } else if (body.starts_with("<unavailable> in ")) {
    body = util::trim_left(body.substr(17));
  }
  if (body.empty()) {
    return std::nullopt;
  }
  if (body.starts_with("<signal handler called>") ||
      body.starts_with("<function called from gdb>")) {
    f.function = std::string(body.substr(0, body.find('>') + 1));
    return out;
  }
  char c0 = body[0];
  if (!(is_ident(c0) || c0 == '~' || c0 == '<' || c0 == '?' || c0 == ':' || c0 == '(' ||
        c0 == '*')) {
    return std::nullopt;
  }
  if (c0 == '(' && !body.starts_with("(anonymous namespace)")) {
    return std::nullopt; // sanitizer "(module+0xoff)" frames
  }

  // The function: up to " (" (argument values), " at " or " from " at nesting depth 0.
  int paren = 0, angle = 0, brace = 0, bracket = 0;
  size_t i = 0;
  enum class Next { end, args, at, from } next = Next::end;
  for (; i < body.size(); ++i) {
    char c = body[i];
    bool top = paren == 0 && angle == 0 && brace == 0 && bracket == 0;
    if (c == 'o') {
      size_t j = skip_operator(body, i);
      if (j != i) {
        i = j - 1;
        continue;
      }
    }
    if (c == ' ' && top) {
      std::string_view rest = body.substr(i + 1);
      if (rest.starts_with("(")) {
        next = Next::args;
        break;
      }
      if (rest.starts_with("at ")) {
        next = Next::at;
        break;
      }
      if (rest.starts_with("from ")) {
        next = Next::from;
        break;
      }
      if (!allowed_space(rest)) {
        return std::nullopt; // "func /path/file.c:12" (sanitizer), prose, ...
      }
      continue;
    }
    switch (c) {
    case '(':
      ++paren;
      break;
    case ')':
      if (paren == 0) {
        return std::nullopt;
      }
      --paren;
      break;
    case '<':
      ++angle;
      break;
    case '>':
      if (angle > 0) {
        --angle;
      }
      break;
    case '{':
      ++brace;
      break;
    case '}':
      if (brace > 0) {
        --brace;
      }
      break;
    case '[':
      ++bracket;
      break;
    case ']':
      if (bracket > 0) {
        --bracket;
      }
      break;
    default:
      break;
    }
  }
  std::string_view func = util::trim(body.substr(0, i));
  if (func.empty()) {
    return std::nullopt;
  }
  if (paren > 0 && next == Next::end) {
    out.complete = false; // "Foo::bar(std::string const&, ai::Eve" cut
  }
  f.function = demangle(func);

  std::string_view rest = i < body.size() ? body.substr(i + 1) : std::string_view{};
  bool has_args = false;
  if (next == Next::args) {
    has_args = true;
    size_t close = find_args_end(rest, 1);
    std::string_view args;
    if (close == std::string_view::npos) {
      args = rest.substr(1);
      out.complete = false;
      rest = {};
    } else {
      args = rest.substr(1, close - 1);
      rest = util::trim(rest.substr(close + 1));
    }
    args = util::trim(args);
    // gdb prints argument VALUES as name=value; "(/lib/libc.so.6+0x1234)" is a sanitizer module.
    if (!args.empty() && out.complete && args.find('=') == std::string_view::npos &&
        args != "...") {
      return std::nullopt;
    }
    f.arguments = std::string(args);
    if (rest.starts_with("at ")) {
      next = Next::at;
    } else if (rest.starts_with("from ")) {
      next = Next::from;
    } else if (!rest.empty()) {
      return std::nullopt;
    } else {
      next = Next::end;
    }
  }
  // Without an address or an argument list only a real location or library makes it a frame:
  // "#2 crash at startup" and "#3 report from user" are prose.
  bool weak = !f.address && !has_args;
  if (next == Next::at) {
    std::string_view loc = util::trim(rest.substr(3));
    if (auto l = parse_location(loc)) {
      f.file = l->file;
      f.line = l->line;
      f.column = l->column;
    } else if (weak) {
      return std::nullopt;
    } else {
      f.file = std::string(loc);
    }
  } else if (next == Next::from) {
    std::string_view lib = util::trim(rest.substr(5));
    if (weak && lib.find('/') == std::string_view::npos &&
        lib.find('\\') == std::string_view::npos && lib.find(".so") == std::string_view::npos &&
        lib.find(".dll") == std::string_view::npos) {
      return std::nullopt;
    }
    f.module = std::string(lib);
  }
  out.has_args = has_args;
  out.bare = !f.address && !has_args && f.file.empty() && f.module.empty();
  if (out.bare) {
    // A hand-trimmed frame "#0  ai::AttackAction::Execute(ai::Event&)" must still look like a C++
    // function, not like "#5 is fixed".
    if (func.find("::") == std::string_view::npos && func.find('(') == std::string_view::npos) {
      return std::nullopt;
    }
  }
  return out;
}

bool same_frame(const model::Frame& a, const model::Frame& b) {
  if (a.address && b.address) {
    return *a.address == *b.address;
  }
  return function_name_part(a.function) == function_name_part(b.function);
}

// The outermost frames of a thread: a stack that ends in one of them is complete.
bool is_outermost(const model::Frame& f) {
  static constexpr std::array<std::string_view, 12> k_names{"clone",
                                                            "clone3",
                                                            "__clone",
                                                            "__clone3",
                                                            "start_thread",
                                                            "_start",
                                                            "main",
                                                            "__libc_start_main",
                                                            "__libc_start_call_main",
                                                            "__libc_start_main_impl",
                                                            "thread_start",
                                                            "_thread_start"};
  std::string_view name = function_name_part(f.function);
  for (auto n : k_names) {
    if (name == n) {
      return true;
    }
  }
  return f.function == "??" && f.address && *f.address == 0;
}

// ---------------------------------------------------------------------------------------------
// Session state

struct Stack {
  std::vector<model::Frame> frames;
  int last_index = -1;
  std::string thread; // set when the user switched threads before printing it
};

struct Block { // one "Thread N (...):" of thread apply all bt
  std::string id, name, lwp;
  std::vector<model::Frame> frames;
  int last_index = -1;
};

struct Row { // one info threads row
  std::string id, name, lwp;
  bool current = false;
  std::optional<model::Frame> frame;
};

enum class Target { none, stack, block };

struct Session {
  bool open = false;
  size_t first = 0;
  size_t last = 0;
  size_t gap = 0;
  // Banner facts.
  bool banner = false; // "received signal" / "terminated with signal" / "It stopped with signal"
  std::string sig_name, sig_desc;
  std::string crash_id, crash_name, crash_lwp;
  std::optional<model::Frame> stop_frame;
  bool expect_stop_frame = false;
  std::vector<Stack> stacks;
  std::vector<Block> blocks;
  std::vector<Row> rows;
  Target target = Target::none;
  std::string switched_thread;
  int last_line_number = 0;     // line of the last frame printed, to recognize its source line
  bool awaiting_output = false; // a bt command or marker whose frames have not come yet
  bool tail_open = false;       // the last thing seen is a frame (or its locals)
  bool tail_stopped = false;    // "Backtrace stopped" ended the last stack
  bool tail_outermost = false;  // the last frame is a thread's entry (clone, main, ...)
  bool truncated = false;
  bool capped = false;
  size_t banner_line = 0;  // where the banner was printed
  size_t content_line = 0; // the last line that held a frame

  bool has_frames() const {
    return stop_frame || !stacks.empty() || !blocks.empty() || !rows.empty();
  }
};

struct Banner {
  std::string thread, name, sig, desc;
  bool restatement = false; // info program's "It stopped with signal": the same stop again
};

std::string sig_from_token(std::string_view tok) {
  if (!tok.empty() && is_digit(tok[0])) {
    auto n = util::parse_int(tok);
    std::string_view name = n ? signal_name(*n) : std::string_view{};
    return name.empty() ? std::string(tok) : std::string(name);
  }
  return std::string(tok);
}

std::optional<Banner> parse_banner(std::string_view t) {
  if (t.find(" signal ") == std::string_view::npos) {
    return std::nullopt;
  }
  static const RE2 received(
      R"re(^(?:Thread ([\d.]+)(?: "(.*)")? received|Program received) signal (SIG\w+|\d+|\?), (.*?)\.?$)re");
  static const RE2 terminated(R"(^Program terminated with signal (SIG\w+|\d+), (.*?)\.?$)");
  static const RE2 stopped(R"(^It stopped with signal (SIG\w+|\d+), (.*?)\.?$)");
  re2::StringPiece in(t.data(), t.size());
  Banner b;
  std::string sig;
  if (RE2::PartialMatch(in, received, &b.thread, &b.name, &sig, &b.desc) ||
      RE2::PartialMatch(in, terminated, &sig, &b.desc)) {
    b.sig = sig_from_token(sig);
    return b;
  }
  if (RE2::PartialMatch(in, stopped, &sig, &b.desc)) {
    b.sig = sig_from_token(sig);
    b.restatement = true;
    return b;
  }
  return std::nullopt;
}

// "Thread 0x7fff923ff700 (LWP 6513) "name"" / "LWP 123" / "process 42": the LWP and the name.
void parse_target_id(std::string_view s, std::string& lwp, std::string& name) {
  static const RE2 lwp_re(R"(LWP (\d+))");
  static const RE2 process_re(R"(^process (\d+))");
  re2::StringPiece in(s.data(), s.size());
  if (!RE2::PartialMatch(in, lwp_re, &lwp)) {
    RE2::PartialMatch(in, process_re, &lwp);
  }
  size_t q = s.find('"');
  size_t q2 = s.rfind('"');
  if (q != std::string_view::npos && q2 > q) {
    name = std::string(s.substr(q + 1, q2 - q - 1));
  }
}

// Signals a debugger stops on without the program crashing: the user interrupting a hung server,
// breakpoints, real-time signals used by threading libraries.
bool is_crash_signal(std::string_view sig) {
  for (std::string_view s : {"SIGINT", "SIGTRAP", "SIGSTOP", "SIGTSTP", "SIGCONT", "SIGCHLD",
                             "SIGWINCH", "SIGPIPE", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGPROF",
                             "SIGVTALRM", "SIGURG", "SIGIO", "SIGHUP", "SIGTTIN", "SIGTTOU"}) {
    if (sig == s) {
      return false;
    }
  }
  // gdb's names for real-time signals: SIG32, SIG33, ...
  return !(sig.size() > 3 && is_digit(sig[3]));
}

// Lines gdb prints around a session that carry nothing for the crash.
bool is_noise(std::string_view t) {
  static constexpr std::array<std::string_view, 44> k_prefixes{
      "No locals.",
      "No symbol table info available.",
      "No symbol \"",
      "No stack.",
      "Reading symbols from",
      "(No debugging symbols found",
      "Core was generated by",
      "Using host libthread_db",
      "Starting program:",
      "Continuing.",
      "Currently logging to",
      "Copying output to",
      "Redirecting output to",
      "Type \"info stack\"",
      "Program stopped at",
      "Using the running image of",
      "Download failed",
      "Downloading ",
      "warning: ",
      "This GDB supports auto-downloading",
      "Enable debuginfod",
      "Debuginfod has been disabled",
      "For help, type",
      "GNU gdb",
      "Copyright (C)",
      "License GPLv3",
      "This is free software",
      "There is NO WARRANTY",
      "This GDB was configured",
      "Type \"show ",
      "For bug reporting",
      "<https://www.gnu.org",
      "Find the GDB manual",
      "Type \"apropos",
      "Signal        Stop",
      "Attaching to process",
      "Attaching to program",
      "Detaching from program",
      "A debugging session is active",
      "Quit anyway?",
      "Run till exit from",
      "Thread debugging using",
      "Dump of assembler code",
      "End of assembler dump.",
  };
  for (auto p : k_prefixes) {
    if (t.starts_with(p)) {
      return true;
    }
  }
  if (t.starts_with("[New ") || t.starts_with("[Thread ") || t.starts_with("[Inferior ") ||
      t.starts_with("[Detaching") || t.starts_with("[LWP ")) {
    return true;
  }
  // info registers: "rax            0x0                 0"
  static const RE2 reg(R"(^[a-z][a-z0-9_]{1,9}\s+0x[0-9a-f]+\s)");
  // x/16i $pc: "=> 0x555555ffdaa1 <DBCStorage<..>::LookupEntry+17>:\tmov ..." / "   0x... <+21>:"
  static const RE2 disasm(R"(^(?:=>\s*)?0x[0-9a-f]+(?: <[^\t]*>)?:\s)");
  if ((t[0] >= 'a' && t[0] <= 'z') || t[0] == '=' || t[0] == '0') {
    re2::StringPiece in(t.data(), t.size());
    if (RE2::PartialMatch(in, reg) || RE2::PartialMatch(in, disasm)) {
      return true;
    }
  }
  return false;
}

enum class Marker { none, plain, backtrace, threads_backtrace };

Marker parse_marker(std::string_view t) {
  if (t == "BACKTRACE" || t == "BACKTRACE FULL") {
    return Marker::backtrace;
  }
  if (t == "THREADS BACKTRACE") {
    return Marker::threads_backtrace;
  }
  if (t == "CRASHLOG BEGIN" || t == "THREADS" || t.starts_with("CRASH ON ") ||
      t.starts_with("Generated by crashreport.gdb")) {
    return Marker::plain;
  }
  if (t.starts_with("--- DEBUG:")) {
    if (t.find("THREAD APPLY ALL") != std::string_view::npos) {
      return Marker::threads_backtrace;
    }
    if (t.find("BACKTRACE") != std::string_view::npos) {
      return Marker::backtrace;
    }
    return Marker::plain;
  }
  return Marker::none;
}

// ---------------------------------------------------------------------------------------------

class GdbParser {
public:
  GdbParser(const Document& doc, Sections& out) : m_doc(doc), m_out(out) {}

  void run() {
    // The last non-blank line: a session that reaches it ends with the text.
    m_last_content = 0;
    for (size_t k = m_doc.size(); k > 0; --k) {
      if (!util::trim(m_doc[k - 1]).empty()) {
        m_last_content = k - 1;
        break;
      }
    }
    size_t i = 0;
    while (i < m_doc.size()) {
      i = step(i);
    }
    finish(true);
  }

private:
  const Document& m_doc;
  Sections& m_out;
  Session m_s;
  size_t m_last_content = 0;

  // The line without a pager prompt that may precede the next output on the same line.
  std::string_view text(size_t i) const {
    std::string_view t = m_doc[i];
    size_t type = t.find("Type <");
    if (type == std::string_view::npos) {
      return t;
    }
    for (std::string_view pager : {"to quit---", "c to continue without paging--"}) {
      size_t p = t.find(pager, type);
      if (p != std::string_view::npos) {
        return t.substr(p + pager.size());
      }
    }
    return t;
  }

  // Joins the continuation lines of the frame starting at line i (gdb's `set width` and terminals
  // break a frame after "(", between arguments and before " at "). `out` views the line itself, or
  // `buf` when lines were joined. Returns the last line used.
  size_t join(size_t i, std::string& buf, std::string_view& out) const {
    std::string_view first = util::trim(text(i));
    out = first;
    bool copied = false;
    int depth = paren_depth(first);
    size_t j = i;
    while (j + 1 < m_doc.size() && j - i < k_max_join_lines && out.size() < k_max_joined_bytes) {
      std::string_view next = m_doc[j + 1];
      std::string_view t = util::trim(next);
      if (t.empty() || t[0] == '#' || is_digit(t[0]) || t.starts_with("Thread ") ||
          t.starts_with("No locals.") || t.starts_with("No symbol table") ||
          t.starts_with("(gdb)")) {
        break;
      }
      bool indented = is_space(next[0]);
      bool tail = indented && (t.starts_with("at ") || t.starts_with("from "));
      // A local of `bt full` ("        node = 0x8c52") is not a continuation of a complete frame.
      if (!(depth > 0 && (indented || !looks_like_local(t))) && !tail) {
        break;
      }
      if (!copied) {
        buf.assign(first);
        copied = true;
      }
      if (!buf.empty() && buf.back() != '(' && indented) {
        buf += ' ';
      }
      buf += t;
      out = buf;
      depth = paren_depth(buf);
      ++j;
    }
    return j;
  }

  static bool looks_like_local(std::string_view t) {
    size_t eq = t.find(" = ");
    return eq != std::string_view::npos && eq > 0 && t.find('(') > eq;
  }

  static int paren_depth(std::string_view s) {
    int depth = 0;
    bool in_string = false;
    for (size_t k = 0; k < s.size(); ++k) {
      char c = s[k];
      if (in_string) {
        if (c == '\\') {
          ++k;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && depth > 0) {
        --depth;
      }
    }
    return depth;
  }

  void open_at(size_t i) {
    if (!m_s.open) {
      m_s = Session{};
      m_s.open = true;
      m_s.first = i;
    }
    m_s.last = std::max(m_s.last, i);
    m_s.gap = 0;
  }

  // Processes line i (and its continuation lines); returns the next line to read.
  size_t step(size_t i) {
    std::string_view raw = text(i);
    std::string_view t = util::trim(raw);
    if (t.empty()) {
      return i + 1;
    }
    bool indented = is_space(raw[0]);

    // The source line gdb prints after a stop frame: "<line>\t<source>".
    if (m_s.open && m_s.last_line_number > 0 && is_digit(t[0])) {
      std::string n = std::to_string(m_s.last_line_number);
      if (t.starts_with(n) && t.size() > n.size() && is_space(t[n.size()]) &&
          !is_hashless_frame(n, t.substr(n.size()))) {
        m_s.last_line_number = 0;
        element(i);
        return i + 1;
      }
    }
    m_s.last_line_number = 0;

    if (auto b = parse_banner(t)) {
      on_banner(i, *b);
      return i + 1;
    }
    if (t.starts_with("(gdb)")) {
      on_prompt(i, util::trim(t.substr(5)));
      return i + 1;
    }
    if (Marker m = parse_marker(t); m != Marker::none) {
      open_at(i);
      end_target();
      m_s.tail_open = false;
      if (m == Marker::backtrace || m == Marker::threads_backtrace) {
        m_s.awaiting_output = true;
      }
      return i + 1;
    }
    if (t[0] == '[') {
      if (on_bracket(i, t)) {
        return i + 1;
      }
    }
    if (t.starts_with("Thread ") && on_thread_header(i, t)) {
      return i + 1;
    }
    if (t.starts_with("Using the running image of ")) {
      // info program: "Using the running image of child Thread 0x7fff95fff700 (LWP 22763)."
      open_at(i);
      std::string name;
      if (m_s.crash_lwp.empty()) {
        parse_target_id(t, m_s.crash_lwp, name);
      }
      return i + 1;
    }
    if (t.starts_with("Backtrace stopped:") || t.starts_with("(More stack frames follow")) {
      if (m_s.open) {
        element(i);
        m_s.tail_open = false;
        m_s.tail_stopped = true;
        if (t[0] == '(') {
          m_s.truncated = true;
        }
        end_target();
      }
      return i + 1;
    }
    if (t.starts_with("Id ") && t.find("Target Id") != std::string_view::npos) {
      open_at(i);
      end_target();
      return i + 1;
    }
    if (t[0] == '*' || is_digit(t[0])) {
      if (size_t next = on_row(i, t); next != 0) {
        return next;
      }
    }
    if (t[0] == '#' || is_digit(t[0])) {
      if (size_t next = on_numbered_frame(i, t); next != 0) {
        return next;
      }
    }
    if (t.starts_with("0x") || (m_s.open && m_s.expect_stop_frame)) {
      if (size_t next = on_stop_frame(i, t); next != 0) {
        return next;
      }
    }
    if (m_s.open) {
      if ((indented && m_s.target != Target::none) || is_noise(t)) {
        // Locals of `bt full` (indented), registers, disassembly, loading messages.
        element(i);
        return i + 1;
      }
      m_s.tail_open = false;
      m_s.expect_stop_frame = false;
      if (++m_s.gap > k_max_gap) {
        finish(false);
      }
    }
    return i + 1;
  }

  // "1  boost::search_path (...) at x.hpp:37" right after a frame at line 1 is the next frame, not
  // the source line.
  bool is_hashless_frame(std::string_view number, std::string_view rest) const {
    auto index = util::parse_int(number);
    if (!index || *index != current_last_index() + 1) {
      return false;
    }
    auto ft = parse_frame_text(rest);
    return ft && (ft->frame.address || !ft->frame.file.empty());
  }

  // Line i belongs to the session.
  void element(size_t i) {
    m_s.last = std::max(m_s.last, i);
    m_s.gap = 0;
  }

  void end_target() { m_s.target = Target::none; }

  void on_banner(size_t i, const Banner& b) {
    // A second banner is a new stop: the next crash (or the real one after a stop on a harmless
    // signal). A banner after a bt without one may belong to that bt: the next frame decides
    // (see split()).
    if (m_s.open && !b.restatement && m_s.banner) {
      bool harmless = !is_crash_signal(m_s.sig_name) && m_s.stacks.empty() && m_s.blocks.empty() &&
                      m_s.rows.empty();
      if (harmless) {
        m_s = Session{};
      } else {
        finish(false);
      }
    }
    open_at(i);
    end_target();
    m_s.tail_open = false;
    if (b.restatement && m_s.banner) {
      return;
    }
    m_s.banner = true;
    m_s.banner_line = i;
    m_s.sig_name = b.sig;
    m_s.sig_desc = b.desc;
    if (!b.thread.empty()) {
      m_s.crash_id = b.thread;
      m_s.crash_name = b.name;
    }
    m_s.expect_stop_frame = !b.restatement;
    m_s.switched_thread.clear();
  }

  void on_prompt(size_t i, std::string_view cmd) {
    open_at(i);
    end_target();
    m_s.tail_open = false;
    m_s.expect_stop_frame = false;
    for (std::string_view c : {"bt", "backtrace", "where", "thread apply", "t a a", "info stack"}) {
      if (cmd.starts_with(c)) {
        m_s.awaiting_output = true;
      }
    }
  }

  bool on_bracket(size_t i, std::string_view t) {
    static const RE2 current(R"(^\[Current thread is ([\d.]+) \((.*)\)\]$)");
    static const RE2 switching(R"(^\[Switching to (thread ([\d.]+) \(|Thread 0x|LWP )(.*)\]$)");
    re2::StringPiece in(t.data(), t.size());
    std::string id, rest, kind;
    if (t.starts_with("[Current thread is ") && RE2::FullMatch(in, current, &id, &rest)) {
      open_at(i);
      m_s.crash_id = id;
      std::string name;
      parse_target_id(rest, m_s.crash_lwp, name);
      if (m_s.crash_name.empty()) {
        m_s.crash_name = name;
      }
      return true;
    }
    if (t.starts_with("[Switching to ") && RE2::FullMatch(in, switching, &kind, &id, &rest)) {
      open_at(i);
      end_target();
      std::string lwp, name;
      parse_target_id(t, lwp, name);
      if (!id.empty()) {
        // The user's "thread N": what follows is that thread, not necessarily the crashing one.
        m_s.switched_thread = id;
      } else {
        // The stop of a live session switches to the thread that received the signal.
        m_s.switched_thread.clear();
        if (m_s.crash_lwp.empty()) {
          m_s.crash_lwp = lwp;
        }
      }
      return true;
    }
    if (is_noise(t)) {
      if (m_s.open) {
        element(i);
      }
      return true;
    }
    return false;
  }

  bool on_thread_header(size_t i, std::string_view t) {
    static const RE2 header(R"(^Thread ([\d.]+) \((.*)\):?$)");
    re2::StringPiece in(t.data(), t.size());
    std::string id, inner;
    if (!RE2::FullMatch(in, header, &id, &inner)) {
      return false;
    }
    open_at(i);
    m_s.tail_open = false;
    m_s.awaiting_output = false;
    if (m_s.blocks.size() >= k_max_threads) {
      m_s.capped = true;
      m_s.target = Target::none;
      return true;
    }
    Block b;
    b.id = id;
    parse_target_id(inner, b.lwp, b.name);
    m_s.blocks.push_back(std::move(b));
    m_s.target = Target::block;
    return true;
  }

  // "* 1    Thread 0x7ffff7fe8740 (LWP 30902) "MCServer" 0x00007ffff6a2a9b3 in select () ..."
  size_t on_row(size_t i, std::string_view t) {
    size_t k = 0;
    bool current = false;
    if (t[0] == '*') {
      current = true;
      k = 1;
      while (k < t.size() && is_space(t[k])) {
        ++k;
      }
    }
    size_t d = k;
    while (k < t.size() && (is_digit(t[k]) || t[k] == '.')) {
      ++k;
    }
    if (k == d || k >= t.size() || !is_space(t[k])) {
      return 0;
    }
    std::string_view id = t.substr(d, k - d);
    std::string_view rest = util::trim_left(t.substr(k));
    if (!rest.starts_with("Thread 0x") && !rest.starts_with("LWP ") &&
        !rest.starts_with("process ")) {
      return 0;
    }
    std::string buf;
    std::string_view joined;
    size_t last = join(i, buf, joined);
    std::string_view jt = joined;
    // Skip to the target id inside the joined text, then past it.
    size_t start = jt.find(rest.substr(0, 6));
    jt = start == std::string_view::npos ? rest : jt.substr(start);
    static const RE2 target(
        R"(^((?:Thread 0x[0-9a-fA-F]+ \(LWP \d+\)|Thread 0x[0-9a-fA-F]+|LWP \d+|process \d+)(?: "[^"]*")?)\s*(.*)$)");
    re2::StringPiece in(jt.data(), jt.size());
    std::string target_id, frame_text;
    if (!RE2::FullMatch(in, target, &target_id, &frame_text)) {
      return 0;
    }
    open_at(i);
    element(last);
    m_s.content_line = last;
    end_target();
    m_s.tail_open = false;
    Row row;
    row.id = std::string(id);
    row.current = current;
    parse_target_id(target_id, row.lwp, row.name);
    if (auto f = parse_frame_text(frame_text)) {
      row.frame = f->frame;
    }
    if (m_s.rows.size() < k_max_rows) {
      m_s.rows.push_back(std::move(row));
    } else {
      m_s.capped = true;
    }
    return last + 1;
  }

  size_t on_numbered_frame(size_t i, std::string_view t) {
    bool hash = t[0] == '#';
    size_t k = hash ? 1 : 0;
    while (hash && k < t.size() && t[k] == ' ') {
      ++k; // "# 0  0xb78d6430 in __kernel_vsyscall ()"
    }
    size_t d = k;
    while (k < t.size() && is_digit(t[k]) && k - d < 6) {
      ++k;
    }
    if (k == d || k >= t.size() || !is_space(t[k])) {
      return 0;
    }
    auto index = util::parse_int(t.substr(d, k - d));
    if (!index) {
      return 0;
    }
    if (!hash) {
      // Without '#' a frame must continue the current stack (or start one) and carry an address,
      // a location or a library: "155         Crash(formattedMessage.c_str());" is source text.
      int prev = current_last_index();
      if (*index != 0 && *index != prev + 1) {
        return 0;
      }
    }
    std::string buf;
    std::string_view joined;
    size_t last = join(i, buf, joined);
    // `joined` starts with `t`, so the body starts at k there too.
    auto ft = parse_frame_text(joined.substr(k));
    if (!ft) {
      return 0;
    }
    if (!hash && (ft->bare || (!ft->frame.address && ft->frame.file.empty() &&
                               ft->frame.module.empty() && ft->frame.function != "??"))) {
      return 0;
    }
    if (!ft->complete && last >= m_last_content) {
      m_s.truncated = true; // cut inside the argument list at the end of the text
    }
    add_numbered(i, last, *index, std::move(ft->frame));
    return last + 1;
  }

  int current_last_index() const {
    if (!m_s.open) {
      return -1;
    }
    if (m_s.target == Target::block && !m_s.blocks.empty()) {
      return m_s.blocks.back().last_index;
    }
    if (m_s.target == Target::stack && !m_s.stacks.empty()) {
      return m_s.stacks.back().last_index;
    }
    return -1;
  }

  void add_numbered(size_t i, size_t last, int index, model::Frame frame) {
    if (index > 0 && !frame.address && !frame.file.empty()) {
      frame.inlined = true; // gdb omits the pc of inlined callers
    }
    if (m_s.target == Target::block && !m_s.blocks.empty()) {
      Block& b = m_s.blocks.back();
      if (index > b.last_index || b.frames.empty()) {
        open_at(i);
        element(last);
        m_s.content_line = last;
        push_frame(b.frames, b.last_index, index, std::move(frame));
        return;
      }
      end_target(); // "#0" again after a thread block: a new bt
    }
    if (m_s.open && m_s.target == Target::stack && !m_s.stacks.empty() &&
        index > m_s.stacks.back().last_index) {
      element(last);
      m_s.content_line = last;
      push_frame(m_s.stacks.back().frames, m_s.stacks.back().last_index, index, std::move(frame));
      return;
    }
    // A new stack.
    if (m_s.open && m_s.switched_thread.empty() && differs_from_session(index, frame)) {
      split(i);
    }
    open_at(i);
    element(last);
    m_s.content_line = last;
    if (m_s.stacks.size() >= k_max_stacks) {
      m_s.capped = true;
      m_s.target = Target::none;
      return;
    }
    Stack s;
    s.thread = m_s.switched_thread;
    m_s.stacks.push_back(std::move(s));
    m_s.target = Target::stack;
    push_frame(m_s.stacks.back().frames, m_s.stacks.back().last_index, index, std::move(frame));
  }

  // Ends the session before line i: what follows is another crash. A banner printed after the
  // session's last frame announced that next crash, so it moves along.
  void split(size_t i) {
    bool move = m_s.banner && m_s.banner_line > m_s.content_line;
    Session next;
    if (move) {
      next.open = true;
      next.first = m_s.banner_line;
      next.last = i;
      next.banner = true;
      next.banner_line = m_s.banner_line;
      next.sig_name = std::move(m_s.sig_name);
      next.sig_desc = std::move(m_s.sig_desc);
      next.crash_id = std::move(m_s.crash_id);
      next.crash_name = std::move(m_s.crash_name);
      next.crash_lwp = std::move(m_s.crash_lwp);
      next.expect_stop_frame = m_s.expect_stop_frame;
      m_s.banner = false;
      m_s.sig_name.clear();
      m_s.sig_desc.clear();
      m_s.crash_id.clear();
      m_s.crash_name.clear();
      m_s.crash_lwp.clear();
      m_s.last = m_s.content_line;
    }
    finish(false);
    if (move) {
      m_s = std::move(next);
    }
  }

  // A bt whose frames differ from the crash already seen in this session is another crash.
  bool differs_from_session(int index, const model::Frame& frame) const {
    for (const Stack& s : m_s.stacks) {
      if (!s.thread.empty()) {
        continue;
      }
      for (const auto& f : s.frames) {
        if (f.index == index) {
          return !same_frame(f, frame);
        }
      }
      return false;
    }
    if (index == 0 && m_s.stop_frame) {
      return !same_frame(*m_s.stop_frame, frame);
    }
    return false;
  }

  void push_frame(std::vector<model::Frame>& frames, int& last_index, int index,
                  model::Frame frame) {
    m_s.awaiting_output = false;
    m_s.expect_stop_frame = false;
    m_s.tail_open = true;
    m_s.tail_stopped = false;
    m_s.tail_outermost = is_outermost(frame);
    m_s.last_line_number = frame.line;
    last_index = index;
    if (frames.size() >= k_max_frames) {
      m_s.capped = true;
      return;
    }
    frame.index = index;
    frames.push_back(std::move(frame));
  }

  // The frame line of a stop: "0x... in Func (args) at file:line" or, right after a banner,
  // "Func (args) at file:line".
  size_t on_stop_frame(size_t i, std::string_view t) {
    bool expected = m_s.open && m_s.expect_stop_frame;
    if (!t.starts_with("0x") && !expected) {
      return 0;
    }
    std::string buf;
    std::string_view joined;
    size_t last = join(i, buf, joined);
    auto ft = parse_frame_text(joined);
    // gdb always prints the argument list of a stop frame, "()" when it has none.
    if (!ft || ft->bare || !ft->has_args) {
      return 0;
    }
    if (!ft->frame.address && ft->frame.file.empty() && ft->frame.module.empty()) {
      return 0;
    }
    if (m_s.open && m_s.stop_frame && !expected) {
      // Another stop line in a session that already has one ("finish", "up"): not the crash.
      element(last);
      m_s.last_line_number = ft->frame.line;
      return last + 1;
    }
    if (expected && m_s.stop_frame == std::nullopt && differs_from_session(0, ft->frame)) {
      split(i);
    }
    if (!ft->complete && last >= m_last_content) {
      m_s.truncated = true;
    }
    open_at(i);
    element(last);
    m_s.content_line = last;
    m_s.expect_stop_frame = false;
    m_s.last_line_number = ft->frame.line;
    ft->frame.index = 0;
    m_s.stop_frame = std::move(ft->frame);
    m_s.tail_open = false;
    return last + 1;
  }

  // ---- building the section ------------------------------------------------------------------

  static bool block_is_crash(const Session& s, const Block& b) {
    return (!s.crash_id.empty() && b.id == s.crash_id) ||
           (!s.crash_lwp.empty() && b.lwp == s.crash_lwp);
  }

  static bool same_stack(const std::vector<model::Frame>& a, const std::vector<model::Frame>& b) {
    size_t n = std::min<size_t>(3, std::min(a.size(), b.size()));
    if (n == 0) {
      return false;
    }
    for (size_t k = 0; k < n; ++k) {
      if (!same_frame(a[k], b[k])) {
        return false;
      }
    }
    return true;
  }

  static bool has_signal_frame(const Block& b) {
    for (const auto& f : b.frames) {
      if (f.function == "<signal handler called>") {
        return true;
      }
    }
    return false;
  }

  void finish(bool at_eof) {
    Session s = std::move(m_s);
    m_s = Session{};
    if (!s.open || (!s.banner && !s.has_frames())) {
      return;
    }
    Section sec;
    sec.format = "gdb";
    sec.first = s.first;
    sec.last = s.last;
    model::Crash& c = sec.crash;

    std::string crash_id = s.crash_id;
    if (crash_id.empty()) {
      for (const Row& r : s.rows) {
        if (r.current) {
          crash_id = r.id;
          if (s.crash_name.empty()) {
            s.crash_name = r.name;
          }
        }
      }
      s.crash_id = crash_id;
    }

    // The crashing thread's stack: the longest bt of the crashing thread.
    const Stack* bare = nullptr;
    for (const Stack& st : s.stacks) {
      if ((st.thread.empty() || st.thread == crash_id) && !st.frames.empty() &&
          (!bare || st.frames.size() > bare->frames.size())) {
        bare = &st;
      }
    }
    std::vector<bool> used(s.blocks.size(), false);
    model::Thread crashing;
    bool have_crashing = false;
    auto take_block = [&](size_t k) {
      crashing.id = s.blocks[k].id;
      crashing.name = s.blocks[k].name;
      used[k] = true;
    };
    if (bare) {
      crashing.frames = bare->frames;
      have_crashing = true;
      // Its entry in the thread list is the same stack again: keep its id and name only.
      std::optional<size_t> dup;
      for (size_t k = 0; k < s.blocks.size() && !dup; ++k) {
        if (block_is_crash(s, s.blocks[k])) {
          dup = k;
        }
      }
      for (size_t k = 0; k < s.blocks.size() && !dup; ++k) {
        if (same_stack(s.blocks[k].frames, bare->frames)) {
          dup = k;
        }
      }
      if (dup) {
        take_block(*dup);
      }
    } else {
      std::optional<size_t> pick;
      for (size_t k = 0; k < s.blocks.size() && !pick; ++k) {
        if (block_is_crash(s, s.blocks[k])) {
          pick = k;
        }
      }
      for (size_t k = 0; k < s.blocks.size() && !pick && s.stop_frame; ++k) {
        if (!s.blocks[k].frames.empty() && same_frame(s.blocks[k].frames[0], *s.stop_frame)) {
          pick = k;
        }
      }
      for (size_t k = 0; k < s.blocks.size() && !pick; ++k) {
        if (has_signal_frame(s.blocks[k])) {
          pick = k;
        }
      }
      if (!pick && s.blocks.size() == 1 && !s.stop_frame) {
        pick = 0;
      }
      if (pick) {
        take_block(*pick);
        crashing.frames = s.blocks[*pick].frames;
        have_crashing = true;
      } else if (s.stop_frame) {
        crashing.frames.push_back(*s.stop_frame);
        have_crashing = true;
      } else {
        for (const Row& r : s.rows) {
          if (!crash_id.empty() && r.id == crash_id && r.frame) {
            crashing.frames.push_back(*r.frame);
            crashing.frames.back().index = 0;
            have_crashing = true;
          }
        }
      }
    }
    if (have_crashing) {
      if (!s.crash_id.empty()) {
        crashing.id = s.crash_id;
      }
      if (!s.crash_name.empty()) {
        crashing.name = s.crash_name;
      }
      crashing.crashing = true;
      c.threads.push_back(std::move(crashing));
    }
    // The other threads: the thread list, else the info threads rows, else bts of other threads.
    for (size_t k = 0; k < s.blocks.size(); ++k) {
      if (used[k]) {
        continue;
      }
      if (c.threads.size() >= k_max_threads) {
        s.capped = true;
        break;
      }
      model::Thread t;
      t.id = s.blocks[k].id;
      t.name = s.blocks[k].name;
      t.frames = std::move(s.blocks[k].frames);
      c.threads.push_back(std::move(t));
    }
    if (s.blocks.empty()) {
      for (const Row& r : s.rows) {
        if ((have_crashing && r.id == crash_id) || !r.frame) {
          continue;
        }
        if (c.threads.size() >= k_max_threads) {
          s.capped = true;
          break;
        }
        model::Thread t;
        t.id = r.id;
        t.name = r.name;
        t.frames.push_back(*r.frame);
        t.frames.back().index = 0;
        c.threads.push_back(std::move(t));
      }
      for (const Stack& st : s.stacks) {
        if (&st == bare || st.thread.empty() || st.thread == crash_id || st.frames.empty()) {
          continue;
        }
        bool known = false;
        for (auto& t : c.threads) {
          if (t.id == st.thread) {
            t.frames = st.frames; // the full bt of a thread listed by info threads
            known = true;
          }
        }
        if (!known && c.threads.size() < k_max_threads) {
          model::Thread t;
          t.id = st.thread;
          t.frames = st.frames;
          c.threads.push_back(std::move(t));
        }
      }
    }

    // What happened.
    if (s.banner) {
      c.exception_code = s.sig_name;
      c.signal = signal_number(s.sig_name);
      c.exception_name = s.sig_desc;
      if (c.exception_name.empty()) {
        c.exception_name = std::string(signal_description(s.sig_name));
      }
      if (s.sig_name == "SIGABRT") {
        c.kind = model::Kind::abort;
      } else if (is_crash_signal(s.sig_name)) {
        c.kind = model::Kind::signal;
      }
    }
    refine_kind(c);

    bool frames = false;
    for (const auto& t : c.threads) {
      frames = frames || !t.frames.empty();
    }
    sec.role = s.banner ? (frames ? Role::report : Role::header) : Role::stack;

    if (at_eof && s.last >= m_last_content) {
      if (s.awaiting_output) {
        s.truncated = true; // "BACKTRACE" / "(gdb) bt" and then nothing
      }
      if (s.tail_open && !s.tail_stopped && !s.tail_outermost) {
        s.truncated = true; // the text ends inside a stack that has not reached its entry point
      }
    }
    if (s.truncated || s.capped) {
      c.add_problem(model::problem::truncated);
    }
    m_out.push_back(std::move(sec));
  }

  // The crash texts of TC/AC (Errors.cpp) end in a deliberate write to address 0 inside
  // Trinity::Assert / Trinity::Abort; abort() shows up as raise / abort / __pthread_kill.
  static void refine_kind(model::Crash& c) {
    const auto& frames = c.crashing_frames();
    for (size_t k = 0; k < frames.size() && k < 8; ++k) {
      std::string_view name = function_name_part(frames[k].function);
      size_t colons = name.rfind("::");
      if (colons == std::string_view::npos) {
        continue;
      }
      std::string_view leaf = name.substr(colons + 2);
      std::string_view scope = name.substr(0, colons);
      if (scope != "Trinity" && scope != "Acore" && scope != "acore") {
        continue;
      }
      if (leaf == "Assert") {
        c.kind = model::Kind::assertion;
        return;
      }
      if (leaf == "Abort" || leaf == "Fatal" || leaf == "AbortHandler") {
        c.kind = model::Kind::abort;
        return;
      }
    }
    if (c.kind != model::Kind::unknown) {
      return;
    }
    for (size_t k = 0; k < frames.size() && k < 4; ++k) {
      std::string_view name = function_name_part(frames[k].function);
      if (name == "abort" || name == "__GI_abort" || name == "raise" || name == "__GI_raise" ||
          name == "__pthread_kill_implementation" || name == "__pthread_kill_internal" ||
          name == "pthread_kill" || name == "__pthread_kill") {
        c.kind = model::Kind::abort;
        return;
      }
    }
  }
};

} // namespace

void parse_gdb(const Document& doc, Sections& out) {
  GdbParser(doc, out).run();
}

} // namespace crashpilot::parse
