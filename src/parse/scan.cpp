// SPDX-License-Identifier: MIT
#include <parse/scan.hpp>

#include <array>
#include <cstring>

namespace crashpilot::parse {

namespace {
// Strings that every supported report contains at least once near its start or in each frame block.
constexpr std::array<std::string_view, 24> k_anchors{
    "Exception code:", "Call stack:", "ASSERTION FAILED", "Assertion", "ssertion failed",
    "Sanitizer", "runtime error:", "received signal", "terminated with signal", "stopped with signal",
    "Thread hangs", "Deadlock detected", "deadlock", "ABORTED", "FATAL ERROR", "in ?? (",
    "Backtrace", "BACKTRACE", "Stack Trace", "stack trace", "==    at 0x", "__lll_lock_wait",
    "terminate called", "Segmentation fault",
};
} // namespace

bool is_anchor_line(std::string_view line) {
  for (auto a : k_anchors) {
    if (line.find(a) != std::string_view::npos) {
      return true;
    }
  }
  // gdb / sanitizer frame: "#N " at the start (after spaces or a quote marker)
  size_t i = line.find_first_not_of(" \t>");
  if (i != std::string_view::npos && i + 2 < line.size() && line[i] == '#' && line[i + 1] >= '0' &&
      line[i + 1] <= '9') {
    return true;
  }
  return false;
}

std::vector<Region> find_regions(std::string_view text, const ScanOptions& options) {
  std::vector<Region> regions;
  if (text.size() < options.whole_text_below) {
    if (!text.empty()) {
      regions.push_back({0, text.size(), 1});
    }
    return regions;
  }
  // Line starts of the last `lines_before` lines, to extend a region backwards (ring buffer).
  std::vector<size_t> recent(options.lines_before + 1, 0);
  size_t line_no = 0;
  size_t pos = 0;
  bool open = false;
  size_t after_left = 0;
  Region current;
  size_t next_progress = options.progress_every;
  while (pos < text.size()) {
    if (options.progress && pos >= next_progress) {
      options.progress(pos);
      next_progress = pos + options.progress_every;
    }
    const char* nl = static_cast<const char*>(std::memchr(text.data() + pos, '\n', text.size() - pos));
    size_t end = nl ? static_cast<size_t>(nl - text.data()) + 1 : text.size();
    ++line_no;
    recent[line_no % recent.size()] = pos;
    if (is_anchor_line(text.substr(pos, end - pos))) {
      if (!open) {
        size_t back = line_no > options.lines_before ? options.lines_before : line_no - 1;
        size_t start_line = line_no - back;
        size_t start = recent[start_line % recent.size()];
        if (!regions.empty() && regions.back().end >= start) {
          current = regions.back();
          regions.pop_back();
        } else {
          current = Region{start, 0, start_line};
        }
        open = true;
      }
      after_left = options.lines_after;
    } else if (open && after_left > 0) {
      --after_left;
    }
    if (open && after_left == 0) {
      current.end = end;
      regions.push_back(current);
      open = false;
    }
    pos = end;
  }
  if (open) {
    current.end = text.size();
    regions.push_back(current);
  }
  return regions;
}

} // namespace crashpilot::parse
