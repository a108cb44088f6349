// SPDX-License-Identifier: MIT
#pragma once

// A line's level: the logger's own level word when it wrote one (prefix.hpp), raised by the
// configured patterns, so "INFO [sql.sql] [ERROR]: ..." counts as an error and a bare
// "⚠️ Strategy 'rest' has ZERO relevance" as a warning. The same pass reports whether the line
// is the heartbeat or the server's freeze detector firing.

#include <util/expected.hpp>

#include <logs/matcher.hpp>
#include <logs/prefix.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::logs {

enum Tag : unsigned {
  tag_error = 1u << 0,
  tag_warn = 1u << 1,
  tag_freeze = 1u << 2,
  tag_heartbeat = 1u << 3,
};

struct PatternSet {
  std::vector<std::string> error; // [logs] error_patterns
  std::vector<std::string> warn;  // [logs] warn_patterns
  std::string freeze;             // [logs] freeze_regex
  std::string heartbeat;          // the source's heartbeat regex
};

// The level a line ends with: its prefix level, raised to error / warn by matching patterns.
Level raise_level(Level from_prefix, unsigned tags);

struct Classification {
  Prefix prefix;
  Level level = Level::unknown;
  unsigned tags = 0;
};

class Classifier {
public:
  static util::Expected<Classifier> create(const PatternSet& patterns);

  // One line (no newline). Uses the matcher's scratch space: one thread at a time.
  Classification classify(std::string_view line, LocalClock& clock) const;
  const Matcher& matcher() const { return m_matcher; }

private:
  Matcher m_matcher;
};

} // namespace crashpilot::logs
