// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <logs/classifier.hpp>

namespace crashpilot::logs {

Level raise_level(Level from_prefix, unsigned tags) {
  if ((tags & tag_error) && from_prefix < Level::error) {
    return Level::error;
  }
  if ((tags & tag_warn) && from_prefix < Level::warn) {
    return Level::warn;
  }
  return from_prefix;
}

util::Expected<Classifier> Classifier::create(const PatternSet& patterns) {
  std::vector<TaggedPattern> tagged;
  for (size_t i = 0; i < patterns.error.size(); ++i) {
    tagged.push_back({patterns.error[i], tag_error, fmt::format("logs.error_patterns[{}]", i)});
  }
  for (size_t i = 0; i < patterns.warn.size(); ++i) {
    tagged.push_back({patterns.warn[i], tag_warn, fmt::format("logs.warn_patterns[{}]", i)});
  }
  tagged.push_back({patterns.freeze, tag_freeze, "logs.freeze_regex"});
  tagged.push_back({patterns.heartbeat, tag_heartbeat, "logs.heartbeat_regex"});
  auto matcher = Matcher::compile(tagged);
  if (!matcher) {
    return util::error(matcher.error());
  }
  Classifier c;
  c.m_matcher = std::move(*matcher);
  return c;
}

Classification Classifier::classify(std::string_view line, LocalClock& clock) const {
  Classification out;
  out.prefix = parse_prefix(line, clock);
  out.tags = m_matcher.tags(line);
  out.level = raise_level(out.prefix.level, out.tags);
  return out;
}

} // namespace crashpilot::logs
