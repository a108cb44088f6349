// SPDX-License-Identifier: MIT
#pragma once

#include <util/expected.hpp>
#include <util/fd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace crashpilot::util {

struct ReadLimits {
  // Inputs larger than this are refused with a message instead of being loaded.
  size_t max_bytes = size_t{512} << 20;
};

// Reads a whole regular file (or FIFO/stdin via "-") into memory. Directories, missing files and
// files over the limit give an error naming the path and the problem.
Expected<std::string> read_file(const std::string& path, ReadLimits limits = {});
// Reads all of a file descriptor, stopping with an error past the limit.
Expected<std::string> read_fd(int fd, const std::string& name, ReadLimits limits = {});

// Writes a file atomically: a temporary file beside the target, fsync, rename, fsync of the
// directory. Readers see the old content or the new one, never a mix, even after a power cut.
class AtomicFile {
public:
  explicit AtomicFile(std::string path, mode_t mode = 0644);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile(); // discards the temporary file unless commit() succeeded

  Expected<void> write(std::string_view data);
  Expected<void> commit();

private:
  std::string m_path;
  std::string m_tmp_path;
  Fd m_fd;
  std::string m_error;
  bool m_committed = false;
};

// The pid that created an AtomicFile temporary named `filename` ("<target>.tmp.<pid>.<n>"), or
// nullopt when the name is not one. Lets a cleaner remove the temporaries of dead writers.
std::optional<int> atomic_temp_owner(std::string_view filename);

Expected<void> write_file_atomic(const std::string& path, std::string_view data, mode_t mode = 0644);

} // namespace crashpilot::util
