// SPDX-License-Identifier: MIT
#include <logs/prefix.hpp>

#include <cstring>

namespace crashpilot::logs {

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}
bool blank(char c) {
  return c == ' ' || c == '\t';
}
bool upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool alpha(char c) {
  return upper(c) || (c >= 'a' && c <= 'z');
}

// Reads `n` digits at `p`; -1 when any is not a digit.
int number(std::string_view s, size_t p, size_t n) {
  if (p + n > s.size()) {
    return -1;
  }
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!digit(s[p + i])) {
      return -1;
    }
    v = v * 10 + (s[p + i] - '0');
  }
  return v;
}

struct Stamp {
  TimePoint time;
  size_t end = 0;
};

// "YYYY-MM-DD[ _T]HH:MM:SS[.frac][Z|+HH:MM]" at `p`, date separators '-', '/' or '.', time
// separators ':' or '-' (an AzerothCore release wrote "03-15-02").
std::optional<Stamp> read_stamp(std::string_view s, size_t p, LocalClock& clock) {
  if (p + 19 > s.size()) {
    return std::nullopt;
  }
  char ds = s[p + 4];
  if ((ds != '-' && ds != '/' && ds != '.') || s[p + 7] != ds) {
    return std::nullopt;
  }
  char sep = s[p + 10];
  if (sep != ' ' && sep != '_' && sep != 'T') {
    return std::nullopt;
  }
  char ts = s[p + 13];
  if ((ts != ':' && ts != '-') || s[p + 16] != ts) {
    return std::nullopt;
  }
  std::string_view text = s.substr(p, 19);
  const int* f = clock.recall(text);
  if (f == nullptr) {
    int fields[6] = {number(s, p, 4),      number(s, p + 5, 2),  number(s, p + 8, 2),
                     number(s, p + 11, 2), number(s, p + 14, 2), number(s, p + 17, 2)};
    if (fields[0] < 1970 || fields[1] < 1 || fields[1] > 12 || fields[2] < 1 || fields[2] > 31 ||
        fields[3] < 0 || fields[3] > 23 || fields[4] < 0 || fields[4] > 59 || fields[5] < 0 ||
        fields[5] > 60) {
      return std::nullopt;
    }
    clock.remember(text, fields);
    f = clock.recall(text);
  }
  int year = f[0];
  int month = f[1];
  int day = f[2];
  int hour = f[3];
  int minute = f[4];
  int second = f[5];
  size_t q = p + 19;
  int64_t nanos = 0;
  if (q + 1 < s.size() && (s[q] == '.' || s[q] == ',') && digit(s[q + 1])) {
    ++q;
    int64_t scale = 100'000'000;
    while (q < s.size() && digit(s[q])) {
      nanos += (s[q] - '0') * scale;
      scale /= 10;
      ++q;
    }
  }
  std::optional<int> offset_minutes;
  if (q < s.size() && s[q] == 'Z') {
    offset_minutes = 0;
    ++q;
  } else if (q + 2 < s.size() && (s[q] == '+' || s[q] == '-') && sep == 'T') {
    // Only after an ISO 'T': "03:15:02-07:00" is a zone there, a dash elsewhere is message text.
    int hh = number(s, q + 1, 2);
    size_t r = q + 3;
    if (r < s.size() && s[r] == ':') {
      ++r;
    }
    int mm = number(s, r, 2);
    if (hh >= 0 && mm >= 0) {
      offset_minutes = (s[q] == '-' ? -1 : 1) * (hh * 60 + mm);
      q = r + 2;
    }
  }
  std::time_t seconds = 0;
  if (offset_minutes) {
    seconds = static_cast<std::time_t>(days_from_civil(year, month, day) * 86400 + hour * 3600 +
                                       minute * 60 + second - *offset_minutes * 60);
  } else if (auto known = clock.remembered_local()) {
    seconds = *known;
  } else {
    auto t = clock.to_time(year, month, day, hour, minute, second);
    if (!t) {
      return std::nullopt;
    }
    seconds = *t;
    clock.remember_local(seconds);
  }
  Stamp out;
  out.time = std::chrono::system_clock::from_time_t(seconds) +
             std::chrono::duration_cast<std::chrono::system_clock::duration>(
                 std::chrono::nanoseconds(nanos));
  out.end = q;
  return out;
}

size_t skip_blanks(std::string_view s, size_t p) {
  while (p < s.size() && blank(s[p])) {
    ++p;
  }
  return p;
}

