// SPDX-License-Identifier: MIT
// Following files through rotation and truncation, files that appear later, streams with a tee,
// and stopping while a writer is busy.
#include <util/utf8.hpp>

#include <poll.h>

#include <atomic>
#include <cstdio>
#include <filesystem>

#include "logs_test_util.hpp"

namespace {

using namespace logs_test;
namespace fs = std::filesystem;

TEST(Follower, FollowsFromTheEndByDefault) {
  auto dir = scratch();
  std::string path = dir.path() + "/Server.log";
  append(path, "old 1\nold 2\n");
  auto f = started(options({file_source("Server.log", path)}));
  ASSERT_TRUE(f.sync(2s));
  append(path, "new 1\nnew 2\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "new 2"); }));
  EXPECT_EQ(texts(f, "Server.log"), (std::vector<std::string>{"new 1", "new 2"}));
  auto st = f.status();
  ASSERT_EQ(st.size(), 1u);
  EXPECT_TRUE(st[0].following);
  EXPECT_EQ(st[0].lines.lines, 2u);
}

TEST(Follower, FollowsFromTheStartWhenAsked) {
  auto dir = scratch();
  std::string path = dir.path() + "/Server.log";
  append(path, "old 1\nold 2\n");
  auto f = started(options({file_source("Server.log", path, logs::StartAt::beginning)}));
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "old 2"); }));
  append(path, "new\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "new"); }));
  EXPECT_EQ(texts(f, "Server.log"), (std::vector<std::string>{"old 1", "old 2", "new"}));
}

TEST(Follower, RenameAndCreateRotation) {
  auto dir = scratch();
  std::string path = dir.path() + "/Server.log";
  append(path, "");
  auto f = started(options({file_source("Server.log", path)}));
  ASSERT_TRUE(f.sync(2s));
  // A writer that keeps its descriptor, as TrinityCore does.
  int writer = ::open(path.c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(writer, 0);
  auto put = [&](std::string_view s) {
    ASSERT_EQ(::write(writer, s.data(), s.size()), ssize_t(s.size()));
  };
  put("before rotation\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "before rotation"); }));
  ASSERT_EQ(::rename(path.c_str(), (path + ".1").c_str()), 0);
  append(path, "new file line\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "new file line"); }));
  // The old file is still written to (the server has not reopened it): not lost.
  put("late line in the old file\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "late line in the old file"); }));
  ::close(writer);
  append(path, "second new line\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "second new line"); }));
  auto st = f.status();
  ASSERT_TRUE(f.sync(2s));
  st = f.status();
  EXPECT_GE(st[0].file.rotations, 1u);
  EXPECT_EQ(texts(f, "Server.log").size(), 4u);
}

TEST(Follower, CopyTruncateRotation) {
  auto dir = scratch();
  std::string path = dir.path() + "/Server.log";
  append(path, "");
  auto f = started(options({file_source("Server.log", path)}));
  ASSERT_TRUE(f.sync(2s));
  append(path, "a fairly long line written before the copy\n");
  ASSERT_TRUE(wait_for(
      [&] { return has_line(f, "Server.log", "a fairly long line written before the copy"); }));
  // logrotate copytruncate: copy, then truncate in place; the writer appends on.
  fs::copy_file(path, path + ".1");
  ASSERT_EQ(::truncate(path.c_str(), 0), 0);
  append(path, "after\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "after"); }));
  ASSERT_TRUE(f.sync(2s));
  EXPECT_GE(f.status()[0].file.truncations, 1u);
  EXPECT_EQ(texts(f, "Server.log").size(), 2u);
}

TEST(Follower, TruncatedByAWriterThatDoesNotAppend) {
  auto dir = scratch();
  std::string path = dir.path() + "/Server.log";
  append(path, "");
  auto f = started(options({file_source("Server.log", path)}));
  ASSERT_TRUE(f.sync(2s));
  append(path, "first run, line one\nfirst run, line two\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "first run, line two"); }));
  // A server restarted with fopen(..., "w"): truncated, then written from the start.
  FILE* w = std::fopen(path.c_str(), "w");
  ASSERT_NE(w, nullptr);
  std::fputs("second run\n", w);
  std::fclose(w);
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "second run"); }));
}

TEST(Follower, FileThatAppearsLater) {
  auto dir = scratch();
  std::string path = dir.path() + "/Playerbot.log";
  auto f = started(options({file_source("Playerbot.log", path)}));
  ASSERT_TRUE(f.sync(2s));
  auto st = f.status();
  EXPECT_FALSE(st[0].following);
  EXPECT_NE(st[0].problem.find("waiting for the file to appear"), std::string::npos)
      << st[0].problem;
  // A new file is read from its first line, even when following "from the end".
  append(path, "first\nsecond\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Playerbot.log", "second"); }));
  EXPECT_EQ(texts(f, "Playerbot.log"), (std::vector<std::string>{"first", "second"}));
  ASSERT_TRUE(f.sync(2s));
  EXPECT_TRUE(f.status()[0].following);
}

