// SPDX-License-Identifier: MIT
#pragma once

// A read-only memory map of a whole file: large inputs (a 200 MB server log) are scanned through the
// page cache instead of being copied into the heap, so memory use stays bounded by what is parsed.

#include <util/expected.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace crashpilot::util {

class MappedFile {
public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  ~MappedFile();

  // Maps `path` (a regular file). Directories, devices and files over `max_bytes` give an error
  // naming the path; an empty file maps to an empty view.
  static Expected<MappedFile> open(const std::string& path, size_t max_bytes);

  std::string_view view() const { return {static_cast<const char*>(m_data), m_size}; }
  // Gives the pages before `offset` back to the kernel; reading them again faults them back in from
  // the page cache. Keeps the resident size of a long sequential scan small.
  void release_before(size_t offset) const;

private:
  void* m_data = nullptr;
  size_t m_size = 0;
};

} // namespace crashpilot::util
