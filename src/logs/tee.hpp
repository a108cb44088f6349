// SPDX-License-Identifier: MIT
#pragma once

// Copying a server's output, byte for byte, to where the user would have seen it (crashpilot's own
// stdout or stderr) without ever blocking the follower: a terminal on hold or a full pipe must not
// stall the reading of the server's pipe, or the server itself would block writing its log.
//
// The target is reopened through /proc/self/fd with O_NONBLOCK (a new open file description, so the
// shell's terminal stays blocking); what it cannot take now waits in a bounded buffer and goes out
// when poll() says the target is writable; past the bound, bytes are dropped and counted.

#include <util/fd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace crashpilot::logs {

class Tee {
public:
  Tee() = default;
  // `target` stays owned by the caller; -1 = no tee.
  explicit Tee(int target, size_t max_pending = size_t{1} << 20);

  bool active() const { return m_fd.valid(); }
  int fd() const { return m_fd.get(); }
  bool pending() const { return m_pending_size > 0; }
  uint64_t dropped() const { return m_dropped; }

  // Writes what the target takes now and keeps the rest.
  void write(std::string_view bytes);
  // Retries the kept bytes (the target became writable).
  void flush();

private:
  size_t write_some(const char* data, size_t size);

  util::Fd m_fd;
  bool m_socket = false;
  bool m_nonblocking = false; // false: a duplicate we may only write PIPE_BUF at a time to
  bool m_broken = false;      // the reader went away: everything is dropped
  std::string m_pending;
  size_t m_pending_off = 0;
  size_t m_pending_size = 0;
  size_t m_max_pending = 0;
  uint64_t m_dropped = 0;
};

} // namespace crashpilot::logs
