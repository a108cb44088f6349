// SPDX-License-Identifier: MIT
#include <logs/line_buffer.hpp>

#include <algorithm>
#include <cstring>

namespace crashpilot::logs {

LineBuffer::LineBuffer(size_t read_bytes, size_t max_line_bytes)
    : m_buffer(std::max<size_t>(read_bytes, 4096) + std::max<size_t>(max_line_bytes, 16)),
      m_max_line(std::max<size_t>(max_line_bytes, 16)) {}

std::span<char> LineBuffer::space() {
  return {m_buffer.data() + m_size, m_buffer.size() - m_size};
}

void LineBuffer::commit(size_t n, Sink& sink) {
  size_t start = m_size;
  m_size += n;
  if (m_skipping) {
    const void* nl = std::memchr(m_buffer.data() + start, '\n', m_size - start);
    if (nl == nullptr) {
      m_size = 0;
      return;
    }
    m_skipping = false;
    size_t after = static_cast<size_t>(static_cast<const char*>(nl) - m_buffer.data()) + 1;
    std::memmove(m_buffer.data(), m_buffer.data() + after, m_size - after);
    m_size -= after;
    start = 0;
  }
  // Only the new bytes can hold the last newline.
  const void* last = ::memrchr(m_buffer.data() + start, '\n', m_size - start);
  size_t rest = 0;
  if (last != nullptr) {
    size_t end = static_cast<size_t>(static_cast<const char*>(last) - m_buffer.data()) + 1;
    sink.lines({m_buffer.data(), end});
    rest = end;
  }
  size_t unfinished = m_size - rest;
  if (unfinished > m_max_line) {
    sink.line({m_buffer.data() + rest, m_max_line + 1}); // one byte over: the sink marks the cut
    m_skipping = true;
    m_size = 0;
    return;
  }
  if (rest > 0) {
    std::memmove(m_buffer.data(), m_buffer.data() + rest, unfinished);
  }
  m_size = unfinished;
}

void LineBuffer::flush(Sink& sink) {
  if (m_size > 0) {
    sink.line({m_buffer.data(), m_size});
  }
  m_size = 0;
  m_skipping = false;
}

void LineBuffer::reset() {
  m_size = 0;
  m_skipping = false;
}

} // namespace crashpilot::logs
