// SPDX-License-Identifier: MIT
#pragma once

// Checking that a file is a whole core dump, and reading what its notes say about the crash.

#include <util/expected.hpp>

#include <libelf.h>
#include <symbolize/session.hpp>

#include <cstdint>
#include <string>

namespace crashpilot::symbolize {

struct CoreNotes {
  CoreInfo info;
  uint64_t entry = 0;        // AT_ENTRY from NT_AUXV: the main executable is the module holding it
  bool native_layout = true; // false: a core of another machine; only the generic fields are read
};

// An error that says what is wrong when `elf` (opened from `path`, `file_size` bytes) is not an ELF
// file, not a core dump, or a core cut short (RLIMIT_CORE, a full disk, an interrupted dump).
util::Expected<void> check_core(Elf* elf, const std::string& path, uint64_t file_size);

// NT_PRSTATUS (the first is the crashing thread), NT_SIGINFO, NT_PRPSINFO, NT_AUXV.
util::Expected<CoreNotes> read_core_notes(Elf* elf, const std::string& path);

} // namespace crashpilot::symbolize
