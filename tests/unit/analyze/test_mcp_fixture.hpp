// SPDX-License-Identifier: MIT
#pragma once

// A workspace the MCP tests share: a git repository holding the files of a real crash report's
// stack, a store with that crash recorded (plus a near bucket whose fix was verified), and a queue
// holding its request, as `crashpilot ingest` leaves them.

#include <config/config.hpp>
#include <model/json.hpp>
#include <parse/parser.hpp>
#include <triage/rules.hpp>
#include <triage/triage.hpp>
#include <util/child_process.hpp>
#include <util/file.hpp>
#include <util/string.hpp>
#include <util/temp_dir.hpp>

#include <analyze/mcp_context.hpp>
#include <analyze/mcp_server.hpp>
#include <analyze/mcp_tools.hpp>
#include <gtest/gtest.h>
#include <queue/clock.hpp>
#include <queue/queue.hpp>
#include <store/store.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mcp_test {

namespace fs = std::filesystem;
using namespace crashpilot;
using nlohmann::json;

inline constexpr const char* k_fixture = "gdb/playerbots-2608-fleemanager-lookupentry-btfull.txt";
// Repository paths of the fixture's frames (their report paths end in these).
inline constexpr const char* k_travel = "modules/mod-playerbots/src/Mgr/Travel/TravelMgr.cpp";
inline constexpr const char* k_flee = "modules/mod-playerbots/src/Mgr/Move/FleeManager.cpp";
inline constexpr const char* k_dbc = "src/server/shared/DataStores/DBCStore.h";
inline constexpr const char* k_line_401 =
    "    MapEntry const* entry = sMapStore.LookupEntry(mapid);";

inline const triage::Rules& rules() {
  static const triage::Rules r = [] {
    config::LoadOptions o;
    o.search_default_file = false;
    o.preset = "trinitycore";
    auto c = config::Config::load(o);
    EXPECT_TRUE(c);
    auto parsed = triage::Rules::from_config(*c);
    EXPECT_TRUE(parsed) << parsed.error();
    return std::move(*parsed);
  }();
  return r;
}

inline std::string git(const std::string& repo, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@t"});
  auto r = util::run_command(args);
  EXPECT_TRUE(r && r->ok()) << (r ? r->err : r.error());
  return r ? std::string(util::trim(r->out)) : std::string();
}

inline std::string numbered_file(const std::string& name, int lines) {
  std::string body;
  for (int i = 1; i <= lines; ++i) {
    body += i == 401 ? std::string(k_line_401) : "// " + name + " line " + std::to_string(i);
    body += "\n";
  }
  return body;
}

class Workspace {
public:
  Workspace() {
    auto d = util::TempDir::create("crashpilot-mcp-test-");
    EXPECT_TRUE(d) << d.error();
    dir = std::move(*d);
    repo = dir.path() + "/repo";
    make_repo();
    auto text = util::read_file(std::string(CRASHPILOT_TEST_DATA) + "/crashes/" + k_fixture);
    EXPECT_TRUE(text) << text.error();
    report = *text;
    auto parsed = parse::parse_text(report);
    EXPECT_FALSE(parsed.crashes.empty());
    crash = parsed.crashes.front();
    triage::triage(crash, rules());

    store::Options so;
    // Near when the innermost signature frame is the same: deterministic for the test.
    so.is_near = [](const model::Signature& a, const model::Signature& b) {
      return !a.frames.empty() && !b.frames.empty() && a.frames.front() == b.frames.front();
    };
    auto s = store::Store::open(dir.path() + "/s.db", so);
    EXPECT_TRUE(s) << s.error();
    store.emplace(std::move(*s));
    record_near_bucket_with_verified_fix();
    store::OccurrenceInfo info;
    info.raw = report;
    info.log_context = {
        {"errors_before_crash",
         json::array({{{"message", "old error"}, {"timestamp", "2026-08-30T12:00:00Z"}},
                      {{"message", "Map 571 not found"}, {"timestamp", "2026-08-30T12:29:58Z"}}})},
        {"warnings_before_crash",
         json::array({{{"message", "slow update"}, {"timestamp", "2026-08-30T12:29:59Z"}}})},
        {"server_log_context", json::array({"server line 1", "server line 2", "Map 571 again"})},
        {"playerbot_log_context", json::array({"bot Alice flees"})}};
    auto rec = store->record(crash, info);
    EXPECT_TRUE(rec) << rec.error();
    bucket = rec->bucket;

    queue::QueueOptions qo;
    qo.root = dir.path() + "/q";
    qo.claim_grace_seconds = 0;
    auto q = queue::Queue::open(qo);
    EXPECT_TRUE(q) << q.error();
    queue.emplace(std::move(*q));
    request_id = enqueue(crash, rec->count);

    analyze::McpOptions mo;
    mo.default_holder = "tester@host";
    mo.secret_paths = {"**/.env", "**/*.pem"};
    ctx = std::make_unique<analyze::McpContext>(*queue, &*store, mo);
  }

