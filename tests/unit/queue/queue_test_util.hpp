// SPDX-License-Identifier: MIT
#pragma once

#include <util/child_process.hpp>
#include <util/file.hpp>
#include <util/string.hpp>
#include <util/temp_dir.hpp>

#include <gtest/gtest.h>
#include <queue/queue.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace queue_test {

namespace fs = std::filesystem;
using namespace crashpilot;

inline util::TempDir scratch() {
  auto d = util::TempDir::create("crashpilot-queue-test-");
  EXPECT_TRUE(d) << d.error();
  return std::move(*d);
}

inline std::string data_file(const std::string& name) {
  return std::string(CRASHPILOT_TEST_DATA) + "/queue/" + name;
}

inline queue::RequestInput sample_input(const std::string& bucket = "3f2a9b1c0d4e") {
  queue::RequestInput in;
  model::Crash& c = in.crash;
  c.crash_id = bucket;
  c.timestamp = "2026-08-30T12:30:00Z";
  c.kind = model::Kind::signal;
  c.exception_code = "SIGSEGV";
  c.crash_location = "src/server/game/Spells/Spell.cpp:603";
  c.crash_function = "Spell::HandleMoveTeleportAck";
  c.error_message = "Segmentation fault";
  c.crash_category = "NULL_DEREF";
  c.severity = "CRITICAL";
  c.is_bot_related = true;
  c.root_cause_hypothesis = "m_caster is null";
  c.fix_suggestions = {"check m_caster"};
  c.signature.id = bucket;
  c.signature.text = "signal\nSpell::HandleMoveTeleportAck";
  model::Thread t;
  t.id = "12";
  t.name = "map-update-3";
  t.crashing = true;
  model::Frame f;
  f.index = 0;
  f.function = "Spell::HandleMoveTeleportAck";
  f.file = "/build/src/server/game/Spells/Spell.cpp";
  f.line = 603;
  t.frames.push_back(f);
  c.threads.push_back(t);
  in.bucket = {bucket, "signal Spell::HandleMoveTeleportAck", 1, 1'700'000'000, 1'700'000'000};
  in.context.errors_before_crash = {{"map 571 error", "2026-08-30 12:29:58"}};
  in.context.server_log_context = {"line 1", "line 2"};
  in.policy.allowed_paths = {"src/modules/**", "src/server/game/**"};
  in.policy.forbidden_paths = {".git/**", "src/server/shared/**", "**/*.sql"};
  in.policy.max_files = 3;
  in.policy.max_changed_lines = 50;
  return in;
}

inline queue::Queue open_queue(const std::string& root, int64_t lease_seconds = 600) {
  queue::QueueOptions o;
  o.root = root;
  o.lease_seconds = lease_seconds;
  o.claim_grace_seconds = 0;
  auto q = queue::Queue::open(o);
  EXPECT_TRUE(q) << q.error();
  return std::move(*q);
}

inline util::RunResult git(const std::string& repo, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", repo});
  auto r = util::run_command(args);
  EXPECT_TRUE(r) << r.error();
  return r ? *r : util::RunResult{};
}

// A repository with one commit: src/modules/Bot/Bot.cpp (10 lines) and src/server/shared/Core.cpp.
// Returns the commit id.
inline std::string make_repo(const std::string& repo) {
  fs::create_directories(repo + "/src/modules/Bot");
  fs::create_directories(repo + "/src/server/shared");
  std::string body;
  for (int i = 1; i <= 10; ++i) {
    body += "line " + std::to_string(i) + "\n";
  }
  EXPECT_TRUE(util::write_file_atomic(repo + "/src/modules/Bot/Bot.cpp", body));
  EXPECT_TRUE(util::write_file_atomic(repo + "/src/server/shared/Core.cpp", "core\n"));
  git(repo, {"init", "-q"});
  git(repo, {"add", "-A"});
  git(repo, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base"});
  std::string head = git(repo, {"rev-parse", "HEAD"}).out;
  while (!head.empty() && (head.back() == '\n' || head.back() == '\r')) {
    head.pop_back();
  }
  return head;
}

// Every file under `dir` with its content, to prove a rejection changed nothing.
inline std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().string().find("/.git/") == std::string::npos) {
      auto text = util::read_file(e.path().string());
      out[e.path().string()] = text ? *text : "";
    }
  }
  return out;
}

inline std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace queue_test
