// SPDX-License-Identifier: MIT
// Windows call stacks that are not a WheatyExceptionReport (crash-formats.md §4.3, §4.4):
//  - Visual Studio's Call Stack window: "worldserver.exe!Map::Update(unsigned int t_diff) Line 1061
//  C++"
//  - WinDbg `k` / `kn` / `kb` / `kp` and !analyze STACK_TEXT:
//    "00 000000ab`12345678 00007ff6`1234abcd worldserver!Map::Update+0x10c [D:\src\Map.cpp @ 1061]"
//  - StackWalker (J. Kalmbach): "d:\src\unit.cpp (404): Unit::Update" and
//    "000000014005E8E9 (mangosd): (filename not available): Unit::Update"
//  - ACE_Stack_Trace on Windows (old TC asserts, MaNGOS "Error: Assertion in", vMaNGOS logs):
//    "Unit::Update() d:\src\unit.cpp: 404 + 0x0", "Unit::Update()+0xde [0x9bd7e]", "[0x333208]"
// Every block of consecutive frame lines is one stack. Wheaty's own frame lines ("ADDR  FRAME
// Func+A  file line N") never match these grammars and are left to parse_wheaty.
#include <model/symbol.hpp>
#include <parse/frame_text.hpp>
#include <parse/section.hpp>
#include <util/string.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

