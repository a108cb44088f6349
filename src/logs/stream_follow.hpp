// SPDX-License-Identifier: MIT
#pragma once

// Following a stream: the read end of the server's stdout or stderr pipe. Bytes are copied to the
// tee unchanged before anything else, so the user sees the server's output as if crashpilot were
// not there; lines go to the source's intake. The end of the stream (the server exited) hands out
// the unfinished last line and closes the descriptor; the lines stay in the rings.

#include <util/fd.hpp>

#include <logs/intake.hpp>
#include <logs/line_buffer.hpp>
#include <logs/tee.hpp>

#include <string>

namespace crashpilot::logs {

class StreamFollow {
public:
  StreamFollow(util::Fd fd, int tee_fd, Intake& intake, size_t read_bytes, size_t max_line_bytes);

  int fd() const { return m_fd.get(); }
  bool open() const { return m_fd.valid(); }
  Tee& tee() { return m_tee; }
  const Tee& tee() const { return m_tee; }

  // Reads what the pipe holds now, up to `budget` bytes; true when there may be more. At the end
  // of the stream the descriptor is closed.
  bool read(size_t budget, TimePoint now);
  void flush_partial();
  // Stops following (another pipe replaces this one): what is unread stays unread.
  void close();
  std::string problem() const { return m_problem; }

private:
  util::Fd m_fd;
  Tee m_tee;
  Intake& m_intake;
  LineBuffer m_buffer;
  std::string m_problem;
};

} // namespace crashpilot::logs
