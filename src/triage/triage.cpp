// SPDX-License-Identifier: MIT
#include <triage/triage.hpp>

#include <triage/classify.hpp>
#include <triage/frames.hpp>
#include <triage/hypothesis.hpp>
#include <triage/signature.hpp>

#include <util/string.hpp>

#include <algorithm>

namespace crashpilot::triage {

namespace {

bool top_frames_match(const model::Crash& crash, const PatternList& patterns, size_t depth) {
  const auto& frames = crash.crashing_frames();
  for (size_t i = 0; i < frames.size() && i < depth; ++i) {
    if (is_symbolized(frames[i]) &&
        (patterns.matches(frames[i].function) || patterns.matches(normalize_function(frames[i].function)))) {
      return true;
    }
  }
  return false;
}

// What the text did not say outright: a crash raised inside a freeze detector's watchdog is a freeze,
// whatever signal delivered it; a stack with no signal that waits on a lock is a hang; a bare
// debugger backtrace with neither is, as posted, a crash.
void refine_kind(model::Crash& crash, const Rules& rules) {
  if (crash.kind == model::Kind::freeze) {
    return;
  }
  if (!rules.watchdog_functions.empty() && top_frames_match(crash, rules.watchdog_functions, 12)) {
    crash.kind = model::Kind::freeze;
    return;
  }
  if (crash.kind != model::Kind::unknown || crash.crashing_frames().empty()) {
    return;
  }
  if (top_frames_match(crash, rules.hang_functions, 4)) {
    crash.kind = model::Kind::freeze;
    return;
  }
  bool stack_format = std::any_of(crash.formats.begin(), crash.formats.end(), [&](const std::string& f) {
    return std::find(rules.crash_stack_formats.begin(), rules.crash_stack_formats.end(), f) != rules.crash_stack_formats.end();
  });
  if (stack_format && crash.exception_code.empty()) {
    crash.kind = model::Kind::signal;
  }
}

std::string quality_of(const model::Crash& crash) {
  std::vector<std::string> limits;
  for (std::string_view p : {model::problem::no_frames, model::problem::truncated, model::problem::unsymbolized,
                             model::problem::insufficient_frames}) {
    if (crash.has_problem(p)) {
      limits.emplace_back(p);
    }
  }
  return limits.empty() ? "good" : util::join(limits, ", ");
}

} // namespace

void triage(model::Crash& crash, const Rules& rules) {
  refine_kind(crash, rules);
  MeaningfulFrame m = find_meaningful_frame(crash, rules);
  crash.meaningful_frame = m.index;
  crash.crash_function = m.function;
  crash.crash_location = m.location;

  size_t usable = 0;
  for (int i : meaningful_frame_indices(crash, rules, std::max(m.index, 0))) {
    usable += is_symbolized(crash.crashing_frames()[static_cast<size_t>(i)]) ? 1u : 0u;
  }
  if (!m.assertion_site && usable < 2 && !crash.has_problem(model::problem::no_frames)) {
    crash.add_problem(model::problem::insufficient_frames);
  }

  crash.signature = compute_signature(crash, m, rules);
  crash.crash_id = crash.signature.id;
  crash.crash_category = categorize(crash, rules);
  crash.severity = severity_for(crash.crash_category, rules);
  BotVerdict bot = detect_bot(crash, m, rules);
  crash.is_bot_related = bot.related;
  crash.bot_evidence = std::move(bot.evidence);
  if (crash.error_message.empty()) {
    crash.error_message = crash.exception_name.empty() ? crash.exception_code : crash.exception_name;
  }
  Hypothesis h = write_hypothesis(crash, m, rules);
  crash.root_cause_hypothesis = std::move(h.text);
  crash.fix_suggestions = std::move(h.suggestions);
  if (crash.is_bot_related) {
    crash.fix_suggestions.push_back("Bot code is on the crashing path (" + crash.bot_evidence.front() +
                                    "): prefer a fix in the bot module over the core.");
  }
  crash.quality = quality_of(crash);
}

} // namespace crashpilot::triage
