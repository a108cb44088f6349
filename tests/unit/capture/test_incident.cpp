// SPDX-License-Identifier: MIT
#include <parse/parser.hpp>

#include <capture/incident.hpp>
#include <capture/report.hpp>
#include <gtest/gtest.h>

#include <csignal>

using namespace crashpilot;
using namespace crashpilot::capture;

namespace {

Incident crash_incident() {
  Incident in;
  in.outcome = Outcome::crash;
  in.signal = SIGSEGV;
  in.si_code = SEGV_MAPERR;
  in.fault_address = 0x10;
  in.process.pid = 77;
  in.process.exe = "/srv/worldserver";
  in.crashing_tid = 78;
  Snapshot s;
  model::Thread t;
  t.id = "78";
  t.name = "map-worker";
  t.crashing = true;
  model::Frame inl;
  inl.function = "Unit::GetHealth() const";
  inl.file = "/src/game/Unit.h";
  inl.line = 120;
  inl.inlined = true;
  inl.address = 0x401000;
  model::Frame out = inl;
  out.function = "Map::Update(unsigned int)";
  out.file = "/src/game/Map.cpp";
  out.line = 77;
  out.inlined = false;
  t.frames = {inl, out};
  s.threads.push_back(t);
  in.snapshot = s;
  return in;
}

} // namespace

TEST(Incident, CrashCarriesSignalFaultAndThreads) {
  model::Crash c = to_crash(crash_incident());
  EXPECT_EQ(c.kind, model::Kind::signal);
  EXPECT_EQ(c.exception_code, "SIGSEGV");
  EXPECT_EQ(c.signal, SIGSEGV);
  EXPECT_EQ(c.fault_address, 0x10u);
  ASSERT_EQ(c.threads.size(), 1u);
  EXPECT_NE(c.error_message.find("SEGV_MAPERR"), std::string::npos);
}

TEST(Incident, AssertionTextFromTheServersOutput) {
  Incident in = crash_incident();
  in.outcome = Outcome::abort;
  in.signal = SIGABRT;
  in.output_tail = {
      "some line",
      "worldserver: Map.cpp:77: void Map::Update(unsigned int): Assertion `m_units' failed."};
  model::Crash c = to_crash(in);
  EXPECT_EQ(c.kind, model::Kind::assertion);
  ASSERT_TRUE(c.assertion);
  EXPECT_EQ(c.assertion->condition, "m_units");
  EXPECT_EQ(c.assertion->line, 77);
}

TEST(Incident, DeepRepeatingStackIsAStackOverflow) {
  Incident in = crash_incident();
  auto& frames = in.snapshot->threads[0].frames;
  frames.clear();
  for (int i = 0; i < 256; ++i) {
    model::Frame f;
    f.function = "Recurse(int)";
    frames.push_back(f);
  }
  model::Crash c = to_crash(in);
  EXPECT_NE(c.error_message.find("stack-overflow"), std::string::npos);
  // A shallow stack is not.
  frames.resize(20);
  EXPECT_EQ(to_crash(in).error_message.find("stack-overflow"), std::string::npos);
}

TEST(Incident, ExitsAndHangs) {
  Incident in;
  in.outcome = Outcome::abnormal_exit;
  in.exit_code = 3;
  EXPECT_EQ(to_crash(in).exception_code, "EXIT 3");
  in.outcome = Outcome::hang;
  in.hang_reason = "no heartbeat for 30 s";
  model::Crash h = to_crash(in);
  EXPECT_EQ(h.kind, model::Kind::freeze);
  EXPECT_EQ(h.error_message, "no heartbeat for 30 s");
  EXPECT_FALSE(is_failure(Outcome::clean_exit));
  EXPECT_TRUE(is_failure(Outcome::startup_failure));
}

TEST(Report, TextReadsBackAsTheSameStack) {
  Incident in = crash_incident();
  model::Crash c = to_crash(in);
  std::string text = report_text(in, c);
  auto parsed = parse::parse_text(text);
  ASSERT_FALSE(parsed.crashes.empty()) << text;
  const auto& frames = parsed.crashes[0].crashing_frames();
  ASSERT_GE(frames.size(), 2u) << text;
  EXPECT_EQ(frames[0].function, "Unit::GetHealth");
  EXPECT_EQ(frames[0].line, 120);
  EXPECT_EQ(frames[1].function, "Map::Update");
  EXPECT_EQ(frames[1].file, "/src/game/Map.cpp");
  EXPECT_EQ(parsed.crashes[0].signal, SIGSEGV);
}

TEST(Report, JsonHasTheSeedCrashAndTheProcess) {
  Incident in = crash_incident();
  model::Crash c = to_crash(in);
  auto j = report_json(in, c);
  EXPECT_EQ(j["outcome"], "crash");
  EXPECT_EQ(j["process"]["pid"], 77);
  EXPECT_EQ(j["signal"]["name"], "SIGSEGV");
  EXPECT_EQ(j["signal"]["si_code_name"], "SEGV_MAPERR");
  EXPECT_EQ(j["crash"]["exception_code"], "SIGSEGV");
  EXPECT_TRUE(j["context"].contains("errors_before_crash"));
}