// "[word]" at p: the word and the offset after ']'.
std::optional<std::pair<std::string_view, size_t>> bracketed(std::string_view s, size_t p) {
  if (p >= s.size() || s[p] != '[') {
    return std::nullopt;
  }
  size_t close = s.find(']', p + 1);
  if (close == std::string_view::npos || close - p - 1 > 32) {
    return std::nullopt;
  }
  return std::make_pair(s.substr(p + 1, close - p - 1), close + 1);
}

// A level at `p`: "[LEVEL]" in any case, "LEVEL:" in any case, or an upper-case "LEVEL" followed
// by a blank (TrinityCore pads it to five columns). After a timestamp a logger name may come first
// ("[net] [error]", spdlog). Without a timestamp a bare upper-case word must be followed by a
// "[filter]" or a colon, so a sentence starting with "INFO" is not taken for a level.
void read_level(std::string_view s, size_t p, bool after_time, Prefix& out) {
  auto done = [&](Level level, size_t q) {
    if (q < s.size() && s[q] == ':') {
      ++q;
    }
    out.level = level;
    out.message = static_cast<uint32_t>(skip_blanks(s, q));
  };
  auto ends_token = [&](size_t q) { return q >= s.size() || blank(s[q]) || s[q] == ':'; };
  if (auto b = bracketed(s, p)) {
    if (auto level = level_from_word(b->first); level && ends_token(b->second)) {
      done(*level, b->second);
      return;
    }
    if (after_time) {
      size_t q = skip_blanks(s, b->second);
      if (auto b2 = bracketed(s, q)) {
        if (auto level = level_from_word(b2->first); level && ends_token(b2->second)) {
          done(*level, b2->second);
        }
      }
    }
    return;
  }
  size_t q = p;
  bool all_upper = true;
  uint64_t key = 0;
  while (q < s.size() && alpha(s[q]) && q - p < 8) {
    all_upper = all_upper && upper(s[q]);
    key |= static_cast<uint64_t>(static_cast<unsigned char>(s[q]) | 0x20) << (8 * (q - p));
    ++q;
  }
  if (q - p < 3 || (q < s.size() && alpha(s[q]))) {
    return; // too short for a level word, or longer than eight letters
  }
  auto level = level_from_packed(key);
  if (!level) {
    return;
  }
  if (q < s.size() && s[q] == ':') {
    done(*level, q);
    return;
  }
  if (!all_upper || !(q >= s.size() || blank(s[q]))) {
    return;
  }
  if (!after_time) {
    size_t r = skip_blanks(s, q);
    if (r >= s.size() || s[r] != '[') {
      return;
    }
  }
  done(*level, q);
}

} // namespace

int64_t days_from_civil(int year, int month, int day) {
  // Howard Hinnant's algorithm: days since 1970-01-01 in the proleptic Gregorian calendar.
  int64_t y = year - (month <= 2 ? 1 : 0);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = static_cast<unsigned>((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1);
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<std::time_t> LocalClock::to_time(int year, int month, int day, int hour, int minute,
                                               int second) {
  int64_t key = ((((int64_t{year} * 13 + month) * 32 + day) * 24 + hour) * 60) + minute;
  if (key != m_key) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_isdst = -1; // let the zone rules decide, as localtime_r() did when writing it
    std::time_t t = std::mktime(&tm);
    if (t == static_cast<std::time_t>(-1)) {
      return std::nullopt;
    }
    m_key = key;
    m_minute = t;
  }
  return m_minute + second;
}

const int* LocalClock::recall(std::string_view text) const {
  if (!m_remembered || text.size() != sizeof m_text ||
      std::memcmp(text.data(), m_text, sizeof m_text) != 0) {
    return nullptr;
  }
  return m_fields;
}

void LocalClock::remember(std::string_view text, const int (&fields)[6]) {
  if (text.size() != sizeof m_text) {
    return;
  }
  std::memcpy(m_text, text.data(), sizeof m_text);
  std::memcpy(m_fields, fields, sizeof m_fields);
  m_remembered = true;
  m_local.reset();
}

Prefix parse_prefix(std::string_view line, LocalClock& clock) {
  Prefix out;
  std::optional<Stamp> stamp;
  if (!line.empty() && line[0] == '[') {
    stamp = read_stamp(line, 1, clock);
    if (stamp && !(stamp->end < line.size() && line[stamp->end] == ']')) {
      stamp.reset();
    } else if (stamp) {
      ++stamp->end;
    }
  } else if (!line.empty() && digit(line[0])) {
    stamp = read_stamp(line, 0, clock);
  }
  if (stamp && (stamp->end >= line.size() || blank(line[stamp->end]))) {
    out.time = stamp->time;
    out.body = static_cast<uint32_t>(skip_blanks(line, stamp->end));
  }
  out.message = out.body;
  read_level(line, out.body, out.time.has_value(), out);
  return out;
}

} // namespace crashpilot::logs
