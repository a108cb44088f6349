// SPDX-License-Identifier: MIT
#include <triage/classify.hpp>

#include <algorithm>
#include <fmt/format.h>

namespace crashpilot::triage {

namespace {

bool any_frame(const std::vector<model::Frame>& frames, const PatternList& patterns) {
  return std::any_of(frames.begin(), frames.end(), [&](const model::Frame& f) {
    return is_symbolized(f) && (patterns.matches(normalize_function(f.function)) || patterns.matches(f.function));
  });
}

std::string facts_text(const model::Crash& crash) {
  std::string text = crash.error_message;
  if (crash.assertion) {
    text += "\n" + crash.assertion->condition + "\n" + crash.assertion->message;
  }
  const auto& frames = crash.crashing_frames();
  for (size_t i = 0; i < frames.size() && i < 16; ++i) {
    if (!frames[i].arguments.empty()) {
      text += "\n" + frames[i].arguments;
    }
  }
  return text;
}

} // namespace

std::string categorize(const model::Crash& crash, const Rules& rules) {
  std::string code = fmt::format("{} {} {}", crash.exception_code, crash.exception_name, crash.error_message);
  std::string text;
  bool text_ready = false;
  for (const auto& rule : rules.categories) {
    if (!rule.kinds.empty() && std::find(rule.kinds.begin(), rule.kinds.end(), crash.kind) == rule.kinds.end()) {
      continue;
    }
    if (!rule.code.empty() && !rule.code.matches(code)) {
      continue;
    }
    if (rule.null_fault && !(crash.fault_address && *crash.fault_address < rules.null_page_limit)) {
      continue;
    }
    if (!rule.frames.empty() && !any_frame(crash.crashing_frames(), rule.frames)) {
      continue;
    }
    if (!rule.any_thread_frames.empty() &&
        std::none_of(crash.threads.begin(), crash.threads.end(),
                     [&](const model::Thread& t) { return any_frame(t.frames, rule.any_thread_frames); })) {
      continue;
    }
    if (!rule.text.empty()) {
      if (!text_ready) {
        text = facts_text(crash);
        text_ready = true;
      }
      if (!rule.text.matches(text)) {
        continue;
      }
    }
    return rule.name;
  }
  return "UNKNOWN";
}

std::string severity_for(const std::string& category, const Rules& rules) {
  auto it = rules.severity_by_category.find(category);
  return it != rules.severity_by_category.end() ? it->second : rules.default_severity;
}

BotVerdict detect_bot(const model::Crash& crash, const MeaningfulFrame& meaningful, const Rules& rules) {
  BotVerdict v;
  const auto& frames = crash.crashing_frames();
  auto check_frame = [&](size_t i) {
    const model::Frame& f = frames[i];
    if (is_symbolized(f)) {
      std::string name = normalize_function(f.function);
      if (auto p = rules.bot_functions.first_match(name); !p.empty()) {
        v.evidence.push_back(fmt::format("frame #{} {} matches {}", i, name, p));
      }
    }
    if (!f.file.empty()) {
      if (auto p = rules.bot_files.first_match(f.file); !p.empty()) {
        v.evidence.push_back(fmt::format("frame #{} file {} matches {}", i, f.file, p));
      }
    }
  };
  if (meaningful.index >= 0) {
    size_t checked = 0;
    for (int i : meaningful_frame_indices(crash, rules, meaningful.index)) {
      if (checked++ >= rules.bot_frames_checked) {
        break;
      }
      check_frame(static_cast<size_t>(i));
    }
  }
  if (crash.assertion) {
    const auto& a = *crash.assertion;
    if (auto p = rules.bot_files.first_match(a.file); !a.file.empty() && !p.empty()) {
      v.evidence.push_back(fmt::format("assertion file {} matches {}", a.file, p));
    }
    if (auto p = rules.bot_functions.first_match(a.function); !a.function.empty() && !p.empty()) {
      v.evidence.push_back(fmt::format("assertion function {} matches {}", a.function, p));
    }
    if (auto p = rules.bot_messages.first_match(a.message); !a.message.empty() && !p.empty()) {
      v.evidence.push_back(fmt::format("assertion message matches {}", p));
    }
  }
  if (!crash.error_message.empty()) {
    if (auto p = rules.bot_messages.first_match(crash.error_message); !p.empty()) {
      v.evidence.push_back(fmt::format("error message matches {}", p));
    }
  }
  v.related = !v.evidence.empty();
  return v;
}

} // namespace crashpilot::triage
