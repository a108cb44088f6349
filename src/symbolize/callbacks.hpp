// SPDX-License-Identifier: MIT
#pragma once

// libdwfl's find_elf / find_debuginfo callbacks, written here instead of taking elfutils' standard
// ones because those end in a debuginfod query: with DEBUGINFOD_URLS set (Debian sets it in
// /etc/profile.d), dwfl_standard_find_debuginfo and dwfl_build_id_find_elf download files from the
// network when the local search finds nothing. These callbacks search only local files (the
// binary, build-id paths, .gnu_debuglink places, the caller's directories) and never call either
// function, so no query is made whatever DEBUGINFOD_URLS says, and the process environment is left
// alone (unsetenv would race with other threads).

#include <elfutils/libdwfl.h>
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace crashpilot::symbolize {

// What the callbacks need to know about their session. Reached through each module's userdata
// (bind_modules), so several sessions can live side by side.
struct CallbackContext {
  std::vector<std::string> debug_dirs; // absolute; the caller's first, then /usr/lib/debug
  pid_t pid = 0;                       // a live process; 0 for a core
  std::string exe;                     // a core's executable as the user named it ("" = none)
  std::string debug_cache_dir;         // uncompressed copies of debug files (debug_cache.hpp)
  // Separate debug files opened before the process was released, handed to libdwfl on first use.
  struct OpenedFile {
    int fd = -1;
    std::string path;
  };
  std::map<Dwfl_Module*, OpenedFile> debug_files;

  CallbackContext() = default;
  CallbackContext(const CallbackContext&) = delete;
  CallbackContext& operator=(const CallbackContext&) = delete;
  ~CallbackContext(); // closes the debug files libdwfl never asked for
};

// The callbacks for a live process or a core. `debuginfo_path` must outlive the Dwfl.
Dwfl_Callbacks make_callbacks(bool live, char** debuginfo_path);
// The colon-separated list libdwfl's build-id lookup walks.
std::string debuginfo_path(const std::vector<std::string>& debug_dirs);
// Points every reported module's userdata at `context`. Call after dwfl_report_end.
void bind_modules(Dwfl* dwfl, CallbackContext* context);

// The module's build-id as bytes ("" when it has none).
std::string build_id_bytes(Dwfl_Module* mod);
std::string to_hex(const std::string& bytes);
// The build-id (bytes) of the ELF file at `path`; "" when it has none or is not ELF.
std::string file_build_id(const std::string& path);

// Whether `elf` carries its own DWARF (.debug_info, or the old compressed .zdebug_info).
bool has_own_dwarf(Elf* elf);

// Opens the separate debug file of `mod` (main file `file_name`): by build-id under each debug
// directory, then by .gnu_debuglink next to the file, in its .debug/ and under each directory
// (mirrored path or flat), then `<dir>/<basename>[.debug]` for binaries stripped without a
// debuglink. A candidate must carry the module's build-id (or, without one, the debuglink CRC).
// Returns the descriptor (the caller owns it) and its path, or -1.
int open_debug_file(Dwfl_Module* mod, const CallbackContext& context, const char* file_name,
                    std::string* path);

} // namespace crashpilot::symbolize
