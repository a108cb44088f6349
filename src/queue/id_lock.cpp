// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <fmt/format.h>
#include <queue/id_lock.hpp>
#include <sys/file.h>

#include <cerrno>
#include <cstring>

namespace crashpilot::queue {

util::Expected<IdLock> IdLock::acquire(const std::string& lock_path) {
  util::Fd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    return util::error(
        fmt::format("{}: cannot open lock file: {}", lock_path, std::strerror(errno)));
  }
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) {
      return util::error(fmt::format("{}: flock failed: {}", lock_path, std::strerror(errno)));
    }
  }
  IdLock lock;
  lock.m_fd = std::move(fd);
  return lock;
}

} // namespace crashpilot::queue
