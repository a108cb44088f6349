// SPDX-License-Identifier: MIT
// Valgrind (memcheck, and the same layout from helgrind / drd) error output:
//
//   ==20421== Invalid read of size 4
//   ==20421==    at 0x1171CF2: acore::Thread::~Thread() (in /home/user/run/bin/worldserver)
//   ==20421==    by 0x4353DD: Master::Run() (Master.cpp:120)
//   ==20421==  Address 0x5a1c040 is 16 bytes inside a block of size 40 free'd
//   ==20421==    at 0x4C2EDEB: operator delete(void*) (vg_replace_malloc.c:576)
//   ==20421==  Block was alloc'd at
//   ==20421==    at ...
//   ==20421==
//   ==20421== Process terminating with default action of signal 11 (SIGSEGV)
//   ==20421==  Access not within mapped region at address 0x0
//   ==20421==    at ...
//
// Each error block is a candidate. When the process died (a "Process terminating" block), that
// block is the crash and the errors before it are only context: the last one's first line becomes
// the error message, so the text gives ONE crash. Without a fatal block each error is its own
// section.

#include <parse/frame_text.hpp>
#include <parse/section.hpp>
#include <util/string.hpp>

#include <re2/re2.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::parse {

namespace {

using util::is_digit;

constexpr size_t k_max_stacks = 16;     // per error: main + freed/allocated/...
constexpr size_t k_max_errors = 100000; // per text; beyond this the rest is ignored
constexpr size_t k_max_processes = 64;  // distinct PIDs followed in one text
// Sections per text: Valgrind itself stops printing after 1000 different errors.
constexpr size_t k_max_sections = 1000;


struct Stack {
  std::string role; // "" for the error's own stack
  std::vector<model::Frame> frames;
};

struct Error {
  std::string pid;
  size_t first = 0;
  size_t last = 0;
  std::string header; // the first line: "Invalid read of size 4"
  std::string code;   // Valgrind's XML kind: InvalidRead, UninitCondition, ...
  bool fatal = false; // "Process terminating with default action of signal N"
  std::string sig;
  int signo = 0;
  std::string thread; // "Thread 2:" before the error
  std::optional<uint64_t> fault;
  std::string access; // " Access not within mapped region at address 0x0"
  std::vector<Stack> stacks;
  bool open_stack = false;  // the next "by" continues the last stack
  std::string pending_role; // set by " Block was alloc'd at" & co, for the next "at"
  bool capped = false;
  bool closed = false; // a blank "==PID==" line followed its last frame
  size_t last_frame_line = 0;

  bool has_frames() const { return !stacks.empty() && !stacks.front().frames.empty(); }
};

// Per-process state: several processes (a server and its children) can interleave in one log.
struct Process {
  std::string pid;
  std::string next_thread;
  std::optional<size_t> current; // index into the errors vector
};

// The Valgrind kind names of its XML output, from the first line of an error.
std::string error_code(std::string_view h) {
  struct Kind {
    std::string_view prefix;
    std::string_view code;
  };
  static constexpr Kind k_kinds[] = {
      {"Invalid read of size", "InvalidRead"},
      {"Invalid write of size", "InvalidWrite"},
      {"Invalid free()", "InvalidFree"},
      {"Mismatched free()", "MismatchedFree"},
      {"Conditional jump or move depends on uninitialised", "UninitCondition"},
      {"Use of uninitialised value", "UninitValue"},
      {"Syscall param", "SyscallParam"},
      {"Jump to the invalid address", "InvalidJump"},
      {"Source and destination overlap", "Overlap"},
      {"Argument '", "FishyValue"},
      {"Possible data race", "Race"},
      {"Lock at ", "LockOrder"},
  };
  for (const auto& k : k_kinds) {
    if (h.starts_with(k.prefix)) {
      return std::string(k.code);
    }
  }
  if (h.find("are definitely lost in loss record") != std::string_view::npos) {
    return "Leak_DefinitelyLost";
  }
  if (h.find("lock order") != std::string_view::npos) {
    return "LockOrder";
  }
  return "ValgrindError";
}

// Error first lines recognized even when a paste lost the "==PID==" prefix.
bool is_known_header(std::string_view h) {
  return h.starts_with("Process terminating with default action") ||
         error_code(h) != "ValgrindError";
}

// Leak records other than definite leaks are not crashes, nor are the summaries.
bool is_ignored_header(std::string_view h) {
  return h.find("loss record") != std::string_view::npos &&
         h.find("are definitely lost") == std::string_view::npos;
}

// "at 0x1171CF2: acore::Thread::~Thread() (in /home/user/run/bin/worldserver)"
std::optional<model::Frame> parse_frame(std::string_view t) {
  std::string_view rest = t.substr(3); // after "at " / "by "
  size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  auto addr = util::parse_hex(rest.substr(0, colon));
  if (!addr || !rest.starts_with("0x")) {
    return std::nullopt;
  }
  model::Frame f;
  f.address = addr;
  rest = util::trim(rest.substr(colon + 2));
  std::string_view func = rest;
  if (!rest.empty() && rest.back() == ')') {
    // The last parenthesized group is the location: "(file.cpp:123)" or "(in /path/module)".
    int depth = 0;
    size_t k = rest.size();
    size_t open = std::string_view::npos;
    while (k > 0) {
      --k;
      if (rest[k] == ')') {
        ++depth;
      } else if (rest[k] == '(' && --depth == 0) {
        open = k;
        break;
      }
    }
    if (open != std::string_view::npos && open > 0 && rest[open - 1] == ' ') {
      std::string_view inner = rest.substr(open + 1, rest.size() - open - 2);
      if (inner.starts_with("in ")) {
        f.module = std::string(util::trim(inner.substr(3)));
        func = util::trim(rest.substr(0, open));
      } else if (auto loc = parse_location(inner)) {
        f.file = loc->file;
        f.line = loc->line;
        f.column = loc->column;
        func = util::trim(rest.substr(0, open));
      }
    }
  }
  f.function = func == "???" ? "??" : demangle(func);
  return f;
}

} // namespace

