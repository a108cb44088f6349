// SPDX-License-Identifier: MIT
#include <util/stable_files.hpp>

#include <dirent.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

namespace crashpilot::util {

StableFiles::StableFiles(std::function<bool(std::string_view)> accept)
    : m_accept(std::move(accept)) {}

std::vector<FileVersion> StableFiles::poll(const std::vector<std::string>& dirs,
                                           std::vector<std::string>& errors) {
  std::vector<FileVersion> ready;
  std::set<std::string> present;
  for (const std::string& dir : dirs) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      errors.push_back(fmt::format("{}: cannot read directory: {}", dir, std::strerror(errno)));
      continue;
    }
    while (const dirent* e = ::readdir(d)) {
      std::string_view name = e->d_name;
      if (name == "." || name == ".." || !m_accept(name)) {
        continue;
      }
      std::string path =
          dir.ends_with('/') ? dir + std::string(name) : dir + "/" + std::string(name);
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        continue;
      }
      int64_t mtime = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
      int64_t size = st.st_size;
      present.insert(path);
      auto [it, inserted] = m_seen.try_emplace(path, Seen{size, mtime, false});
      if (inserted) {
        continue;
      }
      Seen& s = it->second;
      if (s.size != size || s.mtime_ns != mtime) {
        s = Seen{size, mtime, false}; // changed: wait for it to settle again
        continue;
      }
      if (!s.reported) {
        s.reported = true;
        ready.push_back({path, size, mtime});
      }
    }
    ::closedir(d);
  }
  // Forget files that went away, so the map does not grow with a directory's history.
  std::erase_if(m_seen, [&](const auto& kv) { return !present.contains(kv.first); });
  std::sort(ready.begin(), ready.end(),
            [](const FileVersion& a, const FileVersion& b) { return a.path < b.path; });
  return ready;
}

size_t StableFiles::pending() const {
  size_t n = 0;
  for (const auto& [path, s] : m_seen) {
    n += s.reported ? 0 : 1;
  }
  return n;
}

} // namespace crashpilot::util