  std::string enqueue(const model::Crash& c, int64_t count) {
    queue::RequestInput in;
    in.crash = c;
    in.crash.raw.clear();
    in.crash.timestamp = "2026-08-30T12:30:00Z";
    in.bucket = {c.signature.id, c.signature.text, count, 1'700'000'000, 1'700'000'000};
    in.context.errors_before_crash = {{"request copy", "2026-08-30T12:29:00Z"}};
    in.policy.allowed_paths = {"modules/**", "src/server/game/**"};
    in.policy.forbidden_paths = {".git/**", "src/server/shared/**"};
    in.policy.max_files = 3;
    in.policy.max_changed_lines = 50;
    in.source.repo_root = repo;
    in.source.base_commit = base_commit;
    auto e = queue->enqueue(in);
    EXPECT_TRUE(e) << e.error();
    return e ? e->request_id : std::string();
  }

  // Calls a tool; the result's structured content.
  analyze::ToolResult call(const std::string& name, json args = json::object()) {
    auto r = analyze::call_tool(*ctx, name, args);
    EXPECT_TRUE(r) << "no tool " << name;
    return r ? std::move(*r) : analyze::ToolResult{};
  }

  std::string claim(const std::string& id) {
    auto r = call("claim_crash", {{"request_id", id}});
    EXPECT_FALSE(r.is_error) << r.content.dump();
    return r.content.value("lease_id", std::string());
  }

  util::TempDir dir;
  std::string repo;
  std::string base_commit;
  std::string report;
  model::Crash crash;
  std::string bucket;
  std::string near_bucket;
  std::optional<store::Store> store;
  std::optional<queue::Queue> queue;
  std::string request_id;
  std::unique_ptr<analyze::McpContext> ctx;

private:
  void write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(repo + "/" + path).parent_path());
    ASSERT_TRUE(util::write_file_atomic(repo + "/" + path, text));
  }

  void make_repo() {
    fs::create_directories(repo);
    write(k_travel, numbered_file("TravelMgr.cpp", 450));
    write(k_flee, numbered_file("FleeManager.cpp", 200));
    write(k_dbc, numbered_file("DBCStore.h", 100));
    write(".env", "PASSWORD=hunter2\n");
    fs::create_symlink("/etc/passwd", repo + "/modules/link.cpp");
    git(repo, {"init", "-q"});
    git(repo, {"add", "-A"});
    git(repo, {"commit", "-q", "-m", "base"});
    base_commit = git(repo, {"rev-parse", "HEAD"});
    // The working tree moves on after the crash; tools must keep reading the base commit.
    write(k_travel, "changed after the crash\n");
  }

  void record_near_bucket_with_verified_fix() {
    model::Crash near = crash;
    near.signature.id = "0000000near1";
    near.signature.text += "\nOtherCaller";
    near.signature.frames.push_back("OtherCaller");
    near.crash_id = near.signature.id;
    store::OccurrenceInfo info;
    info.time = 1'600'000'000;
    auto r = store->record(near, info);
    ASSERT_TRUE(r) << r.error();
    near_bucket = r->bucket;
    auto req = store->add_request(near_bucket, 1, 1'600'000'100);
    ASSERT_TRUE(req);
    auto attempt = store->start_attempt(*req, "claude-code", 1'600'000'200);
    ASSERT_TRUE(attempt);
    ASSERT_TRUE(store->finish_attempt(*attempt, "answered", "", 0.5, 1'600'000'300));
    ASSERT_TRUE(store->put_patch({*attempt, "diff --git a/x b/x\n", {std::string(k_travel)}, 4}));
    ASSERT_TRUE(
        store->add_verdict(*attempt, "verified", "build ok, no crash in 2h", 1'600'000'400));
  }
};

inline json rpc(const analyze::McpServer& server, const json& message) {
  auto line = server.handle_line(message.dump());
  return line ? json::parse(*line) : json(nullptr);
}

inline json modern_meta() {
  return {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
          {"io.modelcontextprotocol/clientCapabilities", json::object()},
          {"io.modelcontextprotocol/clientInfo", {{"name", "test-client"}, {"version", "1"}}}};
}

} // namespace mcp_test