void parse_valgrind(const Document& doc, Sections& out) {
  static const RE2 terminating(
      R"(^Process terminating with default action of signal (\d+) \((SIG\w+)\))");
  static const RE2 thread_re(R"(^Thread (\d+)(?: .*)?:$)");
  static const RE2 address_re(R"(\b(?:[Aa]ddress|at address) (0x[0-9A-Fa-f]+))");

  std::vector<Error> errors;
  std::vector<Process> procs;
  auto find_process = [&](std::string_view pid) -> Process* {
    for (auto& p : procs) {
      if (p.pid == pid) {
        return &p;
      }
    }
    if (procs.size() >= k_max_processes) {
      return nullptr;
    }
    procs.push_back(Process{std::string(pid), {}, std::nullopt});
    return &procs.back();
  };
  size_t last_content = 0;
  for (size_t k = doc.size(); k > 0; --k) {
    if (!util::trim(doc[k - 1]).empty()) {
      last_content = k - 1;
      break;
    }
  }

  for (size_t i = 0; i < doc.size(); ++i) {
    std::string_view line = doc[i];
    std::string_view lt = util::trim_left(line);
    std::string_view pid;
    std::string_view msg;
    bool prefixed = false;
    if (lt.size() >= 4 && (lt[0] == '=' || lt[0] == '-' || lt[0] == '*') && lt[1] == lt[0]) {
      char c = lt[0];
      size_t k = 2;
      while (k < lt.size() && is_digit(lt[k])) {
        ++k;
      }
      if (k > 2 && k + 1 < lt.size() && lt[k] == c && lt[k + 1] == c) {
        if (c != '=') {
          continue; // "--PID--" / "**PID**": Valgrind's own messages
        }
        pid = lt.substr(2, k - 2);
        msg = lt.substr(k + 2);
        if (!msg.empty() && msg[0] == ' ') {
          msg.remove_prefix(1);
        }
        prefixed = true;
      }
    }
    if (!prefixed) {
      // Without the prefix: only well-known first lines, and the lines of such an error.
      std::string_view t = util::trim(line);
      Process* p = nullptr;
      for (auto& q : procs) {
        if (q.pid.empty()) {
          p = &q;
        }
      }
      bool open = p && p->current;
      bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
      if (t.empty() && open) {
        msg = t;
      } else if (!indented && is_known_header(t)) {
        msg = t;
      } else if (open && indented && !t.empty()) {
        msg = line;
      } else {
        if (p) {
          p->current.reset();
        }
        continue;
      }
    }

    Process* pp = find_process(pid);
    if (!pp) {
      continue;
    }
    Process& proc = *pp;
    std::string_view t = util::trim(msg);
    if (t.empty()) {
      // The blank line that ends an error's stack (further blocks of the same error may follow).
      if (proc.current) {
        Error& e = errors[*proc.current];
        e.open_stack = false;
        if (e.has_frames()) {
          e.closed = true;
        }
      }
      continue;
    }
    bool indented = msg[0] == ' ' || msg[0] == '\t';
    if (!indented) {
      proc.current.reset();
      re2::StringPiece in(t.data(), t.size());
      std::string thread;
      if (t.starts_with("Thread ") && RE2::FullMatch(in, thread_re, &thread)) {
        proc.next_thread = thread;
        continue;
      }
      if (is_ignored_header(t) || errors.size() >= k_max_errors) {
        continue;
      }
      Error e;
      e.pid = std::string(pid);
      e.first = e.last = i;
      e.header = std::string(t);
      e.thread = proc.next_thread;
      int signo = 0;
      std::string sig;
      if (t.starts_with("Process terminating") &&
          RE2::PartialMatch(in, terminating, &signo, &sig)) {
        e.fatal = true;
        e.signo = signo;
        e.sig = sig;
      } else {
        e.code = error_code(t);
      }
      errors.push_back(std::move(e));
      proc.current = errors.size() - 1;
      continue;
    }
    if (!proc.current) {
      continue;
    }
    Error& e = errors[*proc.current];
    if (t.starts_with("at 0x") || t.starts_with("by 0x")) {
      auto f = parse_frame(t);
      if (!f) {
        continue;
      }
      e.last = i;
      e.last_frame_line = i;
      e.closed = false;
      bool at = t[0] == 'a';
      if (at || !e.open_stack || e.stacks.empty()) {
        if (e.stacks.size() >= k_max_stacks) {
          e.capped = true;
          e.open_stack = false;
          continue;
        }
        Stack s;
        s.role = e.stacks.empty() ? std::string() : e.pending_role;
        if (!e.stacks.empty() && s.role.empty()) {
          s.role = "other";
        }
        e.stacks.push_back(std::move(s));
        e.pending_role.clear();
        e.open_stack = true;
      }
      auto& frames = e.stacks.back().frames;
      if (frames.size() < k_max_frames) {
        frames.push_back(std::move(*f));
      } else {
        e.capped = true;
      }
      continue;
    }
    // A description line inside the error.
    e.last = i;
    e.open_stack = false;
    e.pending_role.clear();
    re2::StringPiece in(t.data(), t.size());
    std::string addr;
    bool not_heap = t.find("not stack'd") != std::string_view::npos;
    if (!not_heap && t.ends_with("free'd")) {
      e.pending_role = "freed";
    } else if ((!not_heap && t.ends_with("alloc'd")) || t.starts_with("Block was alloc'd") ||
               t.find("was created by") != std::string_view::npos) {
      e.pending_role = "allocated";
    } else if (t.find("conflicts with a previous") != std::string_view::npos) {
      e.pending_role = "previous_access";
    }
    if (t.starts_with("Access not within") || t.starts_with("Bad permissions") ||
        t.starts_with("General Protection Fault") ||
        t.starts_with("Non-existent physical address")) {
      e.access = std::string(t);
    }
    if (!e.fault && (t.starts_with("Address 0x") || !e.access.empty()) &&
        RE2::PartialMatch(in, address_re, &addr)) {
      e.fault = util::parse_hex(addr);
    }
  }

  // Which errors become sections: the processes that died report their death only.
  std::vector<std::string> fatal_pids;
  for (const auto& e : errors) {
    if (e.fatal && e.has_frames() &&
        std::find(fatal_pids.begin(), fatal_pids.end(), e.pid) == fatal_pids.end()) {
      fatal_pids.push_back(e.pid);
    }
  }
  // The last non-fatal error of each dying process before its death.
  std::vector<const Error*> previous_of(fatal_pids.size(), nullptr);
  size_t emitted = 0;
  for (Error& e : errors) {
    if (!e.has_frames()) {
      continue;
    }
    auto it = std::find(fatal_pids.begin(), fatal_pids.end(), e.pid);
    const Error* previous = nullptr;
    if (it != fatal_pids.end()) {
      const Error*& slot = previous_of[static_cast<size_t>(it - fatal_pids.begin())];
      if (!e.fatal) {
        slot = &e;
        continue;
      }
      previous = slot;
      slot = nullptr;
    }
    if (emitted >= k_max_sections && !e.fatal) {
      continue;
    }
    ++emitted;
    Section sec;
    sec.format = "valgrind";
    sec.role = Role::report;
    sec.first = e.first;
    sec.last = e.last;
    model::Crash& c = sec.crash;
    c.fault_address = e.fault;
    if (e.fatal) {
      c.kind = e.sig == "SIGABRT" ? model::Kind::abort : model::Kind::signal;
      c.exception_code = e.sig;
      c.signal = e.signo;
      c.exception_name = std::string(signal_description(e.sig));
      if (previous) {
        c.error_message = previous->header;
      } else {
        c.error_message = e.access;
      }
    } else {
      c.kind = model::Kind::sanitizer;
      c.exception_code = e.code;
      c.error_message = e.header;
    }
    for (size_t s = 0; s < e.stacks.size(); ++s) {
      model::Thread t;
      t.role = e.stacks[s].role;
      t.frames = std::move(e.stacks[s].frames);
      if (s == 0) {
        t.id = e.thread;
        t.crashing = true;
      }
      for (size_t f = 0; f < t.frames.size(); ++f) {
        t.frames[f].index = static_cast<int>(f);
        // Valgrind prints an inlined function with the address of the frame it is inlined into.
        if (f + 1 < t.frames.size() && t.frames[f].address == t.frames[f + 1].address) {
          t.frames[f].inlined = true;
        }
      }
      c.threads.push_back(std::move(t));
    }
    if (e.fatal && previous) {
      // The error just before the death, usually its cause (the terminate() of a destructor, the
      // invalid read that then faults): kept as context for the reader and the triage.
      model::Thread t;
      t.role = "previous_error";
      t.id = previous->thread;
      t.frames = previous->stacks.front().frames;
      for (size_t f = 0; f < t.frames.size(); ++f) {
        t.frames[f].index = static_cast<int>(f);
      }
      c.threads.push_back(std::move(t));
    }
    if (e.capped || (!e.closed && e.last_frame_line >= last_content)) {
      c.add_problem(model::problem::truncated); // the text ends inside a stack
    }
    out.push_back(std::move(sec));
  }
}

} // namespace crashpilot::parse
