// SPDX-License-Identifier: MIT
#pragma once

// Human output: colours only on a terminal (and never with NO_COLOR or --no-color).

#include <string>
#include <string_view>

namespace crashpilot::cli {

class Terminal {
public:
  Terminal(bool stdout_is_tty, bool color_allowed);
  static Terminal detect(bool color_allowed);

  bool is_tty() const { return m_tty; }
  std::string bold(std::string_view s) const;
  std::string dim(std::string_view s) const;
  std::string red(std::string_view s) const;
  std::string yellow(std::string_view s) const;
  std::string green(std::string_view s) const;
  std::string cyan(std::string_view s) const;
  // Colour by severity name: CRITICAL red, HIGH yellow, others plain.
  std::string severity(std::string_view s) const;

private:
  std::string wrap(std::string_view code, std::string_view s) const;
  bool m_tty;
  bool m_color;
};

// Prints "crashpilot: error: <message>" on stderr.
void print_error(std::string_view message);
void print_warning(std::string_view message);

} // namespace crashpilot::cli
