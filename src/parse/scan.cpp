// SPDX-License-Identifier: MIT
#include <parse/scan.hpp>

#include <parse/scan_kernel.hpp>
#include <util/string.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <emmintrin.h>

namespace crashpilot::parse {

namespace {

using util::is_digit;

// Strings of which every report a tool writes into a log carries at least one near its start or in
// each stack. Each is found through two adjacent bytes chosen to be rare in ordinary log text (`k1`,
// `k2` = k1 + 1; or k1 == k2 for a single byte), then compared whole. Small texts are parsed whole and never scanned, so hand-damaged pastes
// (lost '#', retyped lines) do not need anchors here.
struct Needle {
  std::string_view text;
  size_t k1;
  size_t k2;
};
constexpr std::array<Needle, 22> k_needles{{
    {"#", 0, 0},                  // gdb, sanitizer and AzerothCore banner lines (checked specially)
    {"Call stack:", 9, 10},       // WheatyExceptionReport
    {"Exception code:", 0, 1},    // WheatyExceptionReport
    {"ASSERTION FAILED", 0, 1},   // TrinityCore / AzerothCore
    {"Assertion", 0, 1},          // MaNGOS, C assert, MSVC CRT
    {"SIG", 0, 1},                // gdb / valgrind signal banners
    {"Sanitizer", 5, 6},          // ASan, UBSan, TSan, LSan
    {"runtime error:", 12, 13},   // UBSan without a stack
    {"+0x", 0, 1},                // backtrace_symbols, ACE and vMaNGOS stacks, module offsets
    {") Line ", 2, 3},            // Visual Studio / WinDbg call stacks
    {"==", 0, 1},                 // Valgrind (==PID==)
    {"hangs", 3, 4},              // freeze detectors: "World Thread hangs"
    {"eadlock", 2, 3},            // deadlock detectors
    {"ABORTED", 0, 1},            // TrinityCore / AzerothCore ABORT()
    {"FATAL ERROR", 0, 1},        // TrinityCore / AzerothCore FATAL
    {"terminate called", 3, 4},   // uncaught C++ exception
    {"Hang detect", 0, 1},        // other servers' watchdogs ("Hang detected on", "Hang detection")
    {"Caught signal", 0, 1},      // TrinityCore's AbortHandler
    {".exe!", 3, 4},              // Visual Studio / WinDbg frames: worldserver.exe!Map::Update
    {"Child-SP", 5, 6},           // WinDbg k (x64)
    {"ChildEBP", 4, 5},           // WinDbg k (x86); not "EB", which every DEBUG line has
    {"(filename not available)", 0, 1}, // StackWalker
}};

kernel::Pairs make_pairs() {
  kernel::Pairs p;
  for (const Needle& n : k_needles) {
    p.first[p.count] = static_cast<unsigned char>(n.text[n.k1]);
    // A single-byte needle pairs its byte with itself at distance 0.
    p.second[p.count] = static_cast<unsigned char>(n.text[n.k2]);
    p.distance[p.count] = n.k2 - n.k1;
    p.max_distance = std::max(p.max_distance, p.distance[p.count]);
    ++p.count;
  }
  return p;
}


// Does a needle start its pair at `pos`? `line_start` bounds how far back a needle may begin.
bool needle_at(std::string_view text, size_t pos) {
  for (const Needle& n : k_needles) {
    if (text[pos] != n.text[n.k1] || pos < n.k1) {
      continue;
    }
    size_t start = pos - n.k1;
    if (start + n.text.size() > text.size() || text.compare(start, n.text.size(), n.text) != 0) {
      continue;
    }
    if (n.text == "#") {
      // "#12 0x..." frames, "# Location '...'" and "#----" AzerothCore banner lines; not Markdown titles.
      char next = pos + 1 < text.size() ? text[pos + 1] : '\0';
      if (!(is_digit(next) || next == '-' || text.substr(pos).starts_with("# Location") ||
            text.substr(pos).starts_with("# Function"))) {
        continue;
      }
    } else if (n.text == "SIG") {
      // SIGSEGV, SIGABRT, ...: an upper-case letter follows.
      char next = start + 3 < text.size() ? text[start + 3] : '\0';
      if (!(next >= 'A' && next <= 'Z')) {
        continue;
      }
    } else if (n.text == "==") {
      // Valgrind's "==12345==": digits after the first "==".
      if (!(start + 2 < text.size() && is_digit(text[start + 2]))) {
        continue;
      }
    } else if (n.text == "+0x") {
      // A hex offset follows.
      if (!(start + 3 < text.size() && std::isxdigit(static_cast<unsigned char>(text[start + 3])))) {
        continue;
      }
    }
    return true;
  }
  return false;
}

struct Sse2 {
  using V = __m128i;
  static constexpr size_t width = 16;
  static V load(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
  static V splat(unsigned char c) { return _mm_set1_epi8(static_cast<char>(c)); }
  static V zero() { return _mm_setzero_si128(); }
  static V eq(V a, V b) { return _mm_cmpeq_epi8(a, b); }
  static V bit_and(V a, V b) { return _mm_and_si128(a, b); }
  static V bit_or(V a, V b) { return _mm_or_si128(a, b); }
  static uint32_t mask(V a) { return static_cast<uint32_t>(_mm_movemask_epi8(a)); }
};

// Builds regions from verified anchors, in line numbers; byte offsets are found by walking newlines
// only at region boundaries.
struct RegionBuilder {
  std::string_view text;
  const ScanOptions& options;
  std::vector<Region>& out;
  bool open = false;
  Region current;
  size_t end_line = 0;         // last line (0-based) the open region must include
  size_t last_anchor_pos = 0;  // start of the last anchor's line
  size_t last_anchor_line = 0;
  size_t last_line_seen = SIZE_MAX;
  size_t next_progress = 0;

