// SPDX-License-Identifier: MIT
#pragma once

// Finds the files in some directories that stopped growing: a file is stable when its size and
// modification time are the same at two consecutive polls. Each stable version of a file (path,
// size, mtime) is reported once; if the file changes afterwards it is tracked again.
//
// Polling with stat(2) rather than inotify: the directories this serves are often network shares
// (SMB/NFS copies of a Windows server's Crashes/), where inotify sees no remote writes, and a
// report is only worth reading once its writer finished anyway, which takes a second look either
// way.

#include <util/expected.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::util {

struct FileVersion {
  std::string path; // directory + "/" + name
  int64_t size = 0;
  int64_t mtime_ns = 0;
};

class StableFiles {
public:
  // `accept` is asked about each regular file's name; files it refuses are never tracked.
  explicit StableFiles(std::function<bool(std::string_view name)> accept);

  // Scans `dirs` (not recursively) and returns the files that became stable since the last poll,
  // sorted by path. The first poll returns nothing: stability needs two looks. Directories that
  // cannot be read are named in `errors`.
  std::vector<FileVersion> poll(const std::vector<std::string>& dirs,
                                std::vector<std::string>& errors);

  // Files seen but not yet stable (still growing, or seen once).
  size_t pending() const;

private:
  struct Seen {
    int64_t size = 0;
    int64_t mtime_ns = 0;
    bool reported = false;
  };
  std::function<bool(std::string_view)> m_accept;
  std::map<std::string, Seen> m_seen;
};

} // namespace crashpilot::util
