// SPDX-License-Identifier: MIT
#pragma once

// Where one source's lines end up: each line cleaned (text.hpp), stamped and classified
// (prefix.hpp, matcher.hpp), then kept in two rings: every line, and the warnings and errors alone,
// so a flood of INFO lines cannot push the last errors out before a crash. Heartbeat and freeze
// matches are noted on the way.
//
// One thread writes (the follower's); any thread may read through the const members.

#include <logs/line.hpp>
#include <logs/line_buffer.hpp>
#include <logs/matcher.hpp>
#include <logs/ring.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace crashpilot::logs {

struct IntakeLimits {
  RingLimits ring;              // all lines
  size_t alert_lines = 500;     // warnings and errors, kept apart
  size_t max_line_bytes = 4096; // longer lines are cut
};

struct FreezeEvent {
  std::string source;
  std::string text;
  TimePoint time; // arrival
};

struct IntakeCounters {
  uint64_t lines = 0;
  uint64_t bytes = 0;
  uint64_t cut_lines = 0;
  uint64_t errors = 0;
  uint64_t warnings = 0;
};

class Intake final : public LineBuffer::Sink {
public:
  // `seq` numbers lines across the sources of one follower; only the writing thread touches it.
  Intake(std::string name, const Matcher* matcher, IntakeLimits limits, uint64_t* seq);

  const std::string& name() const { return m_name; }

  // Sets the arrival time for the lines handed over next (one clock read per read(2)).
  void set_arrival(TimePoint t) { m_arrival = t; }
  // LineBuffer::Sink: whole lines, and single lines (flushed or over-long).
  void lines(std::string_view block) override;
  void line(std::string_view text) override;

  // Freeze detector lines seen since the last call.
  std::vector<FreezeEvent> take_freezes();
  void expire(TimePoint now);

  // Readers.
  // Appends the kept lines, oldest first: errors and warnings older than the oldest kept line, then
  // every kept line.
  void copy_lines(std::vector<Line>& out) const;
  std::optional<TimePoint> last_heartbeat() const;
  std::optional<TimePoint> last_line() const;
  IntakeCounters counters() const;

private:
  void add(std::string_view raw, size_t offset, std::span<const LiteralSet::Hit> hits,
           bool scanned);
  void publish(uint64_t lines, uint64_t bytes);

  std::string m_name;
  const Matcher* m_matcher;
  IntakeLimits m_limits;
  uint64_t* m_seq;
  TimePoint m_arrival;
  LocalClock m_clock;
  std::string m_scratch;
  bool m_block_plain = false; // the lines being added are printable ASCII
  std::vector<LiteralSet::Hit> m_hits;
  std::vector<uint32_t> m_newlines;
  std::vector<FreezeEvent> m_freezes;

  mutable std::mutex m_mutex; // the rings
  Ring m_all;
  Ring m_alerts;

  std::atomic<int64_t> m_heartbeat_ns{INT64_MIN};
  std::atomic<int64_t> m_last_line_ns{INT64_MIN};
  std::atomic<uint64_t> m_lines{0}, m_bytes{0}, m_cut{0}, m_errors{0}, m_warnings{0};
};

} // namespace crashpilot::logs
