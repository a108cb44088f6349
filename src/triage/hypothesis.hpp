// SPDX-License-Identifier: MIT
#pragma once

// A root-cause hypothesis and fix suggestions written only from facts in the report: the meaningful
// frame and its caller, argument values (`this=0x0`), the fault address, the sanitizer's free and
// allocation stacks, the assertion's condition, the threads waiting for locks. Nothing is guessed
// that the report does not show; where it shows too little, the text says so.

#include <model/crash.hpp>
#include <triage/frames.hpp>
#include <triage/rules.hpp>

#include <string>
#include <vector>

namespace crashpilot::triage {

struct Hypothesis {
  std::string text;
  std::vector<std::string> suggestions;
};

Hypothesis write_hypothesis(const model::Crash& crash, const MeaningfulFrame& meaningful, const Rules& rules);

} // namespace crashpilot::triage
