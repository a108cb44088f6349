// SPDX-License-Identifier: MIT
#include <util/temp_dir.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

namespace crashpilot::util {

Expected<TempDir> TempDir::create(const std::string& prefix, const std::string& parent) {
  std::string base = parent;
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::string pattern = base + "/" + prefix + "XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    return error(
        fmt::format("{}: cannot create a temporary directory: {}", pattern, std::strerror(errno)));
  }
  TempDir dir;
  dir.m_path = buf.data();
  return dir;
}

TempDir::TempDir(TempDir&& other) noexcept : m_path(std::exchange(other.m_path, {})) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    remove();
    m_path = std::exchange(other.m_path, {});
  }
  return *this;
}

TempDir::~TempDir() {
  remove();
}

void TempDir::remove() {
  if (!m_path.empty()) {
    std::error_code ec; // best effort: a destructor cannot report
    std::filesystem::remove_all(m_path, ec);
    m_path.clear();
  }
}

} // namespace crashpilot::util
