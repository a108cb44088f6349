// SPDX-License-Identifier: MIT
#pragma once

// One function per subcommand. Each returns the process exit code (exit_codes below).

#include <cli/options.hpp>
#include <config/config.hpp>

namespace crashpilot::cli {

namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int failure = 1;       // the command could not do its job (I/O, internal error)
inline constexpr int usage = 2;         // bad arguments or configuration
inline constexpr int no_crash = 3;      // triage, ingest: some input held no crash report
inline constexpr int not_found = 4;     // no such request or bucket; claim: nothing to claim
inline constexpr int rejected = 5;      // queue check: the response was rejected
inline constexpr int crash_loop = 6;    // run: the same crash kept repeating; restarts stopped
inline constexpr int agent_failed = 7;  // analyze: an agent failed or timed out
inline constexpr int interrupted = 130; // analyze: stopped by SIGINT/SIGTERM
} // namespace exit_code

int run_triage(const Invocation& inv, const config::Config& config);
int run_config(const Invocation& inv, const config::Config& config);
int run_ingest(const Invocation& inv, const config::Config& config);
int run_watch(const Invocation& inv, const config::Config& config);
int run_queue(const Invocation& inv, const config::Config& config);
int run_crashes(const Invocation& inv, const config::Config& config);
int run_stats(const Invocation& inv, const config::Config& config);
int run_schema(const Invocation& inv, const config::Config& config);
int run_mcp(const Invocation& inv, const config::Config& config);
int run_analyze(const Invocation& inv, const config::Config& config);
// Runs before any configuration is loaded: it writes the configuration.
int run_init(const Invocation& inv);

// crashpilot's version ("0.1.0"), for commands that report it (mcp's serverInfo).
const char* version();
int run_run(const Invocation& inv, const config::Config& config);
int run_apply(const Invocation& inv, const config::Config& config);
int run_demo(const Invocation& inv, const config::Config& config);
int run_snapshot(const Invocation& inv, const config::Config& config);
int run_symbolize(const Invocation& inv, const config::Config& config);

} // namespace crashpilot::cli
