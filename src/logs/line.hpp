// SPDX-License-Identifier: MIT
#pragma once

// One log line as the follower keeps it.

#include <logs/level.hpp>
#include <logs/prefix.hpp>

#include <cstdint>
#include <string>

namespace crashpilot::logs {

struct Line {
  std::string text;   // valid UTF-8, no newline, no terminal escape sequences, capped
  std::string source; // the source's name
  Level level = Level::unknown;
  TimePoint time;    // the line's own timestamp when it has one, else `arrival`
  TimePoint arrival; // when the follower read it
  bool own_time = false;
  uint64_t seq = 0;     // reading order across all sources of one follower
  uint32_t body = 0;    // offset in `text` after the timestamp
  uint32_t message = 0; // offset in `text` after the timestamp and the level word
};

} // namespace crashpilot::logs
