// SPDX-License-Identifier: MIT
#include <util/file.hpp>

#include <util/string.hpp>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crashpilot::util {

namespace {
std::string errno_text() { return std::strerror(errno); }

std::string size_text(size_t bytes) {
  return bytes >= (size_t{1} << 20) ? fmt::format("{} MiB", bytes >> 20) : fmt::format("{} bytes", bytes);
}
} // namespace

Expected<std::string> read_fd(int fd, const std::string& name, ReadLimits limits) {
  std::string out;
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return error(fmt::format("{}: read failed: {}", name, errno_text()));
    }
    if (n == 0) {
      return out;
    }
    if (out.size() + static_cast<size_t>(n) > limits.max_bytes) {
      return error(fmt::format("{}: larger than the {} input limit", name, size_text(limits.max_bytes)));
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

Expected<std::string> read_file(const std::string& path, ReadLimits limits) {
  if (path == "-") {
    return read_fd(STDIN_FILENO, "<stdin>", limits);
  }
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return error(fmt::format("{}: cannot open: {}", path, errno_text()));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return error(fmt::format("{}: cannot stat: {}", path, errno_text()));
  }
  if (S_ISDIR(st.st_mode)) {
    return error(fmt::format("{}: is a directory, not a crash report", path));
  }
  // procfs and sysfs files say size 0 and still have content: those are read to EOF like a pipe.
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    if (static_cast<size_t>(st.st_size) > limits.max_bytes) {
      return error(fmt::format("{}: {} is over the {} input limit", path, size_text(static_cast<size_t>(st.st_size)),
                               size_text(limits.max_bytes)));
    }
    std::string out;
    out.resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < out.size()) {
      ssize_t n = ::read(fd.get(), out.data() + done, out.size() - done);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        return error(fmt::format("{}: read failed: {}", path, errno_text()));
      }
      if (n == 0) {
        break; // the file shrank while we read it
      }
      done += static_cast<size_t>(n);
    }
    out.resize(done);
    return out;
  }
  return read_fd(fd.get(), path, limits);
}

AtomicFile::AtomicFile(std::string path, mode_t mode) : m_path(std::move(path)) {
  // Unique per process and per writer, created exclusively: two writers of one target (threads or
  // processes) never share a temporary file.
  static std::atomic<uint64_t> counter{0};
  m_tmp_path = fmt::format("{}.tmp.{}.{}", m_path, ::getpid(), counter.fetch_add(1));
  m_fd.reset(::open(m_tmp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!m_fd.valid()) {
    m_error = fmt::format("{}: cannot create temporary file: {}", m_tmp_path, errno_text());
  }
}

AtomicFile::~AtomicFile() {
  if (!m_committed && !m_tmp_path.empty()) {
    m_fd.reset();
    ::unlink(m_tmp_path.c_str());
  }
}

Expected<void> AtomicFile::write(std::string_view data) {
  if (!m_error.empty()) {
    return error(m_error);
  }
  while (!data.empty()) {
    ssize_t n = ::write(m_fd.get(), data.data(), data.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      m_error = fmt::format("{}: write failed: {}", m_tmp_path, errno_text());
      return error(m_error);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Expected<void> AtomicFile::commit() {
  if (!m_error.empty()) {
    return error(m_error);
  }
  if (::fsync(m_fd.get()) != 0) {
    return error(fmt::format("{}: fsync failed: {}", m_tmp_path, errno_text()));
  }
  m_fd.reset();
  if (::rename(m_tmp_path.c_str(), m_path.c_str()) != 0) {
    return error(fmt::format("{}: rename to {} failed: {}", m_tmp_path, m_path, errno_text()));
  }
  m_committed = true;
  std::string dir = std::filesystem::path(m_path).parent_path().string();
  Fd dfd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.valid()) {
    ::fsync(dfd.get()); // best effort: some filesystems refuse fsync on directories
  }
  return {};
}

std::optional<int> atomic_temp_owner(std::string_view filename) {
  size_t at = filename.rfind(".tmp.");
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view rest = filename.substr(at + 5);
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos || !parse_int(rest.substr(dot + 1))) {
    return std::nullopt;
  }
  return parse_int(rest.substr(0, dot));
}

Expected<void> write_file_atomic(const std::string& path, std::string_view data, mode_t mode) {
  AtomicFile file(path, mode);
  if (auto r = file.write(data); !r) {
    return r;
  }
  return file.commit();
}

} // namespace crashpilot::util
