// SPDX-License-Identifier: MIT
#pragma once

// The fix loop's command-line side, shared by `run` and `demo`.

#include <cli/options.hpp>
#include <cli/terminal.hpp>
#include <cli/workspace.hpp>
#include <config/config.hpp>

#include <capture/settings.hpp>
#include <loop/loop.hpp>

#include <optional>
#include <string>

namespace crashpilot::cli {

capture::SettingsOverrides run_overrides(const Invocation& inv);
std::optional<loop::LoopSetup> loop_setup(const Invocation& inv, const config::Config& config,
                                          Workspace& ws, const std::string& mode,
                                          const std::string& agent, int& exit_code);
void print_loop_event(const Terminal& t, bool json, const loop::Event& e);
void print_loop_summary(const Terminal& t, bool json, const loop::LoopSummary& s);
int run_fix_loop(const Invocation& inv, const config::Config& config, const std::string& mode);
int run_status(const Invocation& inv, const config::Config& config);

} // namespace crashpilot::cli