namespace crashpilot::parse {

namespace {

using std::string_view;
using util::trim;

// How far before an ACE stack an assertion line may be for the stack to belong to it.
constexpr size_t k_assertion_lookback = 6;

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

size_t rfind_blank(string_view s) {
  for (size_t i = s.size(); i-- > 0;) {
    if (s[i] == ' ' || s[i] == '\t') {
      return i;
    }
  }
  return string_view::npos;
}

bool starts_with(string_view s, string_view p) {
  return s.substr(0, p.size()) == p;
}
bool ends_with(string_view s, string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

bool all_digits(string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_module_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

enum class Family { vs, windbg, stackwalker, ace };

string_view family_name(Family f) {
  switch (f) {
  case Family::vs:
    return "vs-callstack";
  case Family::windbg:
    return "windbg";
  case Family::stackwalker:
    return "stackwalker";
  case Family::ace:
    return "ace-stack-trace";
  }
  return "windows-stack";
}

struct Parsed {
  model::Frame frame;
  Family family = Family::vs;
  // A frame line of a shape that also occurs in unrelated text ("[0x1234]", "file (12): name"):
  // it only counts inside a block that has a stronger line or at least two frames.
  bool weak = false;
};

// "Func(const unsigned int t_diff=100, Player * p=0x0)": argument values (VS "Show Parameter
// Values", WinDbg `kp`) move to `arguments`, the types stay in the function.
void split_argument_values(std::string text, model::Frame& f) {
  string_view name = model::function_name_part(text);
  size_t open = name.size();
  while (open < text.size() && text[open] == ' ') {
    ++open;
  }
  if (open >= text.size() || text[open] != '(' || text.find('=', open) == std::string::npos) {
    f.function = std::move(text);
    return;
  }
  int depth = 0;
  size_t close = std::string::npos;
  std::vector<string_view> params;
  size_t start = open + 1;
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(' || c == '<' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == '>' || c == ']' || c == '}') {
      if (--depth == 0 && c == ')') {
        params.push_back(string_view(text).substr(start, i - start));
        close = i;
        break;
      }
    } else if (c == ',' && depth == 1) {
      params.push_back(string_view(text).substr(start, i - start));
      start = i + 1;
    }
  }
  if (close == std::string::npos) {
    f.function = std::move(text);
    return;
  }
  std::vector<std::string> types;
  std::vector<std::string> values;
  for (string_view p : params) {
    size_t eq = p.find('=');
    if (eq == string_view::npos || p.substr(0, eq).find("operator") != string_view::npos) {
      types.emplace_back(trim(p));
      continue;
    }
    string_view decl = trim(p.substr(0, eq));
    string_view value = trim(p.substr(eq + 1));
    size_t n = decl.size();
    while (n > 0 && (std::isalnum(static_cast<unsigned char>(decl[n - 1])) || decl[n - 1] == '_')) {
      --n;
    }
    string_view var = decl.substr(n);
    types.emplace_back(decl);
    values.push_back(std::string(var.empty() ? decl : var) + "=" + std::string(value));
  }
  f.function = std::string(trim(string_view(text).substr(0, open))) + "(" +
               util::join(types, ", ") + ")" + std::string(string_view(text).substr(close + 1));
  f.arguments = util::join(values, ", ");
}

// A symbol as a debugger prints it, or a bare address ("77a3cd6d()", "0x00007ff6`1234abcd").
void set_symbol(string_view sym, model::Frame& f) {
  sym = trim(sym);
  string_view bare = sym;
  if (ends_with(bare, "()")) {
    bare.remove_suffix(2);
  }
  bool prefixed = starts_with(bare, "0x");
  if (prefixed) {
    bare.remove_prefix(2);
  }
  std::string digits = util::replace_all(bare, "`", "");
  if ((digits.size() >= 8 || prefixed) && digits.size() <= 16 && util::is_all_hex(digits)) {
    f.address = util::parse_hex(digits);
    return;
  }
  if (starts_with(sym, "?")) {
    f.function = undecorate_msvc(sym);
  } else if (starts_with(sym, "_Z")) {
    f.function = demangle(sym);
  } else {
    split_argument_values(std::string(sym), f);
  }
}

// "+0x10c" at the end of a WinDbg call site.
string_view strip_displacement(string_view s, model::Frame& f) {
  size_t plus = s.rfind("+0x");
  if (plus != string_view::npos && plus > 0 && util::is_all_hex(s.substr(plus + 3))) {
    f.offset = util::parse_hex(s.substr(plus + 3));
    return s.substr(0, plus);
  }
  return s;
}

// "worldserver.exe!Map::Update(unsigned int t_diff) Line 1061 + 0x1a bytes\tC++" (VS) or
// "worldserver!Map::Update+0x10c [D:\src\Map.cpp @ 1061]" (WinDbg call site).
std::optional<model::Frame> parse_call_site(string_view s, bool& vs_style) {
  model::Frame f;
  size_t bang = s.find('!');
  if (bang == string_view::npos || bang == 0 || bang + 1 >= s.size()) {
    return std::nullopt;
  }
  string_view module = s.substr(0, bang);
  if (!std::all_of(module.begin(), module.end(), is_module_char)) {
    return std::nullopt;
  }
  f.module = std::string(module);
  string_view rest = trim(s.substr(bang + 1));
  // VS language column, separated by a tab (or spaces once pasted).
  static constexpr std::array<string_view, 9> k_languages{
      "C++", "C", "C#", "Unknown", "Native", "Mixed", "JavaScript", "F#", "Basic"};
  size_t sep = rfind_blank(rest);
  if (sep != string_view::npos) {
    string_view tail = rest.substr(sep + 1);
    if (std::find(k_languages.begin(), k_languages.end(), tail) != k_languages.end()) {
      rest = trim(rest.substr(0, sep));
      vs_style = true;
    }
  }
  // WinDbg source: " [D:\src\Map.cpp @ 1061]"
  if (ends_with(rest, "]")) {
    size_t open = rest.rfind(" [");
    size_t at = rest.rfind(" @ ");
    if (open != string_view::npos && at != string_view::npos && at > open) {
      f.file = std::string(trim(rest.substr(open + 2, at - open - 2)));
      f.line = util::parse_int(trim(rest.substr(at + 3, rest.size() - at - 4))).value_or(0);
      rest = trim(rest.substr(0, open));
    }
  }
  // VS: "+ 0x1a bytes" then "Line 1061"
  static const RE2 bytes_re(R"((.*?)\s*\+\s*0x([0-9a-fA-F]+) bytes)");
  re2::StringPiece head;
  std::string off;
  if (ends_with(rest, " bytes") &&
      RE2::FullMatch(re2::StringPiece(rest.data(), rest.size()), bytes_re, &head, &off)) {
    f.offset = util::parse_hex(off);
    rest = trim(string_view(head.data(), head.size()));
    vs_style = true;
  }
  size_t ln = rest.rfind(" Line ");
  if (ln != string_view::npos && all_digits(trim(rest.substr(ln + 6)))) {
    f.line = util::parse_int(trim(rest.substr(ln + 6))).value_or(0);
    rest = trim(rest.substr(0, ln));
    vs_style = true;
  }
  rest = strip_displacement(rest, f);
  if (rest.empty()) {
    return std::nullopt;
  }
  set_symbol(rest, f);
  return f;
}

// VS Call Stack window line, with the ">" current-frame marker and "[Inline Frame]" prefix.
std::optional<Parsed> parse_vs(string_view t) {
  if (starts_with(t, ">")) {
    t = trim(t.substr(1));
  }
  bool inlined = false;
  if (starts_with(t, "[Inline Frame]")) {
    inlined = true;
    t = trim(t.substr(14));
  }
  size_t bang = t.find('!');
  if (bang == string_view::npos || bang == 0) {
    return std::nullopt;
  }
  bool vs_style = false;
  auto f = parse_call_site(t, vs_style);
  if (!f) {
    return std::nullopt;
  }
  // Without a VS mark ("Line N", a language column, "()") the line must at least look like a call:
  // a module with an extension or a WinDbg displacement.
  string_view module = f->module;
  bool has_ext = module.find('.') != string_view::npos;
  bool call =
      f->function.find('(') != std::string::npos || f->offset.has_value() || f->address.has_value();
  if (!vs_style && !(has_ext && call) && !f->offset) {
    return std::nullopt;
  }
  f->inlined = inlined;
  return Parsed{std::move(*f), vs_style || has_ext ? Family::vs : Family::windbg, false};
}

// A WinDbg address column: "000000ab`12345678", "0012f8b4", or the inline marker's
// "--------`--------".
bool is_windbg_address(string_view tok) {
  if (tok == "--------`--------" || tok == "--------") {
    return true;
  }
  std::string digits = util::replace_all(tok, "`", "");
  return digits.size() >= 8 && digits.size() <= 16 && util::is_all_hex(digits) &&
         std::count(tok.begin(), tok.end(), '`') <= 1;
}

// WinDbg `k` family: [frame number] Child-SP RetAddr [: args :] call-site [source].
std::optional<Parsed> parse_windbg(string_view t) {
  size_t pos = 0;
  size_t columns = 0;
  bool inlined = false;
  auto next_token = [&](size_t from, size_t& end) {
    while (from < t.size() && (t[from] == ' ' || t[from] == '\t')) {
      ++from;
    }
    end = find_blank(t, from);
    if (end == string_view::npos) {
      end = t.size();
    }
    return from;
  };
  size_t end = 0;
  size_t begin = next_token(pos, end);
  string_view first = t.substr(begin, end - begin);
  if (first.size() <= 4 && util::is_all_hex(first)) {
    pos = end; // frame number
  }
  while (true) {
    begin = next_token(pos, end);
    if (begin >= t.size()) {
      return std::nullopt;
    }
    string_view tok = t.substr(begin, end - begin);
    if (tok == ":") {
      pos = end;
      continue;
    }
    if (tok == "(Inline") {
      size_t e2 = 0;
      size_t b2 = next_token(end, e2);
      if (t.substr(b2, e2 - b2) == "Function)") {
        inlined = true;
        ++columns;
        pos = e2;
        continue;
      }
    }
    if (is_windbg_address(tok)) {
      ++columns;
      pos = end;
      continue;
    }
    break;
  }
  if (columns < 2) {
    return std::nullopt;
  }
  string_view site = trim(t.substr(begin));
  model::Frame f;
  bool vs_style = false;
  if (site.find('!') != string_view::npos) {
    auto cs = parse_call_site(site, vs_style);
    if (!cs) {
      return std::nullopt;
    }
    f = std::move(*cs);
  } else {
    // "worldserver+0x1234" (no symbol) or a bare "0x00007ff6`1234abcd".
    string_view tok = site.substr(0, find_blank(site));
    size_t plus = tok.find("+0x");
    if (plus != string_view::npos && plus > 0 && util::is_all_hex(tok.substr(plus + 3)) &&
        std::all_of(tok.begin(), tok.begin() + static_cast<std::ptrdiff_t>(plus), is_module_char)) {
      f.module = std::string(tok.substr(0, plus));
      f.offset = util::parse_hex(tok.substr(plus + 3));
    } else if (starts_with(tok, "0x")) {
      set_symbol(tok, f);
      if (!f.address) {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
  }
  f.inlined = inlined;
  return Parsed{std::move(f), Family::windbg, false};
}

// StackWalker: "d:\src\unit.cpp (404): Unit::Update" or
// "000000014005E8E9 (mangosd): (filename not available): Unit::Update".
std::optional<Parsed> parse_stackwalker(string_view t) {
  if (t.find("): ") == string_view::npos) {
    return std::nullopt;
  }
  static const RE2 no_file(
      R"((?:0x)?([0-9A-Fa-f]{8,16}) \(([^()]*)\): \(filename not available\): (.+))");
  static const RE2 with_file(R"((.+?) \((\d+)\): ([^\s:][^:]*(?:::[^:]+)*))");
  re2::StringPiece in(t.data(), t.size());
  std::string a, b, c;
  model::Frame f;
  if (RE2::FullMatch(in, no_file, &a, &b, &c)) {
    f.address = util::parse_hex(a);
    if (b != "(module-name not available)" && b != "module-name not available") {
      f.module = b;
    }
    if (c != "(function-name not available)") {
      set_symbol(c, f);
    }
    return Parsed{std::move(f), Family::stackwalker, false};
  }
  int line = 0;
  if (RE2::FullMatch(in, with_file, &a, &line, &c) && line > 0 &&
      (a.find('\\') != std::string::npos || a.find('/') != std::string::npos ||
       a.find('.') != std::string::npos)) {
    f.file = a;
    f.line = line;
    set_symbol(c, f);
    return Parsed{std::move(f), Family::stackwalker, true};
  }
  return std::nullopt;
}

// Whether a symbol name has a space that is not part of it: symbols only have spaces inside
// template arguments, parentheses, "`anonymous namespace'" and after "operator".
bool has_free_space(string_view name) {
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '<' || c == '(') {
      ++depth;
    } else if ((c == '>' || c == ')') && depth > 0) {
      --depth;
    } else if (c == '`') {
      quoted = true;
    } else if (c == '\'' && quoted) {
      quoted = false;
    } else if (c == ' ' && depth == 0 && !quoted && !name.substr(0, i).ends_with("operator")) {
      return true;
    }
  }
  return false;
}

// ACE_Stack_Trace: "Name() file: line + 0xdisp", "Name()+0xdisp [0xrva]", "[0xrva]". ACE always
// appends "()" to the symbol name; it is no parameter list and is dropped. The bracketed value is
// the address relative to the module base.
std::optional<Parsed> parse_ace(string_view t) {
  model::Frame f;
  if (starts_with(t, "[0x") && ends_with(t, "]")) {
    string_view hex = t.substr(3, t.size() - 4);
    if (!util::is_all_hex(hex) || hex.size() > 16) {
      return std::nullopt;
    }
    f.offset = util::parse_hex(hex);
    return Parsed{std::move(f), Family::ace, true};
  }
  if (ends_with(t, "]")) {
    size_t open = t.rfind("[0x");
    if (open == string_view::npos || !util::is_all_hex(t.substr(open + 3, t.size() - open - 4))) {
      return std::nullopt;
    }
    string_view head = util::trim_right(t.substr(0, open));
    size_t plus = head.rfind("()+0x");
    if (plus == string_view::npos || plus == 0 || !util::is_all_hex(head.substr(plus + 5))) {
      return std::nullopt;
    }
    string_view name = head.substr(0, plus);
    if (has_free_space(name)) {
      return std::nullopt; // text before the symbol: see split_message_and_frame
    }
    f.offset = util::parse_hex(head.substr(plus + 5));
    set_symbol(name, f);
    return Parsed{std::move(f), Family::ace, false};
  }
  if (t.find("() ") != string_view::npos && t.find(" + 0x") != string_view::npos) {
    static const RE2 with_line(R"((.+?)\(\) (.+): (\d+) \+ 0x([0-9a-fA-F]+))");
    std::string name, file, off;
    int line = 0;
    if (RE2::FullMatch(re2::StringPiece(t.data(), t.size()), with_line, &name, &file, &line,
                       &off)) {
      set_symbol(name, f);
      f.file = file;
      f.line = line;
      return Parsed{std::move(f), Family::ace, false};
    }
  }
  return std::nullopt;
}

std::optional<Parsed> parse_frame_line(string_view t) {
  if (t.empty()) {
    return std::nullopt;
  }
  // Cheap dispatch on what each grammar needs before any regex runs.
  if (t.find('!') != string_view::npos) {
    if (auto p = parse_windbg(t)) {
      return p;
    }
    if (auto p = parse_vs(t)) {
      return p;
    }
  }
  if (t.find('[') != string_view::npos || t.find("() ") != string_view::npos) {
    if (auto p = parse_ace(t)) {
      return p;
    }
  }
  if (t.find("+0x") != string_view::npos || t.find("0x") == 0) {
    if (auto p = parse_windbg(t)) {
      return p;
    }
  }
  return parse_stackwalker(t);
}

// A log message followed on the same line by the first ACE frame:
// "[Crash/Auras] Deleting aura holder ... Unit::Update()+0xde [0x9bd7e]". Returns the message.
std::optional<std::pair<string_view, Parsed>> split_message_and_frame(string_view t) {
  if (!ends_with(t, "]")) {
    return std::nullopt;
  }
  size_t open = t.rfind("[0x");
  if (open == string_view::npos || open == 0) {
    return std::nullopt;
  }
  size_t frame_start = open;
  string_view head = util::trim_right(t.substr(0, open));
  size_t plus = head.rfind("()+0x");
  if (plus != string_view::npos && plus > 0) {
    // The symbol starts after the last space outside template brackets.
    int angle = 0;
    size_t k = plus;
    while (k > 0) {
      char c = head[k - 1];
      if (c == '>') {
        ++angle;
      } else if (c == '<' && angle > 0) {
        --angle;
      } else if ((c == ' ' || c == '\t') && angle == 0) {
        break;
      }
      --k;
    }
    frame_start = k;
  }
  string_view message = trim(t.substr(0, frame_start));
  auto p = parse_ace(trim(t.substr(frame_start)));
  if (message.empty() || !p) {
    return std::nullopt;
  }
  return std::make_pair(message, std::move(*p));
}

bool is_block_header(string_view t) {
  return (starts_with(t, "Child-SP") || starts_with(t, "ChildEBP") ||
          starts_with(t, "# Child-SP") || starts_with(t, "# ChildEBP")) ||
         starts_with(t, "STACK_TEXT:") || t == "Stack Trace:" || t == "Call Stack:" ||
         (starts_with(t, "Name") && (ends_with(t, "Language") || ends_with(t, "Lang")));
}

// Lines of a VS call stack that are no frame but do not end it.
bool is_marker(string_view t) {
  return starts_with(t, "[External Code]") || starts_with(t, "[Frames below may be incorrect") ||
         starts_with(t, "[Managed to Native Transition]") ||
         starts_with(t, "[Native to Managed Transition]") || starts_with(t, "[Async Call]") ||
         starts_with(t, "[Inline Frame]") || starts_with(t, "[Frames may be missing");
}

bool is_thread_root(const model::Frame& f) {
  return f.function.find("RtlUserThreadStart") != std::string::npos ||
         f.function == "RtlInitializeExceptionChain";
}

// Text that puts an ACE stack under an assertion (parse_assertion reads that text).
bool is_assertion_context(string_view t) {
  return util::icontains(t, "assert") || t.find("Stack Trace") != string_view::npos ||
         t.find("ABORTED") != string_view::npos || t.find("FATAL ERROR") != string_view::npos ||
         t.find("Backtrace") != string_view::npos;
}

struct Block {
  size_t first = 0;
  size_t last = 0;
  size_t last_frame_line = 0;
  std::vector<model::Frame> frames;
  Family family = Family::vs;
  bool strong = false;
  bool capped = false;
  std::string message; // a log message on the first frame's line
};

void emit(const Document& doc, Block& b, Sections& out) {
  if (b.frames.empty() || (!b.strong && b.frames.size() < 2)) {
    return;
  }
  Section s;
  s.format = std::string(family_name(b.family));
  s.role = Role::stack;
  s.first = b.first;
  s.last = b.last;
  if (b.family == Family::ace) {
    // (c) an ACE stack printed under an assertion, or (d) a vMaNGOS error log line followed by its
    // stack: a non-fatal report of its own whose message is that line.
    bool assertion = false;
    size_t from = b.first > k_assertion_lookback ? b.first - k_assertion_lookback : 0;
    for (size_t k = from; k < b.first && !assertion; ++k) {
      assertion = is_assertion_context(doc[k]);
    }
    assertion = assertion || is_assertion_context(b.message);
    std::string message = b.message;
    bool message_above = false;
    if (message.empty() && b.first > 0) {
      string_view prev = trim(doc[b.first - 1]);
      if (!prev.empty() && !parse_frame_line(prev)) {
        message = std::string(prev);
        message_above = true;
      }
    }
    if (!assertion && !message.empty()) {
      s.role = Role::report;
      s.first = message_above ? b.first - 1 : b.first;
      s.crash.kind = model::Kind::unknown;
      s.crash.error_message = message;
    }
  }
  if (b.capped || (b.last_frame_line + 1 >= doc.size() && !is_thread_root(b.frames.back()))) {
    s.crash.add_problem(model::problem::truncated);
  }
  model::Thread t;
  t.crashing = true;
  t.frames = std::move(b.frames);
  for (size_t k = 0; k < t.frames.size(); ++k) {
    t.frames[k].index = static_cast<int>(k);
  }
  s.crash.threads.push_back(std::move(t));
  out.push_back(std::move(s));
}

} // namespace

