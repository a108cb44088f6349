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

// One line of a hunk with where it sits: removed and context lines have an old-file line, added
// and context lines a new-file line (0 = none). `text` has no '+', '-' or ' ' marker and points
// into the diff.
struct DiffLine {
  char kind = ' '; // '+', '-' or ' '
  int64_t old_line = 0;
  int64_t new_line = 0;
  std::string_view text;
};

struct DiffHunk {
  int64_t old_start = 0; // from "@@ -old_start,n +new_start,n @@"
  int64_t new_start = 0;
  std::vector<DiffLine> lines;
};

struct DiffFileHunks {
  DiffFile file;
  bool created = false; // "new file mode" or --- /dev/null
  bool deleted = false; // "deleted file mode" or +++ /dev/null
  std::vector<DiffHunk> hunks;
};

struct DiffHunks {
  std::vector<DiffFileHunks> files;
  std::vector<std::string> problems; // as in DiffSummary
};

// The same walk as summarize_diff, keeping every hunk line with its line numbers (the anti-mask
// gate needs to know what was added or removed where). The views point into `diff`.
DiffHunks diff_hunks(std::string_view diff);

} // namespace crashpilot::queue
