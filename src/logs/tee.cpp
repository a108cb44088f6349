// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <fmt/format.h>
#include <logs/tee.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <csignal>

namespace crashpilot::logs {

namespace {

// A write to a pipe whose reader is gone raises SIGPIPE in the writing thread. The follower thread
// blocks SIGPIPE; this takes the pending one so it cannot be delivered later.
void consume_sigpipe() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  timespec zero{0, 0};
  while (sigtimedwait(&set, nullptr, &zero) == SIGPIPE) {
  }
}

} // namespace

Tee::Tee(int target, size_t max_pending) : m_max_pending(max_pending) {
  if (target < 0) {
    return;
  }
  struct stat st {};
  if (::fstat(target, &st) != 0) {
    return;
  }
  if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)) {
    m_fd.reset(::fcntl(target, F_DUPFD_CLOEXEC, 3)); // a file never makes us wait long
    m_nonblocking = true;
    return;
  }
  if (S_ISSOCK(st.st_mode)) {
    m_fd.reset(::fcntl(target, F_DUPFD_CLOEXEC, 3));
    m_socket = true;
    m_nonblocking = true;
    return;
  }
  std::string path = fmt::format("/proc/self/fd/{}", target);
  m_fd.reset(::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (m_fd.valid()) {
    m_nonblocking = true;
    return;
  }
  // No /proc: a duplicate, written PIPE_BUF bytes at a time and only when poll() allows.
  m_fd.reset(::fcntl(target, F_DUPFD_CLOEXEC, 3));
}

size_t Tee::write_some(const char* data, size_t size) {
  size_t done = 0;
  while (done < size && !m_broken) {
    size_t n = size - done;
    if (!m_nonblocking) {
      pollfd p{m_fd.get(), POLLOUT, 0};
      if (::poll(&p, 1, 0) != 1 || !(p.revents & POLLOUT)) {
        break;
      }
      n = std::min<size_t>(n, PIPE_BUF);
    }
    ssize_t w = m_socket ? ::send(m_fd.get(), data + done, n, MSG_DONTWAIT | MSG_NOSIGNAL)
                         : ::write(m_fd.get(), data + done, n);
    if (w > 0) {
      done += static_cast<size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) {
      continue;
    }
    if (w < 0 && errno != EAGAIN) {
      if (errno == EPIPE) {
        consume_sigpipe();
      }
      m_broken = true; // EPIPE, EIO, ...: the target is gone for good
    }
    break;
  }
  return done;
}

void Tee::write(std::string_view bytes) {
  if (!m_fd.valid() || bytes.empty()) {
    return;
  }
  if (m_broken) {
    m_dropped += bytes.size();
    return;
  }
  size_t done = 0;
  if (m_pending_size == 0) {
    done = write_some(bytes.data(), bytes.size());
  }
  std::string_view rest = bytes.substr(done);
  size_t room = m_max_pending > m_pending_size ? m_max_pending - m_pending_size : 0;
  size_t keep = std::min(room, rest.size());
  if (keep > 0) {
    if (m_pending_off > 0 && m_pending_off + m_pending_size + keep > m_pending.size()) {
      m_pending.erase(0, m_pending_off);
      m_pending_off = 0;
    }
    m_pending.resize(m_pending_off + m_pending_size);
    m_pending.append(rest.substr(0, keep));
    m_pending_size += keep;
  }
  m_dropped += rest.size() - keep;
}

void Tee::flush() {
  if (m_pending_size == 0 || !m_fd.valid()) {
    return;
  }
  if (m_broken) {
    m_dropped += m_pending_size;
  } else {
    size_t n = write_some(m_pending.data() + m_pending_off, m_pending_size);
    m_pending_off += n;
    m_pending_size -= n;
    if (m_pending_size > 0) {
      return;
    }
  }
  m_pending.clear();
  m_pending_off = 0;
  m_pending_size = 0;
}

} // namespace crashpilot::logs
