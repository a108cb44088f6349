// SPDX-License-Identifier: MIT
#pragma once

// A minimal expected<T, std::string>. Why hand-written: tl::expected is not packaged in Debian
// bookworm, and libstdc++ 12's std::expected needs -std=c++23 and does not build with Debian's
// clang 14, which the libFuzzer target needs. Errors are user-facing messages.

#include <string>
#include <utility>
#include <variant>

namespace crashpilot::util {

struct Unexpected {
  std::string message;
};

inline Unexpected error(std::string message) { return Unexpected{std::move(message)}; }

template <typename T>
class [[nodiscard]] Expected {
public:
  Expected(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
  Expected(Unexpected e) : m_v(std::in_place_index<1>, std::move(e.message)) {}

  bool has_value() const { return m_v.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(m_v); }
  const T& value() const& { return std::get<0>(m_v); }
  T&& value() && { return std::get<0>(std::move(m_v)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<1>(m_v); }

private:
  std::variant<T, std::string> m_v;
};

template <>
class [[nodiscard]] Expected<void> {
public:
  Expected() = default;
  Expected(Unexpected e) : m_error(std::move(e.message)), m_failed(true) {}
  bool has_value() const { return !m_failed; }
  explicit operator bool() const { return has_value(); }
  const std::string& error() const { return m_error; }

private:
  std::string m_error;
  bool m_failed = false;
};

} // namespace crashpilot::util
