// SPDX-License-Identifier: MIT
#pragma once

// The symbolize tests' test program (tests/programs/symbolize_crash.cpp): where it is, the lines
// its SYMBOLIZE-LINE markers name, cores of it made with gdb, and frame lookups.

#include <model/crash.hpp>
#include <util/expected.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::symbolize::test {

std::string program();
std::string program_source();

// The line of `tests/programs/symbolize_crash.cpp` that carries "SYMBOLIZE-LINE <marker>".
int source_line(std::string_view marker);

bool have_gdb();
// Runs `exe args...` under gdb until it stops on a signal, then writes a core to `core` (gcore
// works whatever /proc/sys/kernel/core_pattern says).
util::Expected<void> make_core(const std::string& exe, const std::vector<std::string>& args,
                               const std::string& core);

// The first frame at or after `from` whose function contains `name`; -1 when none.
int find_frame(const model::Thread& thread, std::string_view name, int from = 0);
// The thread with a frame whose function contains `name`; nullptr when none.
const model::Thread* thread_with(const std::vector<model::Thread>& threads, std::string_view name);
// "#0 [inline] f file:line" per frame, for failure messages.
std::string dump(const model::Thread& thread);

} // namespace crashpilot::symbolize::test
