// SPDX-License-Identifier: MIT
#pragma once

#include <util/expected.hpp>

#include <string>

namespace crashpilot::util {

// A fresh private directory (mkdtemp) removed with everything in it when the owner goes away.
class TempDir {
public:
  // Creates `<parent>/<prefix>XXXXXX`; parent "" = $TMPDIR or /tmp.
  static Expected<TempDir> create(const std::string& prefix, const std::string& parent = "");
  TempDir() = default;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  ~TempDir();

  const std::string& path() const { return m_path; }

private:
  void remove();
  std::string m_path;
};

} // namespace crashpilot::util
