// SPDX-License-Identifier: MIT
#include <model/crash.hpp>

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <utility>

namespace crashpilot::model {

namespace {
constexpr std::array<std::pair<Kind, std::string_view>, 7> k_kind_names{{
    {Kind::unknown, "unknown"},
    {Kind::signal, "signal"},
    {Kind::exception, "exception"},
    {Kind::assertion, "assertion"},
    {Kind::sanitizer, "sanitizer"},
    {Kind::freeze, "freeze"},
    {Kind::abort, "abort"},
}};
const std::vector<Frame> k_no_frames;
} // namespace

std::string_view to_string(Kind kind) {
  for (const auto& [k, name] : k_kind_names) {
    if (k == kind) {
      return name;
    }
  }
  return "unknown";
}

Kind kind_from_string(std::string_view s) {
  for (const auto& [k, name] : k_kind_names) {
    if (name == s) {
      return k;
    }
  }
  return Kind::unknown;
}

const Thread* Crash::crashing_thread() const {
  for (const auto& t : threads) {
    if (t.crashing) {
      return &t;
    }
  }
  for (const auto& t : threads) {
    if (t.role.empty()) {
      return &t;
    }
  }
  return nullptr; // only auxiliary stacks (heap history, lock lists): no thread crashed in view
}

Thread* Crash::crashing_thread() {
  return const_cast<Thread*>(std::as_const(*this).crashing_thread());
}

const std::vector<Frame>& Crash::crashing_frames() const {
  const Thread* t = crashing_thread();
  return t ? t->frames : k_no_frames;
}

void Crash::add_problem(std::string_view code) {
  if (!has_problem(code)) {
    problems.emplace_back(code);
  }
}

bool Crash::has_problem(std::string_view code) const {
  return std::find(problems.begin(), problems.end(), code) != problems.end();
}

std::vector<std::string> call_stack_lines(const Crash& crash, size_t max_frames) {
  std::vector<std::string> out;
  for (const auto& f : crash.crashing_frames()) {
    if (out.size() >= max_frames) {
      break;
    }
    std::string name = f.function.empty() ? (f.address ? fmt::format("0x{:x}", *f.address) : "??")
                                          : f.function;
    if (!f.file.empty()) {
      out.push_back(fmt::format("{} @ {}:{}", name, f.file, f.line));
    } else if (!f.module.empty()) {
      out.push_back(fmt::format("{} in {}", name, f.module));
    } else {
      out.push_back(name);
    }
  }
  return out;
}

} // namespace crashpilot::model
