// SPDX-License-Identifier: MIT
// Hostile responses: each is rejected with a reason naming the problem, moved to rejected/, and
// nothing under responses/, in_progress/ or the source tree changes.
#include <fmt/format.h>
#include <queue/validate.hpp>

#include <fstream>

#include "queue_test_util.hpp"

using namespace queue_test;
using nlohmann::json;

namespace {

const char* k_good_diff = "diff --git a/src/modules/Bot/Bot.cpp b/src/modules/Bot/Bot.cpp\n"
                          "--- a/src/modules/Bot/Bot.cpp\n"
                          "+++ b/src/modules/Bot/Bot.cpp\n"
                          "@@ -1,3 +1,3 @@\n"
                          " line 1\n"
                          "-line 2\n"
                          "+line two\n"
                          " line 3\n";

std::string diff_for(const std::string& path, const std::string& old_line = "line 2") {
  return fmt::format("diff --git a/{0} b/{0}\n--- a/{0}\n+++ b/{0}\n@@ -1,3 +1,3 @@\n line "
                     "1\n-{1}\n+changed\n line 3\n",
                     path, old_line);
}

class Hostile : public ::testing::Test {
protected:
  void SetUp() override {
    repo = dir.path() + "/repo";
    base = make_repo(repo);
    auto in = sample_input();
    in.source.repo_root = repo;
    in.source.base_commit = base;
    q.emplace(open_queue(dir.path() + "/queue"));
    auto e = q->enqueue(in, 1'700'000'100);
    ASSERT_TRUE(e) << e.error();
    id = e->request_id;
    auto c = q->claim(id, "tester", 1'700'000'100);
    ASSERT_TRUE(c) << c.error();
    lease = c->lease.lease_id;
  }

  json response(const std::string& diff) const {
    return {{"schema_version", 2},
            {"request_id", id},
            {"lease_id", lease},
            {"status", "complete"},
            {"analysis", {{"summary", "s"}}},
            {"patch", {{"format", "unified-diff"}, {"base_commit", base}, {"diff", diff}}}};
  }

  void write_response(const std::string& bytes) const {
    std::ofstream(q->response_path(id), std::ios::binary) << bytes;
  }

  // Checks the response, expects a rejection naming `needle`, and that nothing else changed.
  void expect_rejected(const std::string& needle) {
    auto before_repo = snapshot(repo);
    auto before_progress = snapshot(q->dir("in_progress"));
    std::string before_status = git(repo, {"status", "--porcelain"}).out;
    auto r = q->check_response(id, 1'700'000'200);
    ASSERT_TRUE(r) << r.error();
    ASSERT_FALSE(r->validation.ok()) << "accepted, expected a rejection for: " << needle;
    std::string all = crashpilot::util::join(r->validation.reasons, "\n");
    EXPECT_NE(all.find(needle), std::string::npos) << "reasons:\n" << all;
    EXPECT_TRUE(names_in(q->dir("responses")).empty());
    EXPECT_TRUE(fs::exists(r->rejected_path));
    auto reason = crashpilot::util::read_file(r->reason_path);
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find(needle), std::string::npos);
    EXPECT_EQ(snapshot(repo), before_repo);
    EXPECT_EQ(snapshot(q->dir("in_progress")), before_progress);
    EXPECT_EQ(git(repo, {"status", "--porcelain"}).out, before_status);
  }

  crashpilot::util::TempDir dir = scratch();
  std::string repo;
  std::string base;
  std::optional<crashpilot::queue::Queue> q;
  std::string id;
  std::string lease;
};

} // namespace

TEST_F(Hostile, GoodResponseIsAccepted) {
  write_response(response(k_good_diff).dump());
  auto r = q->check_response(id, 1'700'000'200);
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(r->validation.ok()) << crashpilot::util::join(r->validation.reasons, "\n");
  ASSERT_TRUE(r->validation.response);
  EXPECT_TRUE(r->validation.response->auto_applicable());
  EXPECT_TRUE(fs::exists(q->response_path(id)));
  EXPECT_TRUE(names_in(q->dir("rejected")).empty());
}

TEST_F(Hostile, PathTraversal) {
  write_response(response(diff_for("src/modules/../../etc/passwd")).dump());
  expect_rejected("path traversal");
}

TEST_F(Hostile, AbsolutePath) {
  json j = response(k_good_diff);
  j["patch"]["files"] = json::array({{{"path", "/etc/passwd"}, {"change", "modify"}}});
  write_response(j.dump());
  expect_rejected("absolute path");
}

TEST_F(Hostile, GitDirectory) {
  write_response(response(diff_for("src/modules/.git/config")).dump());
  expect_rejected(".git/");
}

TEST_F(Hostile, ForbiddenPath) {
  write_response(response(diff_for("src/server/shared/Core.cpp", "core")).dump());
  expect_rejected("forbidden path 'src/server/shared/**'");
}

TEST_F(Hostile, OutsideAllowedPaths) {
  write_response(response(diff_for("README.md")).dump());
  expect_rejected("outside the allowed paths");
}

TEST_F(Hostile, SymlinkLeavingTheRepository) {
  fs::create_symlink(dir.path(), repo + "/src/modules/Bot/escape");
  json j = response(k_good_diff);
  j["patch"]["files"] = json::array({{{"path", "src/modules/Bot/escape/x.cpp"}}});
  write_response(j.dump());
  expect_rejected("symlink");
}

TEST_F(Hostile, WrongRequestId) {
  json j = response(k_good_diff);
  j["request_id"] = "deadbeef";
  write_response(j.dump());
  expect_rejected("request_id 'deadbeef' does not match");
}

TEST_F(Hostile, WrongLease) {
  json j = response(k_good_diff);
  j["lease_id"] = "0123456789abcdef0123456789abcdef";
  write_response(j.dump());
  expect_rejected("does not match the current lease");
}

TEST_F(Hostile, FiftyMegabytes) {
  json j = response(k_good_diff);
  j["notes"] = json::array({std::string(size_t{50} << 20, 'x')});
  write_response(j.dump());
  expect_rejected("over the 8388608 byte cap");
}

TEST_F(Hostile, InvalidUtf8) {
  json j = response(k_good_diff);
  std::string text = j.dump();
  text.insert(text.find("\"s\"") + 1, "\xC3\x28\xFF");
  write_response(text);
  expect_rejected("not valid UTF-8");
}

TEST_F(Hostile, TrailingGarbage) {
  write_response(response(k_good_diff).dump() + "\n{\"request_id\": \"other\"}");
  expect_rejected("trailing garbage");
}

TEST_F(Hostile, DiffThatDoesNotApply) {
  write_response(response(diff_for("src/modules/Bot/Bot.cpp", "line 99")).dump());
  expect_rejected("does not apply");
}

TEST_F(Hostile, OverTheLineBudget) {
  std::string diff =
      "diff --git a/src/modules/Bot/New.cpp b/src/modules/Bot/New.cpp\nnew file mode 100644\n"
      "--- /dev/null\n+++ b/src/modules/Bot/New.cpp\n@@ -0,0 +1,60 @@\n";
  for (int i = 0; i < 60; ++i) {
    diff += "+x\n";
  }
  write_response(response(diff).dump());
  expect_rejected("60 lines changed, the policy allows 50");
}

TEST_F(Hostile, EveryReasonIsListed) {
  json j = response(diff_for("../x.cpp"));
  j["request_id"] = "other";
  j["lease_id"] = "nope";
  write_response(j.dump());
  auto r = q->check_response(id, 1'700'000'200);
  ASSERT_TRUE(r);
  EXPECT_GE(r->validation.reasons.size(), 3u);
}

TEST_F(Hostile, RepeatedRejectionsKeepEarlierOnes) {
  write_response("{");
  ASSERT_TRUE(q->check_response(id, 1));
  write_response("[]");
  ASSERT_TRUE(q->check_response(id, 2));
  EXPECT_EQ(names_in(q->dir("rejected")).size(), 4u);
}

TEST(PathProblem, AcceptsPlainRelativePaths) {
  EXPECT_EQ(crashpilot::queue::path_problem("src/a/b.cpp", ""), "");
  EXPECT_NE(crashpilot::queue::path_problem("C:/x.cpp", ""), "");
  EXPECT_NE(crashpilot::queue::path_problem("src\\x.cpp", ""), "");
  EXPECT_NE(crashpilot::queue::path_problem("", ""), "");
}
