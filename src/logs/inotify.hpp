// SPDX-License-Identifier: MIT
#pragma once

// An inotify instance: directory watches (a log appearing, renamed, deleted) and watches on the
// inode behind an open descriptor (growth of a log wherever it has been renamed to). Inode watches
// are counted, because two open descriptors of one inode share one watch.

#include <util/expected.hpp>
#include <util/fd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace crashpilot::logs {

class Inotify {
public:
  static util::Expected<Inotify> create();

  int fd() const { return m_fd.get(); }
  // A watch on a directory for entries created, moved in or out, deleted. -errno on failure.
  int watch_directory(const std::string& path);
  // A watch on the inode behind `fd` for growth, truncation, renames. -errno on failure.
  int watch_open_file(int fd);
  // Drops one use of an inode watch; the watch goes when its last user does.
  void release(int wd);

  // Reads the queued events: f(int wd, uint32_t mask, std::string_view name). Returns false on an
  // unexpected read error. Overflow arrives as wd -1 with IN_Q_OVERFLOW.
  template <typename F>
  bool drain(F&& f);

private:
  bool read_events(void (*visit)(void*, int, uint32_t, std::string_view), void* context);

  util::Fd m_fd;
  std::map<int, int> m_uses; // inode watch -> users
};

template <typename F>
bool Inotify::drain(F&& f) {
  return read_events([](void* c, int wd, uint32_t mask,
                        std::string_view name) { (*static_cast<F*>(c))(wd, mask, name); },
                     &f);
}

} // namespace crashpilot::logs
