// SPDX-License-Identifier: MIT
#pragma once

#include <util/temp_dir.hpp>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <logs/follower.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace logs_test {

using namespace crashpilot;
using namespace std::chrono_literals;

inline util::TempDir scratch() {
  auto d = util::TempDir::create("crashpilot-logs-test-");
  EXPECT_TRUE(d) << d.error();
  return std::move(*d);
}

// Appends with write(2) on a fresh descriptor, as a logger with O_APPEND does.
inline void append(const std::string& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fd);
}

inline bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(5ms);
  }
  return done();
}

inline std::vector<std::string> texts(const std::vector<logs::Line>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) {
    out.push_back(l.text);
  }
  return out;
}

inline std::vector<std::string> texts(const logs::Follower& f, std::string_view source) {
  return texts(f.snapshot(source));
}

inline bool has_line(const logs::Follower& f, std::string_view source, std::string_view text) {
  auto t = texts(f, source);
  return std::find(t.begin(), t.end(), text) != t.end();
}

inline logs::SourceSpec file_source(std::string name, std::string path,
                                    logs::StartAt start = logs::StartAt::end,
                                    std::string role = "server") {
  logs::SourceSpec s;
  s.name = std::move(name);
  s.kind = logs::SourceKind::file;
  s.path = std::move(path);
  s.start = start;
  s.role = std::move(role);
  return s;
}

inline logs::SourceSpec stream_source(std::string stream, std::string role = "server") {
  logs::SourceSpec s;
  s.name = stream;
  s.kind = logs::SourceKind::stream;
  s.stream = std::move(stream);
  s.role = std::move(role);
  return s;
}

inline logs::Options options(std::vector<logs::SourceSpec> sources) {
  logs::Options o;
  o.sources = std::move(sources);
  o.error_patterns = {"\\[ERROR\\]"};
  o.warn_patterns = {"\\[WARN\\]"};
  o.freeze_regex = "World Thread hangs";
  return o;
}

inline logs::Follower started(logs::Options o) {
  auto f = logs::Follower::create(std::move(o));
  EXPECT_TRUE(f) << f.error();
  auto ok = f->start();
  EXPECT_TRUE(ok) << ok.error();
  return std::move(*f);
}

} // namespace logs_test
