// SPDX-License-Identifier: MIT
#pragma once

// Finds the parts of a large text that can hold a crash report, so a 50 MB server log costs one fast
// pass and only the lines around report anchors are cleaned and parsed.

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

namespace crashpilot::parse {

struct Region {
  size_t begin = 0; // byte offsets into the text, at line starts
  size_t end = 0;
  size_t first_line_number = 1; // 1-based
};

struct ScanOptions {
  size_t lines_before = 120; // context kept before the first anchor of a cluster
  size_t lines_after = 600;  // and after its last anchor
  size_t whole_text_below = 1 << 20; // smaller texts are one region: no scan needed
  // Called every `progress_every` bytes with the offset scanned so far: lets a caller show progress and
  // drop the pages of a memory-mapped file it has passed (bounded memory on huge inputs).
  std::function<void(size_t)> progress;
  size_t progress_every = size_t{8} << 20;
};

std::vector<Region> find_regions(std::string_view text, const ScanOptions& options = {});

// True when `line` holds one of the strings that start or mark a crash report.
bool is_anchor_line(std::string_view line);

} // namespace crashpilot::parse
