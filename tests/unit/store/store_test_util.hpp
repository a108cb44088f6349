// SPDX-License-Identifier: MIT
#pragma once

// Shared by the store tests: a scratch directory per test and hand-made triaged crashes.

#include <model/crash.hpp>

#include <gtest/gtest.h>
#include <store/store.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace crashpilot::store::testing {

// A fresh directory, removed with everything in it unless the test failed (then kept for a look).
class ScratchDir {
public:
  ScratchDir() {
    std::string base = std::filesystem::temp_directory_path() / "crashpilot-store-XXXXXX";
    std::vector<char> buf(base.begin(), base.end());
    buf.push_back('\0');
    char* made = mkdtemp(buf.data());
    EXPECT_NE(made, nullptr);
    m_path = made != nullptr ? made : "";
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    if (!::testing::Test::HasFailure() && !m_path.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(m_path, ec);
    }
  }
  std::string file(const std::string& name) const { return m_path + "/" + name; }
  const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

inline model::Crash crash(const std::string& sig_id, const std::string& category = "NULL_DEREF",
                          std::vector<std::string> frames = {"Map::Update", "World::Update"}) {
  model::Crash c;
  c.kind = model::Kind::signal;
  c.signature.id = sig_id;
  c.signature.frames = std::move(frames);
  c.signature.text = "signal";
  for (const auto& f : c.signature.frames) {
    c.signature.text += "\n" + f;
  }
  c.crash_id = sig_id;
  c.crash_category = category;
  c.severity = "HIGH";
  c.crash_function = c.signature.frames.empty() ? "" : c.signature.frames.front();
  c.crash_location = "src/server/game/Maps/Map.cpp:100";
  c.raw = "Program received signal SIGSEGV\n#0 " + c.crash_function + "\n";
  return c;
}

inline OccurrenceInfo at(Time time, const std::string& build = "build-1") {
  OccurrenceInfo info;
  info.time = time;
  info.build_id = build;
  info.host = "test-host";
  return info;
}

inline Store open_store(const std::string& path, Options options = {}) {
  auto s = Store::open(path, std::move(options));
  if (!s) {
    ADD_FAILURE() << s.error();
    std::abort();
  }
  return std::move(*s);
}

} // namespace crashpilot::store::testing
