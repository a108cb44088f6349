// SPDX-License-Identifier: MIT
// One writer at a time: several Store instances on one file, in threads and in processes, all
// record without "database is locked" reaching them (SQLite's locks plus the busy timeout serialize
// them).
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "store_test_util.hpp"

using namespace crashpilot;
using namespace crashpilot::store;
using store::testing::at;
using store::testing::crash;
using store::testing::open_store;
using store::testing::ScratchDir;

namespace {

// Records `n` crashes spread over a few buckets; returns the first error, or "".
std::string write_many(const std::string& path, int writer, int n) {
  auto s = Store::open(path);
  if (!s) {
    return s.error();
  }
  for (int i = 0; i < n; ++i) {
    model::Crash c = crash("c" + std::to_string(i % 5) + "0000000000");
    c.raw = "writer " + std::to_string(writer) + " crash " + std::to_string(i) + "\n";
    auto r = s->record(c, at(1000 + i));
    if (!r) {
      return r.error();
    }
    if (i % 10 == 0) {
      auto list = s->list_buckets(); // readers run beside the writer (WAL)
      if (!list) {
        return list.error();
      }
    }
  }
  return "";
}

} // namespace

TEST(Concurrency, TwoThreadsWriteTheSameStore) {
  ScratchDir dir;
  const std::string path = dir.file("s.db");
  { Store s = open_store(path); }
  std::string e1, e2;
  std::thread t1([&] { e1 = write_many(path, 1, 150); });
  std::thread t2([&] { e2 = write_many(path, 2, 150); });
  t1.join();
  t2.join();
  EXPECT_EQ(e1, "");
  EXPECT_EQ(e2, "");
  Store s = open_store(path);
  EXPECT_EQ(*s.db().query_int("SELECT sum(count) FROM buckets"), 300);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM occurrences"), 300);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM buckets"), 5);
}

TEST(Concurrency, FourProcessesCreateAndWriteANewStore) {
  ScratchDir dir;
  const std::string path = dir.file("s.db"); // not created yet: the migrations race too
  constexpr int k_procs = 4;
  std::vector<pid_t> pids;
  for (int p = 0; p < k_procs; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      std::string e = write_many(path, p, 60);
      if (!e.empty()) {
        fprintf(stderr, "writer %d: %s\n", p, e.c_str());
      }
      _exit(e.empty() ? 0 : 1);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer failed (see stderr)";
  }
  Store s = open_store(path);
  EXPECT_EQ(*s.db().query_int("SELECT sum(count) FROM buckets"), k_procs * 60);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM schema_version"), 1);
}

TEST(Concurrency, WriterHeldPastTheTimeoutGivesAClearError) {
  ScratchDir dir;
  const std::string path = dir.file("s.db");
  Store holder = open_store(path);
  Options o;
  o.busy_timeout_ms = 100;
  Store waiter = open_store(path, o);
  auto tx = Transaction::begin(holder.db());
  ASSERT_TRUE(tx);
  auto r = waiter.record(crash("aaaaaaaaaaaa"), at(1));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find(path), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("locked"), std::string::npos) << r.error();
}
