// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <fmt/format.h>
#include <logs/stream_follow.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace crashpilot::logs {

StreamFollow::StreamFollow(util::Fd fd, int tee_fd, Intake& intake, size_t read_bytes,
                           size_t max_line_bytes)
    : m_fd(std::move(fd)), m_tee(tee_fd), m_intake(intake), m_buffer(read_bytes, max_line_bytes) {
  // Our own read end: non-blocking, so a quiet server never holds the follower in read(2).
  int flags = ::fcntl(m_fd.get(), F_GETFL);
  if (flags >= 0) {
    ::fcntl(m_fd.get(), F_SETFL, flags | O_NONBLOCK);
  }
}

bool StreamFollow::read(size_t budget, TimePoint now) {
  while (m_fd.valid() && budget > 0) {
    auto space = m_buffer.space();
    size_t want = std::min(space.size(), budget);
    ssize_t n = ::read(m_fd.get(), space.data(), want);
    if (n > 0) {
      m_tee.write({space.data(), static_cast<size_t>(n)});
      budget -= static_cast<size_t>(n);
      m_intake.set_arrival(now);
      m_buffer.commit(static_cast<size_t>(n), m_intake);
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN)) {
      return false;
    }
    if (n < 0) {
      m_problem = fmt::format("read: {}", std::strerror(errno));
    }
    m_intake.set_arrival(now);
    m_buffer.flush(m_intake); // end of stream: the last line will not be finished
    m_fd.reset();
    return false;
  }
  return m_fd.valid();
}

void StreamFollow::flush_partial() {
  m_intake.set_arrival(std::chrono::system_clock::now());
  m_buffer.flush(m_intake);
}

void StreamFollow::close() {
  m_buffer.reset();
  m_fd.reset();
}

} // namespace crashpilot::logs
