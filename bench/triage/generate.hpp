// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>

namespace crashpilot::bench {

// A WheatyExceptionReport of about `bytes` bytes: x64 header, registers, one call-stack block per
// thread (the faulting one first), then the locals pass, as TrinityCore's handler writes it (CRLF).
std::string wheaty_all_threads(size_t bytes);

// A server log of about `bytes` bytes (TrinityCore-style lines with timestamps) with one TrinityCore
// assertion and a gdb backtrace in the middle.
std::string log_with_report(size_t bytes);

} // namespace crashpilot::bench
