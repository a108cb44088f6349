// SPDX-License-Identifier: MIT
#pragma once

// The triage stage: fills a parsed (or captured) crash's analysis fields — meaningful frame,
// crash_function / crash_location, signature, category, severity, bot-relatedness, hypothesis, fix
// suggestions and a quality verdict — from the configured rules.

#include <model/crash.hpp>
#include <triage/rules.hpp>

namespace crashpilot::triage {

void triage(model::Crash& crash, const Rules& rules);

} // namespace crashpilot::triage
