// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <logs/inotify.hpp>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace crashpilot::logs {

util::Expected<Inotify> Inotify::create() {
  Inotify n;
  n.m_fd.reset(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!n.m_fd.valid()) {
    return util::error(
        fmt::format("cannot watch logs: inotify_init1: {} (raise fs.inotify.max_user_instances?)",
                    std::strerror(errno)));
  }
  return n;
}

int Inotify::watch_directory(const std::string& path) {
  int wd = ::inotify_add_watch(m_fd.get(), path.c_str(),
                               IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                                   IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
  return wd >= 0 ? wd : -errno;
}

int Inotify::watch_open_file(int fd) {
  // The /proc/self/fd link names the inode we hold open, whatever its path is by now.
  std::string path = fmt::format("/proc/self/fd/{}", fd);
  int wd = ::inotify_add_watch(m_fd.get(), path.c_str(),
                               IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF);
  if (wd < 0) {
    return -errno;
  }
  ++m_uses[wd];
  return wd;
}

void Inotify::release(int wd) {
  auto it = m_uses.find(wd);
  if (it == m_uses.end()) {
    return;
  }
  if (--it->second == 0) {
    ::inotify_rm_watch(m_fd.get(), wd);
    m_uses.erase(it);
  }
}

bool Inotify::read_events(void (*visit)(void*, int, uint32_t, std::string_view), void* context) {
  alignas(inotify_event) char buffer[16384];
  while (true) {
    ssize_t n = ::read(m_fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errno == EAGAIN;
    }
    if (n == 0) {
      return true;
    }
    for (ssize_t off = 0; off < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buffer + off);
      std::string_view name = e->len > 0 ? std::string_view(e->name) : std::string_view();
      if (e->mask & IN_IGNORED) {
        m_uses.erase(e->wd); // the kernel dropped it (inode gone, or removed)
      }
      visit(context, e->wd, e->mask, name);
      off += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
    }
    // Room left for another event: the queue was drained, no need for a read that says EAGAIN.
    if (static_cast<size_t>(n) + sizeof(inotify_event) + NAME_MAX + 1 <= sizeof buffer) {
      return true;
    }
  }
}

} // namespace crashpilot::logs
