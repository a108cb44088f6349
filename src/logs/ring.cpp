// SPDX-License-Identifier: MIT
#include <logs/ring.hpp>

#include <algorithm>
#include <cstddef>

namespace crashpilot::logs {

Ring::Ring(RingLimits limits) : m_limits(limits) {
  m_limits.max_lines = std::max<size_t>(1, m_limits.max_lines);
  m_limits.max_bytes = std::clamp<size_t>(m_limits.max_bytes, 256, size_t{1} << 31) & ~size_t{7};
}

void Ring::pop_front() {
  uint32_t size = m_sizes[m_first];
  m_first = m_first + 1 == m_limits.max_lines ? 0 : m_first + 1;
  size_t n = record_size(size);
  m_text_bytes -= size;
  m_used -= n;
  --m_count;
  if (m_count == 0) {
    m_head = m_write = m_end = 0;
    return;
  }
  m_head += n;
  if (m_end != 0 && m_head == m_end) {
    m_head = 0; // past the records before the wrap
    m_end = 0;
  }
}

// Live records are [m_head, m_write) or, wrapped, [m_head, m_end) and [0, m_write). A record is
// written whole where it fits: after m_write, or from 0 once m_head leaves room there.
void Ring::push(std::string_view text, const LineMeta& meta) {
  if (!m_arena) {
    m_sizes.reset(new uint32_t[m_limits.max_lines]);
    m_arena.reset(new char[m_limits.max_bytes]); // pages stay unbacked until written
    // A first guess of what max_lines lines need; grown below when it is too small.
    m_capacity = std::min(m_limits.max_bytes, std::max<size_t>(4096, m_limits.max_lines * 192));
  }
  text = text.substr(0, m_limits.max_bytes - sizeof(Record) - 8);
  size_t need = record_size(text.size());
  if (m_count == m_limits.max_lines) {
    pop_front();
  }
  // Lines would be dropped for room while fewer than max_lines are kept: use more of the arena.
  while (m_capacity < m_limits.max_bytes && (need > m_capacity || m_used + need > m_capacity / 2) &&
         m_count < m_limits.max_lines / 2 + 1) {
    m_capacity = std::min(m_limits.max_bytes, m_capacity * 2);
  }
  while (true) {
    if (m_count == 0) {
      m_head = m_write = m_end = 0;
      break;
    }
    if (m_end == 0) {
      if (m_write + need <= m_capacity) {
        break;
      }
      if (need <= m_head) {
        m_end = m_write; // wrap
        m_write = 0;
        break;
      }
    } else if (m_write + need <= m_head) {
      break;
    }
    pop_front();
  }
  // Straight into the arena: a Record assembled on the stack and copied whole stalls on store
  // forwarding (its small fields are read back as one wide load).
  char* at = m_arena.get() + m_write;
  auto size = static_cast<uint32_t>(text.size());
  std::memcpy(at, &meta, sizeof meta);
  std::memcpy(at + offsetof(Record, size), &size, sizeof size);
  if (!text.empty()) {
    std::memcpy(at + sizeof(Record), text.data(), text.size());
  }
  size_t slot = m_first + m_count;
  m_sizes[slot >= m_limits.max_lines ? slot - m_limits.max_lines : slot] = size;
  m_write += need;
  ++m_count;
  m_used += need;
  m_text_bytes += text.size();
}

void Ring::expire(TimePoint now) {
  TimePoint limit = now - m_limits.max_age;
  while (m_count > 0 && read(m_head).meta.arrival < limit) {
    pop_front();
  }
}

void Ring::clear() {
  m_head = m_write = m_end = 0;
  m_first = 0;
  m_count = 0;
  m_used = 0;
  m_text_bytes = 0;
}

} // namespace crashpilot::logs
