// SPDX-License-Identifier: MIT
#include <util/mapped_file.hpp>

#include <util/fd.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <algorithm>

namespace crashpilot::util {

MappedFile::MappedFile(MappedFile&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (m_data) {
      ::munmap(m_data, m_size);
    }
    m_data = std::exchange(other.m_data, nullptr);
    m_size = std::exchange(other.m_size, 0);
  }
  return *this;
}

void MappedFile::release_before(size_t offset) const {
  auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  size_t len = std::min(offset, m_size) / page * page;
  if (m_data && len > 0) {
    ::madvise(m_data, len, MADV_DONTNEED);
  }
}

MappedFile::~MappedFile() {
  if (m_data) {
    ::munmap(m_data, m_size);
  }
}

Expected<MappedFile> MappedFile::open(const std::string& path, size_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return error(fmt::format("{}: cannot stat: {}", path, std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return error(fmt::format("{}: is a directory, not a crash report", path));
  }
  if (!S_ISREG(st.st_mode)) {
    return error(fmt::format("{}: not a regular file", path));
  }
  auto size = static_cast<size_t>(st.st_size);
  if (size > max_bytes) {
    return error(fmt::format("{}: {} MiB is over the {} MiB input limit (set --max-input-mb)", path, size >> 20,
                             max_bytes >> 20));
  }
  MappedFile out;
  if (size == 0) {
    return out;
  }
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (p == MAP_FAILED) {
    return error(fmt::format("{}: cannot map: {}", path, std::strerror(errno)));
  }
  ::madvise(p, size, MADV_SEQUENTIAL);
  out.m_data = p;
  out.m_size = size;
  return out;
}

} // namespace crashpilot::util
