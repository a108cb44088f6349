// SPDX-License-Identifier: MIT
#pragma once

// The fallback where ptrace is not allowed: the kernel writes a core (RLIMIT_CORE raised for the
// server), we find it through /proc/sys/kernel/core_pattern and symbolize it. A piped pattern
// (systemd-coredump, apport) keeps the core out of reach: the incident then says so.

#include <capture/incident.hpp>
#include <capture/snapshot.hpp>

#include <optional>
#include <string>

namespace crashpilot::capture {

// Where the core of `process` (dead at `when`) should be, from core_pattern and core_uses_pid;
// nullopt with `why` set when the pattern pipes it to a program or names no file.
std::optional<std::string> expected_core_path(const ProcessInfo& process,
                                              const std::string& pattern, bool uses_pid,
                                              std::string& why);

// Finds the incident's core and fills incident.snapshot (or snapshot_error) from it.
void core_snapshot(Incident& incident, const SnapshotOptions& options);

// Unwinds and symbolizes a core file: the same Snapshot a live capture gives. `info` receives what
// the core's notes say about the signal, when given.
util::Expected<Snapshot> snapshot_from_core(const std::string& core, const std::string& exe,
                                            const SnapshotOptions& options,
                                            symbolize::CoreInfo* info = nullptr);

} // namespace crashpilot::capture
