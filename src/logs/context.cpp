// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <logs/context.hpp>

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

namespace crashpilot::logs {

namespace {

using std::chrono::duration_cast;
using std::chrono::floor;
using std::chrono::seconds;

// Which copy of a duplicated line is kept: lower wins.
int priority(const SourceSpec& s) {
  if (s.kind == SourceKind::stream) {
    return 2;
  }
  return s.role == "playerbot" ? 0 : 1;
}

// What two copies of one message share: the text after the timestamp, level and leading
// "[filter]" tags, which differ between a console appender and a file appender.
std::string_view dedup_key(const Line& l) {
  std::string_view s = std::string_view(l.text).substr(std::min<size_t>(l.message, l.text.size()));
  while (true) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.remove_prefix(1);
    }
    if (s.empty() || s.front() != '[') {
      break;
    }
    size_t close = s.find(']');
    if (close == std::string_view::npos || close > 64) {
      break;
    }
    s.remove_prefix(close + 1);
    if (!s.empty() && s.front() == ':') {
      s.remove_prefix(1);
    }
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// A stamp this far ahead of the line's arrival is not the time it was written (a server logging
// in another time zone than ours): it is not used to judge the line.
constexpr auto k_trusted_skew = std::chrono::seconds(60);

bool before_crash(const Line& l, TimePoint crash_time) {
  if (l.arrival > crash_time + k_late_arrival) {
    return false; // read after the crash: written after it (the follower reads milliseconds behind)
  }
  // A whole-second stamp (TrinityCore's) was written within the second it names: at or after it.
  bool trusted = l.own_time && l.time <= l.arrival + k_trusted_skew;
  return !trusted || l.time <= crash_time;
}

} // namespace

std::string iso_utc(TimePoint t) {
  auto secs = floor<seconds>(t);
  auto millis = duration_cast<std::chrono::milliseconds>(t - secs).count();
  int64_t s = secs.time_since_epoch().count();
  int64_t days = s >= 0 ? s / 86400 : (s - 86399) / 86400;
  int64_t rem = s - days * 86400;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, rem / 3600,
                                rem / 60 % 60, rem % 60);
  if (millis != 0) {
    out += fmt::format(".{:03}", millis);
  }
  return out + "Z";
}

model::LogContext crash_context(std::vector<Line> lines, const std::vector<SourceSpec>& sources,
                                TimePoint crash_time, const ContextOptions& options) {
  std::map<std::string, size_t, std::less<>> index;
  for (size_t i = 0; i < sources.size(); ++i) {
    index.emplace(sources[i].name, i);
  }
  auto spec_of = [&](const Line& l) -> const SourceSpec* {
    auto it = index.find(l.source);
    return it == index.end() ? nullptr : &sources[it->second];
  };
  std::erase_if(lines, [&](const Line& l) { return !before_crash(l, crash_time); });

  // Duplicates: copies in better sources first; each copy cancels at most one copy in another
  // source, so a message the server really repeats is still counted as often as it was logged.
  std::vector<size_t> order(lines.size());
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  auto rank = [&](const Line& l) {
    const SourceSpec* s = spec_of(l);
    return s != nullptr ? priority(*s) * 1000 + static_cast<int>(index.at(l.source)) : 9999;
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    int ra = rank(lines[a]);
    int rb = rank(lines[b]);
    return ra != rb ? ra < rb : lines[a].seq < lines[b].seq;
  });
  std::vector<bool> dropped(lines.size(), false);
  if (options.dedup_window.count() > 0) {
    std::unordered_map<std::string_view, std::vector<size_t>> kept; // key -> unmatched kept copies
    for (size_t i : order) {
      Line& l = lines[i];
      std::string_view key = dedup_key(l);
      if (key.empty()) {
        continue;
      }
      auto& copies = kept[key];
      auto match = std::find_if(copies.begin(), copies.end(), [&](size_t k) {
        const Line& o = lines[k];
        auto gap = o.arrival > l.arrival ? o.arrival - l.arrival : l.arrival - o.arrival;
        return o.source != l.source && gap <= options.dedup_window;
      });
      if (match != copies.end()) {
        Line& keep = lines[*match];
        keep.level = std::max(keep.level, l.level); // the console may not print the level
        dropped[i] = true;
        copies.erase(match);
      } else {
        copies.push_back(i);
      }
    }
  }
  std::vector<const Line*> timeline;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!dropped[i]) {
      timeline.push_back(&lines[i]);
    }
  }
  // Reading order: live, it is the order the lines were written in, whatever the clocks in their
  // stamps say; a file read from its start keeps its own order.
  std::sort(timeline.begin(), timeline.end(),
            [](const Line* a, const Line* b) { return a->seq < b->seq; });

  model::LogContext out;
  auto take_last = [&](auto&& wanted, size_t limit, auto&& add) {
    std::vector<const Line*> picked;
    for (auto it = timeline.rbegin(); it != timeline.rend() && picked.size() < limit; ++it) {
      if (wanted(**it)) {
        picked.push_back(*it);
      }
    }
    for (auto it = picked.rbegin(); it != picked.rend(); ++it) {
      add(**it);
    }
  };
  auto as_log_line = [](const Line& l) {
    return model::LogLine{l.text.substr(std::min<size_t>(l.body, l.text.size())), iso_utc(l.time)};
  };
  take_last([](const Line& l) { return l.level >= Level::error; }, options.max_errors,
            [&](const Line& l) { out.errors_before_crash.push_back(as_log_line(l)); });
  take_last([](const Line& l) { return l.level == Level::warn; }, options.max_warnings,
            [&](const Line& l) { out.warnings_before_crash.push_back(as_log_line(l)); });
  auto role_is = [&](std::string_view role) {
    return [&spec_of, role](const Line& l) {
      const SourceSpec* s = spec_of(l);
      return s != nullptr && s->role == role;
    };
  };
  take_last(role_is("server"), options.context_lines,
            [&](const Line& l) { out.server_log_context.push_back(l.text); });
  take_last(role_is("playerbot"), options.context_lines,
            [&](const Line& l) { out.playerbot_log_context.push_back(l.text); });
  return out;
}

model::LogContext crash_context(const Follower& follower, TimePoint crash_time,
                                const ContextOptions& options) {
  return crash_context(follower.snapshot(), follower.options().sources, crash_time, options);
}

model::LogContext crash_context(const Follower& follower, TimePoint crash_time) {
  return crash_context(follower, crash_time, follower.options().context);
}

} // namespace crashpilot::logs
