// SPDX-License-Identifier: MIT
// Claim, lease, reclaim, release and complete, including concurrent claimers (fork) and a claimer
// killed with SIGKILL in the middle of a write.
#include <queue/clock.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "queue_test_util.hpp"

using namespace queue_test;
using crashpilot::queue::now_unix;

TEST(Claim, MovesRequestAndWritesLease) {
  auto dir = scratch();
  auto q = open_queue(dir.path());
  auto e = q.enqueue(sample_input(), 1000);
  ASSERT_TRUE(e);
  auto c = q.claim(e->request_id, "me", 1000);
  ASSERT_TRUE(c) << c.error();
  EXPECT_FALSE(fs::exists(q.request_path("requests", e->request_id)));
  EXPECT_TRUE(fs::exists(q.request_path("in_progress", e->request_id)));
  auto lease = q.current_lease(e->request_id);
  ASSERT_TRUE(lease);
  EXPECT_EQ(lease->lease_id, c->lease.lease_id);
  EXPECT_EQ(lease->lease_id.size(), 32u);
  EXPECT_EQ(lease->holder, "me");
  EXPECT_EQ(lease->pid, ::getpid());
  EXPECT_EQ(lease->expires_at, 1600);
  auto found = q.find(e->request_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->request["status"], "in_progress");
  EXPECT_EQ(found->request["claims"].size(), 1u);
  // A second claim fails: the request is no longer pending.
  EXPECT_FALSE(q.claim(e->request_id, "other", 1001));
}

TEST(Claim, RootIsPrivateAndIdsAreChecked) {
  auto dir = scratch();
  auto q = open_queue(dir.path() + "/q");
  EXPECT_EQ(fs::status(dir.path() + "/q").permissions() & fs::perms::all, fs::perms::owner_all);
  for (auto d : {"requests", "in_progress", "responses", "completed", "rejected"}) {
    EXPECT_TRUE(fs::is_directory(q.dir(d))) << d;
  }
  auto bad = q.claim("../requests/x", "me", 1);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("not a valid request id"), std::string::npos);
}

TEST(Claim, EightProcessesExactlyOneWins) {
  auto dir = scratch();
  auto q = open_queue(dir.path());
  auto e = q.enqueue(sample_input(), 1000);
  ASSERT_TRUE(e);
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  std::vector<pid_t> kids;
  for (int i = 0; i < 8; ++i) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(go[1]);
      char b;
      (void)!::read(go[0], &b, 1); // all start together when the parent closes the pipe
      auto child_q = crashpilot::queue::Queue::open(q.options());
      bool won =
          child_q && child_q->claim(e->request_id, "claimer" + std::to_string(i), 1000).has_value();
      ::_exit(won ? 0 : 1);
    }
    kids.push_back(pid);
  }
  ::close(go[0]);
  ::close(go[1]);
  int winners = 0;
  for (pid_t pid : kids) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    winners += WEXITSTATUS(status) == 0 ? 1 : 0;
  }
  EXPECT_EQ(winners, 1);
  auto found = q.find(e->request_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->request["claims"].size(), 1u);
  EXPECT_TRUE(q.current_lease(e->request_id).has_value());
}

