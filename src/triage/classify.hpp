// SPDX-License-Identifier: MIT
#pragma once

// Category, severity and bot-relatedness, all from configured rules.

#include <model/crash.hpp>
#include <triage/frames.hpp>
#include <triage/rules.hpp>

#include <string>
#include <vector>

namespace crashpilot::triage {

// The first category rule whose conditions all hold; "UNKNOWN" when none does.
std::string categorize(const model::Crash& crash, const Rules& rules);

std::string severity_for(const std::string& category, const Rules& rules);

struct BotVerdict {
  bool related = false;
  std::vector<std::string> evidence; // "frame #3 PlayerbotAI::Attack matches (?i)playerbot"
};

// Looks at the meaningful frame and the frames after it (bot_frames_checked of them), their source
// paths, and the assertion's message — never at other threads, whose bot code is merely running.
BotVerdict detect_bot(const model::Crash& crash, const MeaningfulFrame& meaningful, const Rules& rules);

} // namespace crashpilot::triage
