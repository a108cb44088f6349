// SPDX-License-Identifier: MIT
#include <cli/table.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

namespace crashpilot::cli {

namespace {

size_t display_width(const std::string& s) {
  // UTF-8 continuation bytes take no column.
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

} // namespace

void print_table(const Terminal& t, const Row& header, const std::vector<Row>& rows) {
  if (!t.is_tty()) {
    auto line = [](const Row& r) {
      std::string out;
      for (size_t i = 0; i < r.size(); ++i) {
        out += (i ? "\t" : "") + r[i];
      }
      fmt::print("{}\n", out);
    };
    line(header);
    for (const Row& r : rows) {
      line(r);
    }
    return;
  }
  std::vector<size_t> width(header.size(), 0);
  auto measure = [&](const Row& r) {
    for (size_t i = 0; i < r.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], display_width(r[i]));
    }
  };
  measure(header);
  std::for_each(rows.begin(), rows.end(), measure);
  auto line = [&](const Row& r, bool bold) {
    std::string out;
    for (size_t i = 0; i < r.size(); ++i) {
      bool last = i + 1 == r.size();
      std::string cell =
          last ? r[i]
               : r[i] + std::string(width[i] - std::min(width[i], display_width(r[i])) + 2, ' ');
      out += cell;
    }
    fmt::print("{}\n", bold ? t.bold(out) : out);
  };
  line(header, true);
  for (const Row& r : rows) {
    line(r, false);
  }
}

std::string short_time(int64_t unix_seconds) {
  if (unix_seconds == 0) {
    return "-";
  }
  std::time_t tt = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

} // namespace crashpilot::cli
