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

namespace {
struct SignalEntry {
  int number;
  std::string_view name;
  std::string_view description;
};
// x86-64 / arm64 Linux numbering, descriptions as glibc's strsignal() prints them.
constexpr SignalEntry k_signals[] = {
    {1, "SIGHUP", "Hangup"},
    {2, "SIGINT", "Interrupt"},
    {3, "SIGQUIT", "Quit"},
    {4, "SIGILL", "Illegal instruction"},
    {5, "SIGTRAP", "Trace/breakpoint trap"},
    {6, "SIGABRT", "Aborted"},
    {7, "SIGBUS", "Bus error"},
    {8, "SIGFPE", "Floating point exception"},
    {9, "SIGKILL", "Killed"},
    {10, "SIGUSR1", "User defined signal 1"},
    {11, "SIGSEGV", "Segmentation fault"},
    {12, "SIGUSR2", "User defined signal 2"},
    {13, "SIGPIPE", "Broken pipe"},
    {14, "SIGALRM", "Alarm clock"},
    {15, "SIGTERM", "Terminated"},
    {16, "SIGSTKFLT", "Stack fault"},
    {17, "SIGCHLD", "Child exited"},
    {18, "SIGCONT", "Continued"},
    {19, "SIGSTOP", "Stopped (signal)"},
    {20, "SIGTSTP", "Stopped"},
    {21, "SIGTTIN", "Stopped (tty input)"},
    {22, "SIGTTOU", "Stopped (tty output)"},
    {23, "SIGURG", "Urgent I/O condition"},
    {24, "SIGXCPU", "CPU time limit exceeded"},
    {25, "SIGXFSZ", "File size limit exceeded"},
    {26, "SIGVTALRM", "Virtual timer expired"},
    {27, "SIGPROF", "Profiling timer expired"},
    {28, "SIGWINCH", "Window changed"},
    {29, "SIGIO", "I/O possible"},
    {30, "SIGPWR", "Power failure"},
    {31, "SIGSYS", "Bad system call"},
};
} // namespace

int signal_number(std::string_view name) {
  if (name == "SIGIOT") {
    return 6;
  }
  for (const auto& s : k_signals) {
    if (s.name == name) {
      return s.number;
    }
  }
  return 0;
}

std::string_view signal_name(int number) {
  for (const auto& s : k_signals) {
    if (s.number == number) {
      return s.name;
    }
  }
  return {};
}

std::string_view signal_description(std::string_view name) {
  for (const auto& s : k_signals) {
    if (s.name == name) {
      return s.description;
    }
  }
  return {};
}

} // namespace crashpilot::parse