TEST(Follower, DirectoryThatAppearsLater) {
  auto dir = scratch();
  std::string logs_dir = dir.path() + "/logs";
  std::string path = logs_dir + "/Server.log";
  auto f = started(options({file_source("Server.log", path)}));
  ASSERT_TRUE(f.sync(2s));
  EXPECT_NE(f.status()[0].problem.find("cannot watch directory"), std::string::npos);
  fs::create_directory(logs_dir);
  append(path, "hello\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "hello"); }, 5s));
}

TEST(Follower, InvalidUtf8AndLongLines) {
  auto dir = scratch();
  std::string path = dir.path() + "/Server.log";
  append(path, "");
  auto o = options({file_source("Server.log", path)});
  o.limits.max_line_bytes = 64;
  auto f = started(o);
  ASSERT_TRUE(f.sync(2s));
  append(path, "bad \xC3\x28 byte\n" + std::string(10000, 'y') + "\nafter\n");
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "after"); }));
  auto t = texts(f, "Server.log");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], "bad \xEF\xBF\xBD( byte");
  EXPECT_TRUE(util::is_valid_utf8(t[1]));
  EXPECT_LE(t[1].size(), 64u);
  EXPECT_TRUE(t[1].ends_with("…"));
  EXPECT_EQ(f.status()[0].lines.cut_lines, 1u);
}

TEST(Follower, StreamWithTee) {
  int server_out[2];
  int tee[2];
  ASSERT_EQ(::pipe(server_out), 0);
  ASSERT_EQ(::pipe(tee), 0);
  auto f = started(options({stream_source("stdout")}));
  EXPECT_TRUE(f.follows_stream("stdout"));
  EXPECT_FALSE(f.follows_stream("stderr"));
  ASSERT_TRUE(f.attach_stream("stdout", util::Fd(server_out[0]), tee[1]));
  ::close(tee[1]); // the follower holds its own copy
  EXPECT_FALSE(f.attach_stream("stderr", util::Fd(::dup(0))));

  std::string bytes = "\x1b[32mINFO\x1b[0m colour\nline two\npartial without newline";
  ASSERT_EQ(::write(server_out[1], bytes.data(), bytes.size()), ssize_t(bytes.size()));
  ::close(server_out[1]); // the server exits: the unfinished line is kept too
  // The tee gets every byte unchanged.
  std::string copied;
  char buf[4096];
  while (copied.size() < bytes.size()) {
    pollfd p{tee[0], POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 5000), 1);
    ssize_t n = ::read(tee[0], buf, sizeof buf);
    ASSERT_GT(n, 0);
    copied.append(buf, static_cast<size_t>(n));
  }
  ::close(tee[0]);
  EXPECT_EQ(copied, bytes);
  ASSERT_TRUE(wait_for([&] { return has_line(f, "stdout", "partial without newline"); }));
  EXPECT_EQ(texts(f, "stdout"),
            (std::vector<std::string>{"INFO colour", "line two", "partial without newline"}));
}

TEST(Follower, ReattachedStreamKeepsItsLines) {
  auto f = started(options({stream_source("stderr")}));
  for (int run = 0; run < 2; ++run) {
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    ASSERT_TRUE(f.attach_stream("stderr", util::Fd(p[0])));
    std::string s = "run " + std::to_string(run) + "\n";
    ASSERT_EQ(::write(p[1], s.data(), s.size()), ssize_t(s.size()));
    ::close(p[1]);
    ASSERT_TRUE(wait_for([&] { return has_line(f, "stderr", "run " + std::to_string(run)); }));
  }
  EXPECT_EQ(texts(f, "stderr"), (std::vector<std::string>{"run 0", "run 1"}));
}

TEST(Follower, StuckTeeNeverBlocksTheStream) {
  int server_out[2];
  int tee[2];
  ASSERT_EQ(::pipe(server_out), 0);
  ASSERT_EQ(::pipe(tee), 0); // nobody reads tee[0]: a terminal on hold
  auto f = started(options({stream_source("stdout")}));
  ASSERT_TRUE(f.attach_stream("stdout", util::Fd(server_out[0]), tee[1]));
  std::string line(100, 'z');
  line += '\n';
  // 4 MB: far more than the pipe (64 KiB) plus the tee's buffer (1 MiB).
  std::thread writer([&] {
    for (int i = 0; i < 40000; ++i) {
      if (::write(server_out[1], line.data(), line.size()) != ssize_t(line.size())) {
        break;
      }
    }
    std::string last = "the last line\n";
    [[maybe_unused]] auto n = ::write(server_out[1], last.data(), last.size());
  });
  EXPECT_TRUE(wait_for([&] { return has_line(f, "stdout", "the last line"); }, 10s));
  writer.join();
  ASSERT_TRUE(f.sync(2s));
  EXPECT_GT(f.status()[0].tee_dropped, 0u);
  ::close(server_out[1]);
  ::close(tee[0]);
  ::close(tee[1]);
}