  size_t line_start(size_t pos) const {
    while (pos > 0 && text[pos - 1] != '\n') {
      --pos;
    }
    return pos;
  }

  // Moves back `count` lines from the line starting at `pos`, not before `floor`.
  size_t back_lines(size_t pos, size_t count, size_t floor) const {
    while (count > 0 && pos > floor) {
      const void* nl = pos - 1 > floor ? memrchr(text.data() + floor, '\n', pos - 1 - floor) : nullptr;
      pos = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1 : floor;
      --count;
    }
    return pos;
  }

  // The end (exclusive) of the line `count` lines after the one starting at `pos`.
  size_t forward_lines(size_t pos, size_t count) const {
    for (size_t i = 0; i <= count && pos < text.size(); ++i) {
      const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
      pos = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1 : text.size();
    }
    return pos;
  }

  void close() {
    if (!open) {
      return;
    }
    current.end = forward_lines(last_anchor_pos, end_line - last_anchor_line);
    out.push_back(current);
    open = false;
  }

  void anchor(size_t pos, size_t line) {
    if (open && line <= end_line + options.lines_before) {
      if (line != last_anchor_line) {
        last_anchor_pos = line_start(pos);
        last_anchor_line = line;
      }
      end_line = line + options.lines_after;
      return;
    }
    size_t floor = 0;
    size_t floor_line = 0;
    if (open) {
      close();
    }
    if (!out.empty()) {
      floor = out.back().end;
      floor_line = end_line + 1;
    }
    size_t start = line_start(pos);
    size_t back = std::min(options.lines_before, line - std::min(line, floor_line));
    size_t region_start = back_lines(start, back, floor);
    current = Region{region_start, 0, line - back + 1};
    open = true;
    last_anchor_pos = start;
    last_anchor_line = line;
    end_line = line + options.lines_after;
  }
};

bool visit_candidate(void* context, size_t pos, size_t line) {
  auto* b = static_cast<RegionBuilder*>(context);
  if (b->options.progress && pos >= b->next_progress) {
    b->options.progress(pos);
    b->next_progress = pos + b->options.progress_every;
  }
  if (line == b->last_line_seen && b->open) {
    return true; // this line is already an anchor line
  }
  if (needle_at(b->text, pos)) {
    b->anchor(pos, line);
    b->last_line_seen = line;
  }
  return true;
}

const kernel::Pairs& pairs() {
  static const kernel::Pairs p = make_pairs();
  return p;
}

} // namespace

namespace kernel {
size_t scan_sse2(const char* text, size_t size, const Pairs& p, Visit visit, void* context) {
  return scan_with<Sse2>(text, size, p, visit, context);
}
} // namespace kernel

bool is_anchor_line(std::string_view line) {
  const kernel::Pairs& p = pairs();
  for (size_t i = 0; i < line.size(); ++i) {
    for (size_t n = 0; n < p.count; ++n) {
      if (static_cast<unsigned char>(line[i]) == p.first[n] && i + p.distance[n] < line.size() &&
          static_cast<unsigned char>(line[i + p.distance[n]]) == p.second[n] && needle_at(line, i)) {
        return true;
      }
    }
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
  RegionBuilder builder{text, options, regions, false, Region{}, 0, 0, 0, SIZE_MAX, 0};
  builder.next_progress = SIZE_MAX; // progress is reported per chunk below, hits or not
  static const bool avx2 = __builtin_cpu_supports("avx2");
  auto scan = avx2 ? kernel::scan_avx2 : kernel::scan_sse2;
  const kernel::Pairs& p = pairs();
  // In chunks, so the caller hears of progress (and can drop mapped pages behind us) even across
  // long stretches without a single candidate.
  size_t chunk = std::max<size_t>(options.progress_every, 1 << 16);
  size_t lines = 0;
  for (size_t start = 0; start < text.size(); start += chunk) {
    size_t end = std::min(text.size(), start + chunk);
    struct Shift {
      RegionBuilder* builder;
      size_t start;
      size_t lines;
    } shift{&builder, start, lines};
    auto visit = [](void* c, size_t pos, size_t line) {
      auto* sh = static_cast<Shift*>(c);
      return visit_candidate(sh->builder, sh->start + pos, sh->lines + line);
    };
    size_t chunk_lines = scan(text.data() + start, end - start, p, visit, &shift);
    // A pair that straddles the chunk's end was not seen by the kernel: check those positions here.
    for (size_t q = end > p.max_distance ? std::max(start, end - p.max_distance) : start; q < end && end < text.size(); ++q) {
      for (size_t n = 0; n < p.count; ++n) {
        size_t second = q + p.distance[n];
        if (second >= end && second < text.size() && static_cast<unsigned char>(text[q]) == p.first[n] &&
            static_cast<unsigned char>(text[second]) == p.second[n]) {
          size_t after = static_cast<size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(q),
                                                        text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
          visit_candidate(&builder, q, lines + chunk_lines - after);
          break;
        }
      }
    }
    lines += chunk_lines;
    if (options.progress && end < text.size()) {
      options.progress(end);
    }
  }
  builder.close();
  if (options.progress) {
    options.progress(text.size());
  }
  return regions;
}

} // namespace crashpilot::parse
