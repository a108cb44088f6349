// SPDX-License-Identifier: MIT
#pragma once

// Bytes in, whole lines out. Reads land after the unfinished line of the previous read; what ends
// in a newline goes out as one block, the unfinished rest waits. A line longer than the cap goes
// out cut as soon as the cap is reached and the rest of it is skipped, so one endless line cannot
// grow the buffer.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace crashpilot::logs {

class LineBuffer {
public:
  struct Sink {
    virtual ~Sink() = default;
    // Whole lines, each ending in '\n'.
    virtual void lines(std::string_view block) = 0;
    // One line without its newline: the head of an over-long line, or a flushed unfinished one.
    virtual void line(std::string_view text) = 0;
  };

  LineBuffer(size_t read_bytes, size_t max_line_bytes);

  // Where the next read goes; at least `read_bytes` long.
  std::span<char> space();
  // `n` bytes were read into space().
  void commit(size_t n, Sink& sink);
  // Hands out the unfinished line, if any (end of a stream, or a crash: nothing will complete it).
  void flush(Sink& sink);
  // Forgets the unfinished line (the file was truncated or replaced).
  void reset();
  size_t pending() const { return m_size; }

private:
  std::vector<char> m_buffer;
  size_t m_size = 0;
  size_t m_max_line;
  bool m_skipping = false; // inside an over-long line already handed out
};

} // namespace crashpilot::logs