TEST(Claim, KilledClaimerLeavesNoPartialFileAndItsLeaseIsReclaimed) {
  auto dir = scratch();
  auto q = open_queue(dir.path(), /*lease_seconds=*/1);
  auto e = q.enqueue(sample_input(), now_unix());
  ASSERT_TRUE(e);
  std::string id = e->request_id;
  std::string response = q.response_path(id);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto child_q = crashpilot::queue::Queue::open(q.options());
    if (!child_q || !child_q->claim(id, "doomed", now_unix())) {
      ::_exit(3);
    }
    // Writes its response through AtomicFile, slowly, and never commits: killed mid-write.
    crashpilot::util::AtomicFile f(response);
    std::string chunk(1 << 16, 'x');
    while (true) {
      (void)f.write(chunk);
      ::usleep(1000);
    }
  }
  // Wait until the child holds the lease and its temporary file has grown.
  bool writing = false;
  for (int i = 0; i < 2000 && !writing; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    for (const auto& name : names_in(q.dir("responses"))) {
      writing = writing || (name.find(".tmp.") != std::string::npos &&
                            fs::file_size(q.dir("responses") + "/" + name) > (1u << 18));
    }
  }
  ASSERT_TRUE(writing);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));

  EXPECT_FALSE(fs::exists(response)); // no partial response_{id}.json
  auto lease = q.current_lease(id);
  ASSERT_TRUE(lease);
  EXPECT_EQ(lease->holder, "doomed");
  EXPECT_FALSE(q.reclaim(id, "rescuer", lease->expires_at - 1)); // not expired yet
  auto c = q.reclaim(id, "rescuer", lease->expires_at);
  ASSERT_TRUE(c) << c.error();
  EXPECT_TRUE(c->reclaimed);
  EXPECT_EQ(c->attempt, 2);
  auto found = q.find(id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->request["attempt"]["number"], 2);
  ASSERT_EQ(found->request["claims"].size(), 2u);
  EXPECT_EQ(found->request["claims"][0]["outcome"], "lease_expired");
  EXPECT_EQ(found->request["claims"][1]["holder"], "rescuer");
  EXPECT_EQ(q.current_lease(id)->holder, "rescuer");
  // The dead writer's temporary file is garbage that gc removes.
  EXPECT_EQ(q.remove_stale_temp_files(), 1u);
  EXPECT_TRUE(names_in(q.dir("responses")).empty());
}

TEST(Claim, ClaimerDeadBeforeLeaseIsReclaimable) {
  auto dir = scratch();
  auto q = open_queue(dir.path());
  auto e = q.enqueue(sample_input(), 1000);
  ASSERT_TRUE(e);
  // What a claimer killed between its rename and its lease write leaves behind.
  fs::rename(q.request_path("requests", e->request_id),
             q.request_path("in_progress", e->request_id));
  auto c = q.reclaim(e->request_id, "rescuer", now_unix() + 1);
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->attempt, 2);
}

TEST(Claim, ReleasePutsItBackWithTheReason) {
  auto dir = scratch();
  auto q = open_queue(dir.path());
  auto e = q.enqueue(sample_input(), 1000);
  ASSERT_TRUE(e);
  auto c = q.claim(e->request_id, "me", 1000);
  ASSERT_TRUE(c);
  EXPECT_FALSE(q.release(e->request_id, "wrong", "x", 1001));
  ASSERT_TRUE(q.release(e->request_id, c->lease.lease_id, "agent crashed", 1001));
  EXPECT_TRUE(fs::exists(q.request_path("requests", e->request_id)));
  EXPECT_FALSE(fs::exists(q.lease_path(e->request_id)));
  auto found = q.find(e->request_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->request["status"], "pending");
  EXPECT_EQ(found->request["claims"][0]["reason"], "agent crashed");
  EXPECT_TRUE(q.claim(e->request_id, "again", 1002));
}

TEST(Claim, CompleteMovesRequestResponseAndLease) {
  auto dir = scratch();
  auto q = open_queue(dir.path());
  auto e = q.enqueue(sample_input(), 1000);
  ASSERT_TRUE(e);
  auto c = q.claim(e->request_id, "me", 1000);
  ASSERT_TRUE(c);
  nlohmann::json resp = {{"schema_version", 2},
                         {"request_id", e->request_id},
                         {"lease_id", c->lease.lease_id},
                         {"status", "no_fix"},
                         {"analysis", {{"summary", "not reproducible"}}}};
  ASSERT_TRUE(crashpilot::util::write_file_atomic(q.response_path(e->request_id), resp.dump()));
  auto done = q.complete(e->request_id, c->lease.lease_id, 1001);
  ASSERT_TRUE(done) << done.error();
  auto names = names_in(q.dir("completed"));
  EXPECT_EQ(names.size(), 3u);
  EXPECT_TRUE(names_in(q.dir("in_progress")).empty());
  EXPECT_TRUE(names_in(q.dir("responses")).empty());
  EXPECT_EQ(q.find(e->request_id)->request["status"], "completed");
}

TEST(Claim, ClaimNextTakesTheHighestPriority) {
  auto dir = scratch();
  auto q = open_queue(dir.path());
  auto low = sample_input("aaaa");
  low.crash.severity = "LOW";
  auto high = sample_input("bbbb");
  ASSERT_TRUE(q.enqueue(low, 1'700'000'000));
  auto h = q.enqueue(high, 1'700'000'000);
  ASSERT_TRUE(h);
  auto c = q.claim_next("me", 1'700'000'000);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->request_id, h->request_id);
}
