// SPDX-License-Identifier: MIT
#pragma once

// The last lines of one source: at most `max_lines` lines, `max_bytes` of memory and `max_age` of
// arrival time, whichever is hit first. Each line is one record (its metadata, then its text) in a
// circular byte arena, written one after the other: pushing a line allocates nothing and writes one
// contiguous run, and at a million lines a second both matter. The arena wraps as early as the
// lines allow (it grows only when max_lines lines do not fit), so the bytes written over and over
// stay in the CPU cache instead of streaming through all of max_bytes.

#include <logs/level.hpp>
#include <logs/prefix.hpp>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace crashpilot::logs {

struct RingLimits {
  size_t max_lines = 2000;
  size_t max_bytes = size_t{1} << 20;
  std::chrono::seconds max_age{300};
};

struct LineMeta {
  TimePoint time;
  TimePoint arrival;
  uint64_t seq = 0;
  uint32_t body = 0;
  uint32_t message = 0;
  Level level = Level::unknown;
  bool own_time = false;
};

class Ring {
public:
  explicit Ring(RingLimits limits = {});

  // Text longer than what fits in max_bytes is cut (the follower caps lines well below that).
  void push(std::string_view text, const LineMeta& meta);
  // Drops lines that arrived before `now - max_age`.
  void expire(TimePoint now);
  void clear();

  size_t size() const { return m_count; }
  size_t text_bytes() const { return m_text_bytes; }
  size_t used_bytes() const { return m_used; } // records: metadata and text
  const RingLimits& limits() const { return m_limits; }

  // f(std::string_view text, const LineMeta&), oldest first.
  template <typename F>
  void for_each(F&& f) const {
    size_t off = m_head;
    bool wrapped = m_end != 0;
    for (size_t i = 0; i < m_count; ++i) {
      Record r = read(off);
      f(std::string_view(m_arena.get() + off + sizeof(Record), r.size), r.meta);
      off += record_size(r.size);
      if (wrapped && off == m_end) {
        off = 0;
        wrapped = false;
      }
    }
  }

private:
  struct Record {
    LineMeta meta;
    uint32_t size = 0; // text bytes after the record
  };

  static size_t record_size(size_t text) { return (sizeof(Record) + text + 7) & ~size_t{7}; }
  Record read(size_t off) const {
    Record r;
    std::memcpy(&r, m_arena.get() + off, sizeof r);
    return r;
  }
  void pop_front();

  RingLimits m_limits;
  // Text sizes of the live records, oldest at m_first: dropping the oldest line reads this small
  // array (8 KiB for 2000 lines, cache-resident), not the record written 2000 lines ago.
  std::unique_ptr<uint32_t[]> m_sizes;
  size_t m_first = 0;
  std::unique_ptr<char[]> m_arena; // max_bytes, allocated (not touched) on the first push
  size_t m_capacity = 0;           // where writing wraps: grows to max_bytes when lines need it
  size_t m_head = 0;               // the oldest record
  size_t m_write = 0;              // where the next record goes
  size_t m_end = 0;                // wrapped: where the records before the wrap end; else 0
  size_t m_count = 0;
  size_t m_used = 0;
  size_t m_text_bytes = 0;
};

} // namespace crashpilot::logs
