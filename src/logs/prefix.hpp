// SPDX-License-Identifier: MIT
#pragma once

// The timestamp and level a logger writes in front of its message. Recognised:
//   TrinityCore appenders   "2026-11-24_03:15:02 ERROR [spells] Spell 8326 ..."   (local time)
//   AzerothCore appenders   "2026-11-24 03:15:02 ERROR [sql.sql] ..."            (local time)
//   the seed's expectation  "2025-10-30 01:05:34 [DEBUG] [server.worldserver]: Message"
//                           "2025-10-30 01:05:34 ERROR: Message"
//   ISO 8601 / spdlog       "2026-11-24T03:15:02.123+01:00 WARN ...", "[2026-11-24 03:15:02.123]
//   [net] [error] ..." no timestamp            "ERROR [spells] ...", "[ERROR] ...", "WARN: ..."
// Without a zone the time is local, as TrinityCore's localtime_r() wrote it. A line with none of
// these keeps Level::unknown and no time; the caller stamps it with its arrival time.

#include <logs/level.hpp>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string_view>

namespace crashpilot::logs {

using TimePoint = std::chrono::system_clock::time_point;

struct Prefix {
  std::optional<TimePoint> time; // the line's own timestamp
  Level level = Level::unknown;  // from the level word, when there is one
  uint32_t body = 0;             // offset of the text after the timestamp (and its blanks)
  uint32_t message = 0;          // offset of the text after the timestamp and the level word
};

// Local broken-down time to a time point, remembering the last minute converted: log lines come in
// order, so one mktime() per minute of log serves all of them. It also remembers the last
// timestamp text read, so the lines of one second are parsed once.
class LocalClock {
public:
  std::optional<std::time_t> to_time(int year, int month, int day, int hour, int minute,
                                     int second);

  // Fields (year, month, day, hour, minute, second) of the 19-byte timestamp text last remembered,
  // when `text` is that text.
  const int* recall(std::string_view text) const;
  void remember(std::string_view text, const int (&fields)[6]);
  // The local time of the remembered text, once converted.
  std::optional<std::time_t> remembered_local() const { return m_local; }
  void remember_local(std::time_t t) { m_local = t; }

private:
  int64_t m_key = -1;
  std::time_t m_minute = 0;
  char m_text[19] = {};
  int m_fields[6] = {};
  bool m_remembered = false;
  std::optional<std::time_t> m_local;
};

Prefix parse_prefix(std::string_view line, LocalClock& clock);

// Days since 1970-01-01 of a proleptic Gregorian date (for UTC times, no time zone database).
int64_t days_from_civil(int year, int month, int day);

} // namespace crashpilot::logs
