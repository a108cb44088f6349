// SPDX-License-Identifier: MIT
#include <logs/level.hpp>

namespace crashpilot::logs {

std::string_view to_string(Level level) {
  switch (level) {
  case Level::unknown:
    return "unknown";
  case Level::trace:
    return "trace";
  case Level::debug:
    return "debug";
  case Level::info:
    return "info";
  case Level::warn:
    return "warn";
  case Level::error:
    return "error";
  case Level::fatal:
    return "fatal";
  }
  return "unknown";
}

namespace {
// Up to eight lower-case letters in one integer, first letter lowest.
constexpr uint64_t pack(std::string_view w) {
  uint64_t key = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    key |= static_cast<uint64_t>(static_cast<unsigned char>(w[i])) << (8 * i);
  }
  return key;
}
} // namespace

std::optional<Level> level_from_word(std::string_view word) {
  // Every line comes through here: the word becomes one integer and a switch finds it.
  if (word.size() < 3 || word.size() > 8) {
    return std::nullopt;
  }
  uint64_t key = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    auto c = static_cast<unsigned char>(word[i]);
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      return std::nullopt;
    }
    key |= static_cast<uint64_t>(c | 0x20) << (8 * i);
  }
  return level_from_packed(key);
}

std::optional<Level> level_from_packed(uint64_t key) {
  switch (key) {
  case pack("trace"):
    return Level::trace;
  case pack("debug"):
    return Level::debug;
  case pack("info"):
  case pack("notice"):
    return Level::info;
  case pack("warn"):
  case pack("warning"):
    return Level::warn;
  case pack("error"):
  case pack("err"):
    return Level::error;
  case pack("fatal"):
  case pack("critical"):
  case pack("crit"):
  case pack("alert"):
  case pack("emerg"):
  case pack("panic"):
    return Level::fatal;
  default:
    return std::nullopt;
  }
}

std::optional<Level> level_from_name(std::string_view name) {
  for (Level l : {Level::unknown, Level::trace, Level::debug, Level::info, Level::warn,
                  Level::error, Level::fatal}) {
    if (name == to_string(l)) {
      return l;
    }
  }
  return std::nullopt;
}

} // namespace crashpilot::logs
