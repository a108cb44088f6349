// SPDX-License-Identifier: MIT
#pragma once

// What a unified diff touches, read without applying it: the paths of every file section, lines
// added and removed, and the hunks crashpilot refuses (binary patches, mode-only changes). Hunks
// are walked by their @@ counts, so a removed line that starts with "-- " is not taken for a
// header.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::queue {

struct DiffFile {
  std::string old_path; // without the a/ prefix; "" for /dev/null (an added file)
  std::string new_path; // without the b/ prefix; "" for /dev/null (a deleted file)
  int64_t added = 0;
  int64_t removed = 0;
  bool binary = false;
  bool mode_change = false;
};

struct DiffSummary {
  std::vector<DiffFile> files;
  int64_t added = 0;
  int64_t removed = 0;
  std::vector<std::string> problems; // malformed hunk headers, hunks shorter than their counts
};

DiffSummary summarize_diff(std::string_view diff);

} // namespace crashpilot::queue
