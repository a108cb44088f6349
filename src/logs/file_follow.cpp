// SPDX-License-Identifier: MIT
#include <fcntl.h>
#include <fmt/format.h>
#include <logs/file_follow.hpp>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace crashpilot::logs {

namespace {

// A renamed or deleted file that got nothing new for this long is let go. TrinityCore keeps
// writing to a renamed log until it restarts, so this is long enough for a quiet server.
constexpr auto k_draining_idle = std::chrono::seconds(30);
constexpr size_t k_max_draining = 4;

} // namespace

FileFollow::FileFollow(SourceSpec spec, Intake& intake, Inotify& inotify, size_t read_bytes,
                       size_t max_line_bytes)
    : m_spec(std::move(spec)), m_intake(intake), m_inotify(inotify), m_read_bytes(read_bytes),
      m_max_line(max_line_bytes) {
  std::filesystem::path p(m_spec.path);
  m_base = p.filename().string();
  m_dir = p.has_parent_path() ? p.parent_path().string() : std::string(".");
}

FileFollow::~FileFollow() {
  close(m_current);
  for (auto& h : m_draining) {
    close(h);
  }
}

void FileFollow::close(std::unique_ptr<Handle>& h) {
  if (h && h->wd >= 0) {
    m_inotify.release(h->wd);
  }
  h.reset();
}

void FileFollow::attach(TimePoint now) {
  m_dir_wd = m_inotify.watch_directory(m_dir);
  if (m_dir_wd < 0) {
    m_problem = fmt::format("cannot watch directory {}: {} (retrying every second)", m_dir,
                            std::strerror(-m_dir_wd));
  }
  m_current = open_file(m_spec.start == StartAt::end, now);
}

std::unique_ptr<FileFollow::Handle> FileFollow::open_file(bool at_end, TimePoint now) {
  util::Fd fd(::open(m_spec.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd.valid()) {
    if (errno != ENOENT || m_dir_wd >= 0) {
      m_problem = errno == ENOENT ? fmt::format("{}: waiting for the file to appear", m_spec.path)
                                  : fmt::format("{}: {}", m_spec.path, std::strerror(errno));
    }
    return nullptr;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    m_problem = fmt::format("{}: not a regular file", m_spec.path);
    return nullptr;
  }
  auto h = std::make_unique<Handle>(m_read_bytes, m_max_line);
  h->wd = m_inotify.watch_open_file(fd.get());
  m_watch_problem.clear();
  if (h->wd < 0) {
    // Out of watches (fs.inotify.max_user_watches): the once-a-second check still reads it.
    m_watch_problem = fmt::format("{}: cannot watch for growth: {} (read once a second instead)",
                                  m_spec.path, std::strerror(-h->wd));
  }
  h->fd = std::move(fd);
  h->dev = st.st_dev;
  h->ino = st.st_ino;
  h->offset = at_end ? static_cast<uint64_t>(st.st_size) : 0;
  h->last_data = now;
  if (m_dir_wd >= 0) {
    m_problem = m_watch_problem;
  }
  return h;
}

void FileFollow::check_path(TimePoint now) {
  struct stat st {};
  bool exists = ::stat(m_spec.path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (exists && m_current && st.st_dev == m_current->dev && st.st_ino == m_current->ino) {
    return; // still the same file
  }
  if (m_current) {
    // Renamed away or deleted: read what it still gets, while the path is followed anew.
    m_current->dirty = true;
    m_draining.push_back(std::move(m_current));
    ++m_counters.rotations;
    if (m_draining.size() > k_max_draining) {
      size_t budget = SIZE_MAX;
      read_handle(*m_draining.front(), budget, now);
      close(m_draining.front());
      m_draining.erase(m_draining.begin());
    }
  }
  if (exists) {
    m_current = open_file(false, now); // a new file: all of it is new
    if (m_current) {
      ++m_counters.reopened;
    }
  } else if (m_dir_wd >= 0) {
    m_problem = fmt::format("{}: waiting for the file to appear", m_spec.path);
  }
}

void FileFollow::on_directory_event(int wd, uint32_t mask, std::string_view name, TimePoint now) {
  if (wd != m_dir_wd) {
    return;
  }
  if (mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
    m_dir_wd = -1; // the directory went away; tick() watches it again once it is back
    m_problem = fmt::format("directory {} was removed or renamed (retrying every second)", m_dir);
    return;
  }
  if (name == m_base) {
    check_path(now);
  }
}

void FileFollow::on_inode_event(int wd, uint32_t mask) {
  (void)mask;
  if (m_current && m_current->wd == wd) {
    m_current->dirty = true;
  }
  for (auto& h : m_draining) {
    if (h->wd == wd) {
      h->dirty = true;
    }
  }
}

void FileFollow::mark_all() {
  if (m_current) {
    m_current->dirty = true;
  }
  for (auto& h : m_draining) {
    h->dirty = true;
  }
}

bool FileFollow::read_handle(Handle& h, size_t& budget, TimePoint now) {
  if (!h.dirty) {
    return false;
  }
  bool checked_size = false;
  while (budget > 0) {
    auto space = h.buffer.space();
    size_t want = std::min(space.size(), budget);
    ssize_t n = ::pread(h.fd.get(), space.data(), want, static_cast<off_t>(h.offset));
    if (n > 0) {
      h.offset += static_cast<uint64_t>(n);
      budget -= static_cast<size_t>(n);
      h.last_data = now;
      m_intake.set_arrival(now);
      h.buffer.commit(static_cast<size_t>(n), m_intake);
      if (static_cast<size_t>(n) < want) {
        h.dirty = false; // a short read of a regular file: at its end for now
        return false;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      m_problem = fmt::format("{}: read: {}", m_spec.path, std::strerror(errno));
      h.dirty = false;
      return false;
    }
    // Nothing at our offset although the file changed: shorter than what was read means it was
    // truncated (copytruncate, `> file`, reopened with "w"), and what is there now is new.
    struct stat st {};
    if (!checked_size && ::fstat(h.fd.get(), &st) == 0 &&
        static_cast<uint64_t>(st.st_size) < h.offset) {
      h.offset = 0;
      h.buffer.reset();
      ++m_counters.truncations;
      checked_size = true;
      continue;
    }
    h.dirty = false;
    return false;
  }
  return true;
}

bool FileFollow::read(size_t budget, TimePoint now) {
  bool more = false;
  for (auto& h : m_draining) {
    more |= read_handle(*h, budget, now);
  }
  if (m_current) {
    more |= read_handle(*m_current, budget, now);
  }
  return more;
}

void FileFollow::flush_partial() {
  m_intake.set_arrival(std::chrono::system_clock::now());
  for (auto& h : m_draining) {
    h->buffer.flush(m_intake);
  }
  if (m_current) {
    m_current->buffer.flush(m_intake);
  }
}

void FileFollow::tick(TimePoint now) {
  for (size_t i = 0; i < m_draining.size();) {
    Handle& h = *m_draining[i];
    if (now - h.last_data > k_draining_idle) {
      size_t budget = SIZE_MAX;
      h.dirty = true;
      read_handle(h, budget, now); // whatever came in last
      close(m_draining[i]);
      m_draining.erase(m_draining.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  if (m_dir_wd < 0) {
    m_dir_wd = m_inotify.watch_directory(m_dir);
    if (m_dir_wd >= 0 && !m_current) {
      m_problem = fmt::format("{}: waiting for the file to appear", m_spec.path);
    }
  }
  check_path(now);
  mark_all(); // growth inotify did not report (network file systems)
}

} // namespace crashpilot::logs
