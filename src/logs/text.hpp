// SPDX-License-Identifier: MIT
#pragma once

// Making a raw log line safe to keep and to put in JSON: terminal escape sequences (a coloured
// console appender) and other control bytes removed, invalid UTF-8 replaced by U+FFFD, and the
// length capped at a character boundary with "…" marking the cut.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::logs {

// True when `line` is printable ASCII (tabs excluded) and needs no cleaning: the common case,
// tested eight bytes at a time.
bool is_plain(std::string_view line);

// One vector pass over a block of lines: sets bit i%32 of newlines[i/32] for every '\n' at offset
// i (`newlines` is resized to fit) and returns whether the block is printable ASCII and newlines
// only (then its lines need no test of their own).
bool index_lines(std::string_view block, std::vector<uint32_t>& newlines);

// The cleaned line: `line` itself when it is plain and short enough, else a view of `scratch`.
// `cut` is set when the line was longer than `max_bytes` (at least 16). `known_plain`: the caller
// has checked is_plain() already.
std::string_view clean_line_slow(std::string_view line, size_t max_bytes, std::string& scratch,
                                 bool& cut, bool known_plain);
inline std::string_view clean_line(std::string_view line, size_t max_bytes, std::string& scratch,
                                   bool& cut, bool known_plain = false) {
  if (known_plain && line.size() <= max_bytes) {
    cut = false;
    return line; // nearly every line of a busy log: no call
  }
  return clean_line_slow(line, max_bytes, scratch, cut, known_plain);
}

} // namespace crashpilot::logs
