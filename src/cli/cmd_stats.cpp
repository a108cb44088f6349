// SPDX-License-Identifier: MIT
// `crashpilot stats [--days N]`: crashes per day, buckets by status, time to a verified fix, fix
// success rate per category.
#include <cli/commands.hpp>
#include <cli/table.hpp>
#include <cli/workspace.hpp>

#include <fmt/format.h>
#include <store/json.hpp>

namespace crashpilot::cli {

namespace {

std::string duration(double seconds) {
  if (seconds < 3600) {
    return fmt::format("{:.0f} min", seconds / 60);
  }
  if (seconds < 86400 * 2) {
    return fmt::format("{:.1f} h", seconds / 3600);
  }
  return fmt::format("{:.1f} days", seconds / 86400);
}

void print_human(const Terminal& t, const store::Stats& s) {
  int64_t total = 0;
  std::vector<Row> days;
  for (const auto& d : s.per_day) {
    total += d.crashes;
    days.push_back({d.day, std::to_string(d.crashes)});
  }
  fmt::print("{} ({} in {} days)\n", t.bold("Crashes per day"), total, s.per_day.size());
  print_table(t, {"DAY", "CRASHES"}, days);
  fmt::print("\n{}\n", t.bold("Buckets by status"));
  std::vector<Row> statuses;
  for (const auto& [status, n] : s.buckets_by_status) {
    statuses.push_back({status, std::to_string(n)});
  }
  print_table(t, {"STATUS", "BUCKETS"}, statuses);
  fmt::print("\n{}: {} bucket(s) fixed", t.bold("Time to verified fix"), s.fixed_buckets);
  if (s.mean_seconds_to_fix) {
    fmt::print(", mean {}", duration(*s.mean_seconds_to_fix));
  }
  if (s.median_seconds_to_fix) {
    fmt::print(", median {}", duration(static_cast<double>(*s.median_seconds_to_fix)));
  }
  fmt::print("\n");
  if (!s.fix_rate_by_category.empty()) {
    fmt::print("\n{}\n", t.bold("Fix success rate per category"));
    std::vector<Row> rates;
    for (const auto& r : s.fix_rate_by_category) {
      rates.push_back({r.category, std::to_string(r.attempts), std::to_string(r.verified),
                       fmt::format("{:.0f}%", r.rate * 100)});
    }
    print_table(t, {"CATEGORY", "ATTEMPTS", "VERIFIED", "RATE"}, rates);
  }
}

} // namespace

int run_stats(const Invocation& inv, const config::Config& config) {
  int code = exit_code::ok;
  auto ws = open_workspace(inv, config, {.store = true, .queue = false}, code);
  if (!ws) {
    return code;
  }
  auto stats = ws->store->stats(inv.stats.days, store::now_seconds());
  if (!stats) {
    print_error(stats.error());
    return exit_code::failure;
  }
  if (inv.global.json) {
    fmt::print("{}\n", store::to_json(*stats).dump());
  } else {
    print_human(Terminal::detect(inv.global.color), *stats);
  }
  return exit_code::ok;
}

} // namespace crashpilot::cli
