// SPDX-License-Identifier: MIT
#pragma once

// Uncompressed copies of separate debug files. Distribution debug packages (libc6-dbg, *-dbgsym)
// ship their sections zlib-compressed, and libdw inflates every one of them on each open: about
// 40 ms for glibc's, more than all the rest of a 300 MB server's trace. With a cache directory the
// first use writes an uncompressed copy named by build-id; later sessions map the copy.

#include <string>

namespace crashpilot::symbolize {

// `fd` is a debug file with build-id `build_id` (bytes). Returns a descriptor for its uncompressed
// copy in `cache_dir` (written now if missing) and sets `*out_path`; or `fd` itself when there is
// nothing to gain (no cache dir, no build-id, nothing compressed) or the copy cannot be made: the
// cache only ever saves time. Takes ownership of `fd`.
int uncompressed_debug_file(int fd, const std::string& build_id, const std::string& cache_dir,
                            std::string* out_path);

// $XDG_CACHE_HOME/crashpilot/debug, else ~/.cache/crashpilot/debug; "" when neither is set.
std::string default_debug_cache_dir();

} // namespace crashpilot::symbolize
