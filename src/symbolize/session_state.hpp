// SPDX-License-Identifier: MIT
#pragma once

// What a Session owns. Behind a pointer because libdwfl keeps the addresses of the callbacks, the
// debuginfo path and the callback context: a move of the Session must not move them.

#include <util/fd.hpp>

#include <elfutils/libdwfl.h>
#include <symbolize/callbacks.hpp>
#include <symbolize/session.hpp>
#include <symbolize/symbolizer.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crashpilot::symbolize {

struct Session::State {
  CallbackContext context;
  std::string debuginfo_path;
  char* debuginfo_path_ptr = nullptr;
  Dwfl_Callbacks callbacks{};
  Dwfl* dwfl = nullptr;

  util::Fd core_fd; // a core: the file and its ELF handle, which libdwfl reads but does not own
  Elf* core_elf = nullptr;
  std::optional<CoreInfo> core;

  uint64_t entry = 0; // AT_ENTRY: the main executable is the module that holds it
  bool threads_truncated = false;
  std::vector<std::string> notes;
  Symbolizer symbolizer;

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    if (dwfl != nullptr) {
      dwfl_end(dwfl);
    }
    if (core_elf != nullptr) {
      elf_end(core_elf);
    }
  }
};

} // namespace crashpilot::symbolize