void parse_windows_stack(const Document& doc, Sections& out) {
  Block block;
  bool open = false;
  auto close = [&]() {
    if (open) {
      emit(doc, block, out);
      open = false;
    }
  };
  auto start = [&](size_t i) {
    block = Block{};
    block.first = i;
    block.last = i;
    open = true;
  };
  for (size_t i = 0; i < doc.size(); ++i) {
    string_view t = trim(doc[i]);
    if (t.empty()) {
      close();
      continue;
    }
    if (is_block_header(t)) {
      close();
      start(i);
      block.strong = t != "Stack Trace:" && t != "Call Stack:";
      continue;
    }
    if (is_marker(t) && !(starts_with(t, "[Inline Frame]") && t.find('!') != string_view::npos)) {
      if (!open) {
        start(i);
      }
      block.last = i;
      continue;
    }
    std::optional<Parsed> p = parse_frame_line(t);
    std::string message;
    if (!p && (!open || block.frames.empty()) && i + 1 < doc.size()) {
      // A message with the first frame at its end, when a frame follows on the next line.
      if (auto split = split_message_and_frame(t); split && parse_frame_line(trim(doc[i + 1]))) {
        message = std::string(split->first);
        p = std::move(split->second);
      }
    }
    if (!p) {
      close();
      continue;
    }
    if (open && !block.frames.empty() &&
        (block.family == Family::ace) != (p->family == Family::ace)) {
      close(); // an ACE stack and a debugger stack next to each other are two stacks
    }
    if (!open) {
      start(i);
    }
    if (block.frames.empty()) {
      block.family = p->family;
      block.message = message;
    }
    block.strong = block.strong || !p->weak;
    if (block.frames.size() < k_max_frames) {
      block.frames.push_back(std::move(p->frame));
    } else {
      block.capped = true;
    }
    block.last = i;
    block.last_frame_line = i;
  }
  close();
}

} // namespace crashpilot::parse
