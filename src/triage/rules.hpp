// SPDX-License-Identifier: MIT
#pragma once

// Triage rules compiled from the configuration ([triage] in crashpilot.toml and the presets). Every
// pattern is an RE2 regular expression; a broken one is reported with its key and position.

#include <config/config.hpp>
#include <model/crash.hpp>
#include <util/expected.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace crashpilot::triage {

// A list of patterns; matches when any of them does.
class PatternList {
public:
  PatternList();
  PatternList(PatternList&&) noexcept;
  PatternList& operator=(PatternList&&) noexcept;
  ~PatternList();

  static util::Expected<PatternList> compile(const std::vector<std::string>& patterns, std::string_view key);
  bool matches(std::string_view text) const;
  // The pattern that matched, for evidence; "" when none did.
  std::string first_match(std::string_view text) const;
  bool empty() const { return m_patterns.empty(); }

private:
  std::vector<std::unique_ptr<re2::RE2>> m_patterns;
};

struct CategoryRule {
  std::string name;
  std::vector<model::Kind> kinds; // empty = any kind
  PatternList code;               // over "exception_code exception_name error_message"
  PatternList frames;             // over the crashing thread's function names
  PatternList any_thread_frames;  // over every thread's function names
  PatternList text;               // over the assertion text, error message and frame arguments
  bool null_fault = false;
};

struct Rules {
  size_t signature_frames = 3;
  double similarity_threshold = 0.8;
  PatternList skip_functions;
  PatternList skip_modules;
  PatternList skip_files;
  PatternList accessor_functions;
  PatternList assert_helpers;
  PatternList watchdog_functions;
  PatternList hang_functions;
  std::vector<std::string> crash_stack_formats;
  std::vector<std::string> root_markers;
  uint64_t null_page_limit = 65536;

  PatternList bot_functions;
  PatternList bot_files;
  PatternList bot_messages;
  size_t bot_frames_checked = 6;

  std::vector<CategoryRule> categories;
  std::string default_severity = "HIGH";
  std::map<std::string, std::string> severity_by_category;

  static util::Expected<Rules> from_config(const config::Config& config);
};

} // namespace crashpilot::triage
