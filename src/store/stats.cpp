// SPDX-License-Identifier: MIT
// Store::stats: the numbers `crashpilot stats` shows. Crash counts come from daily_counts (kept
// whatever retention trims); fix figures from the verdicts of attempts.
#include <fmt/format.h>
#include <store/store.hpp>

#include <algorithm>
#include <chrono>

namespace crashpilot::store {

int64_t day_number(Time time) {
  return time >= 0 ? time / 86400 : -((-time + 86399) / 86400);
}

std::string day_string(int64_t day) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

namespace {

util::Expected<void> per_day(const Db& db, int days, Time now, Stats& out) {
  const int64_t last = day_number(now);
  const int64_t first = last - std::max(days, 1) + 1;
  for (int64_t d = first; d <= last; ++d) {
    out.per_day.push_back({day_string(d), 0});
  }
  auto stmt = db.prepare("SELECT day, count FROM daily_counts WHERE day BETWEEN ? AND ?");
  if (!stmt) {
    return util::error(stmt.error());
  }
  stmt->bind(1, first).bind(2, last);
  while (true) {
    auto row = stmt->step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      return {};
    }
    out.per_day[static_cast<size_t>(stmt->column_int(0) - first)].crashes = stmt->column_int(1);
  }
}

util::Expected<void> by_status(const Db& db, Stats& out) {
  for (BucketStatus s : {BucketStatus::open, BucketStatus::fixing, BucketStatus::fixed,
                         BucketStatus::regressed, BucketStatus::ignored}) {
    out.buckets_by_status[std::string(to_string(s))] = 0;
  }
  auto stmt = db.prepare("SELECT status, count(*) FROM buckets GROUP BY status");
  if (!stmt) {
    return util::error(stmt.error());
  }
  while (true) {
    auto row = stmt->step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      return {};
    }
    out.buckets_by_status[stmt->column_text(0)] = stmt->column_int(1);
  }
}

// An attempt is judged once it has a verdict; it succeeded when any of its verdicts is `verified`.
util::Expected<void> fix_rates(const Db& db, Stats& out) {
  auto stmt = db.prepare(R"sql(
    SELECT category, count(*), sum(ok) FROM (
      SELECT b.category AS category, max(v.verdict = ?) AS ok
      FROM verdicts v JOIN attempts a ON v.attempt = a.id
        JOIN analysis_requests r ON a.request = r.id JOIN buckets b ON r.bucket = b.signature_id
      GROUP BY v.attempt)
    GROUP BY category ORDER BY category)sql");
  if (!stmt) {
    return util::error(stmt.error());
  }
  stmt->bind(1, k_verdict_verified);
  while (true) {
    auto row = stmt->step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      return {};
    }
    CategoryFixRate rate{stmt->column_text(0), stmt->column_int(1), stmt->column_int(2), 0.0};
    rate.rate = rate.attempts > 0
                    ? static_cast<double>(rate.verified) / static_cast<double>(rate.attempts)
                    : 0.0;
    out.fix_rate_by_category.push_back(std::move(rate));
  }
}

util::Expected<void> time_to_fix(const Db& db, Stats& out) {
  auto stmt = db.prepare(R"sql(
    SELECT min(v.time) - b.first_seen
    FROM verdicts v JOIN attempts a ON v.attempt = a.id
      JOIN analysis_requests r ON a.request = r.id JOIN buckets b ON r.bucket = b.signature_id
    WHERE v.verdict = ?
    GROUP BY b.signature_id)sql");
  if (!stmt) {
    return util::error(stmt.error());
  }
  stmt->bind(1, k_verdict_verified);
  std::vector<int64_t> seconds;
  while (true) {
    auto row = stmt->step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      break;
    }
    seconds.push_back(stmt->column_int(0));
  }
  out.fixed_buckets = static_cast<int64_t>(seconds.size());
  if (seconds.empty()) {
    return {};
  }
  std::sort(seconds.begin(), seconds.end());
  double sum = 0;
  for (int64_t s : seconds) {
    sum += static_cast<double>(s);
  }
  out.mean_seconds_to_fix = sum / static_cast<double>(seconds.size());
  size_t mid = seconds.size() / 2;
  out.median_seconds_to_fix =
      seconds.size() % 2 == 1 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2;
  return {};
}

} // namespace

util::Expected<Stats> Store::stats(int days, Time now) const {
  // One read transaction: every figure from the same snapshot.
  auto tx = Transaction::begin(*m_db, Transaction::Mode::deferred);
  if (!tx) {
    return util::error(tx.error());
  }
  Stats out;
  if (auto r = per_day(*m_db, days, now, out); !r) {
    return util::error(r.error());
  }
  if (auto r = by_status(*m_db, out); !r) {
    return util::error(r.error());
  }
  if (auto r = fix_rates(*m_db, out); !r) {
    return util::error(r.error());
  }
  if (auto r = time_to_fix(*m_db, out); !r) {
    return util::error(r.error());
  }
  return out;
}

} // namespace crashpilot::store