TEST(Follower, HeartbeatAndFreezeDetector) {
  auto dir = scratch();
  std::string path = dir.path() + "/Server.log";
  append(path, "");
  auto spec = file_source("Server.log", path);
  spec.heartbeat = "World update tick \\d+";
  auto f = logs::Follower::create(options({spec}));
  ASSERT_TRUE(f) << f.error();
  std::atomic<int> calls{0};
  f->on_freeze([&](const logs::FreezeEvent& e) {
    EXPECT_EQ(e.source, "Server.log");
    ++calls;
  });
  ASSERT_TRUE(f->start());
  ASSERT_TRUE(f->sync(2s));
  EXPECT_FALSE(f->last_match_time("Server.log"));
  auto before = std::chrono::system_clock::now();
  append(path, "World update tick 1\nsomething else\n");
  ASSERT_TRUE(wait_for([&] { return f->last_match_time("Server.log").has_value(); }));
  EXPECT_GE(*f->last_match_time("Server.log"), before);
  EXPECT_FALSE(f->last_match_time("no such source"));
  EXPECT_EQ(f->freeze_count(), 0u);
  append(path, "2026-11-24_03:15:02 ERROR [server.worldserver] World Thread hangs for 60034 ms, "
               "forcing a crash!\n");
  ASSERT_TRUE(wait_for([&] { return f->freeze_count() == 1; }));
  EXPECT_EQ(calls.load(), 1);
  ASSERT_TRUE(f->last_freeze());
  EXPECT_NE(f->last_freeze()->text.find("World Thread hangs"), std::string::npos);
}

TEST(Follower, SyncCanFlushAnUnfinishedLine) {
  auto dir = scratch();
  std::string path = dir.path() + "/Server.log";
  append(path, "");
  auto f = started(options({file_source("Server.log", path)}));
  ASSERT_TRUE(f.sync(2s));
  append(path, "complete\nASSERTION FAILED: unit != nullptr");
  ASSERT_TRUE(f.sync(2s));
  EXPECT_EQ(texts(f, "Server.log"), (std::vector<std::string>{"complete"}));
  ASSERT_TRUE(f.sync(2s, true));
  EXPECT_EQ(texts(f, "Server.log"),
            (std::vector<std::string>{"complete", "ASSERTION FAILED: unit != nullptr"}));
}

TEST(Follower, StopWhileAWriterIsActive) {
  auto dir = scratch();
  std::string path = dir.path() + "/Server.log";
  append(path, "");
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  auto f = started(options({file_source("Server.log", path), stream_source("stdout")}));
  ASSERT_TRUE(f.attach_stream("stdout", util::Fd(p[0])));
  std::atomic<bool> done{false};
  std::thread writer([&] {
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
    std::string line = "2026-11-24_03:15:02 INFO  [server] busy busy busy busy busy\n";
    ::fcntl(p[1], F_SETFL, O_NONBLOCK);
    while (!done) {
      [[maybe_unused]] auto a = ::write(fd, line.data(), line.size());
      [[maybe_unused]] auto b = ::write(p[1], line.data(), line.size());
    }
    ::close(fd);
  });
  ASSERT_TRUE(wait_for([&] { return f.status()[0].lines.lines > 1000; }));
  auto t0 = std::chrono::steady_clock::now();
  f.stop();
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_FALSE(f.running());
  EXPECT_LT(took, 1s);
  // The writer is not disturbed; lines written after the stop are not read.
  auto count = f.status()[0].lines.lines;
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(f.status()[0].lines.lines, count);
  done = true;
  writer.join();
  ::close(p[1]);
  EXPECT_FALSE(f.sync(100ms));
}

TEST(Follower, RingBoundsHoldUnderLoad) {
  auto dir = scratch();
  std::string path = dir.path() + "/Server.log";
  append(path, "");
  auto o = options({file_source("Server.log", path)});
  o.limits.ring.max_lines = 100;
  o.limits.alert_lines = 10;
  auto f = started(o);
  ASSERT_TRUE(f.sync(2s));
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    text += (i % 100 == 0 ? "[ERROR] e " : "info ") + std::to_string(i) + "\n";
  }
  append(path, text);
  ASSERT_TRUE(wait_for([&] { return has_line(f, "Server.log", "info 4999"); }));
  auto lines = f.snapshot("Server.log");
  // 100 last lines, plus the errors older than them (kept apart, at most 10).
  EXPECT_EQ(lines.size(), 100u + 10u - 1u);
  EXPECT_EQ(lines.front().text, "[ERROR] e 4000");
  EXPECT_EQ(lines.back().text, "info 4999");
  EXPECT_EQ(f.status()[0].lines.errors, 50u);
}

} // namespace
