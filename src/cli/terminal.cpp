// SPDX-License-Identifier: MIT
#include <cli/terminal.hpp>

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

namespace crashpilot::cli {

Terminal::Terminal(bool stdout_is_tty, bool color_allowed)
    : m_tty(stdout_is_tty), m_color(stdout_is_tty && color_allowed) {}

Terminal Terminal::detect(bool color_allowed) {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  bool allowed =
      color_allowed && !(no_color && *no_color) && !(term && std::string_view(term) == "dumb");
  return Terminal(::isatty(STDOUT_FILENO) == 1, allowed);
}

std::string Terminal::wrap(std::string_view code, std::string_view s) const {
  return m_color ? fmt::format("\033[{}m{}\033[0m", code, s) : std::string(s);
}
std::string Terminal::bold(std::string_view s) const {
  return wrap("1", s);
}
std::string Terminal::dim(std::string_view s) const {
  return wrap("2", s);
}
std::string Terminal::red(std::string_view s) const {
  return wrap("31", s);
}
std::string Terminal::yellow(std::string_view s) const {
  return wrap("33", s);
}
std::string Terminal::green(std::string_view s) const {
  return wrap("32", s);
}
std::string Terminal::cyan(std::string_view s) const {
  return wrap("36", s);
}

std::string Terminal::severity(std::string_view s) const {
  if (s == "CRITICAL") {
    return wrap("1;31", s);
  }
  if (s == "HIGH") {
    return yellow(s);
  }
  return std::string(s);
}

void print_error(std::string_view message) {
  fmt::print(stderr, "crashpilot: error: {}\n", message);
}
void print_warning(std::string_view message) {
  fmt::print(stderr, "crashpilot: warning: {}\n", message);
}

} // namespace crashpilot::cli
