// SPDX-License-Identifier: MIT
#pragma once

// The logs bound to a crash, in the seed's request shape (model::LogContext):
//   errors_before_crash / warnings_before_crash: the last error and warning lines of every source,
//     each with its timestamp (the line's own, else its arrival);
//   server_log_context: the last lines of sources with role "server" (the server's log and its
//     stdout/stderr); playerbot_log_context: the last lines of sources with role "playerbot".
// Always the LAST lines before the crash, oldest first (the seed's prototype sent the first ones).
// A line carried by two sources (the server prints to stdout and to Server.log; Server.log and
// Playerbot.log may be one stream) is kept once: from a playerbot log rather than a server log,
// from a file rather than a pipe.

#include <model/log_context.hpp>

#include <logs/follower.hpp>
#include <logs/line.hpp>
#include <logs/options.hpp>

#include <chrono>
#include <vector>

namespace crashpilot::logs {

// Lines count as before the crash when they arrived up to this long after it (the follower reads
// a few milliseconds behind, and a crash handler prints after the signal) and their own
// timestamp, when they have a believable one, is not after it.
inline constexpr std::chrono::milliseconds k_late_arrival{2000};

model::LogContext crash_context(const Follower& follower, TimePoint crash_time,
                                const ContextOptions& options);
model::LogContext crash_context(const Follower& follower, TimePoint crash_time);

// The same from lines already copied out (Follower::snapshot()), with the sources they came from.
model::LogContext crash_context(std::vector<Line> lines, const std::vector<SourceSpec>& sources,
                                TimePoint crash_time, const ContextOptions& options);

// "2026-11-24T02:15:02Z", with milliseconds when the time has them.
std::string iso_utc(TimePoint t);

} // namespace crashpilot::logs
