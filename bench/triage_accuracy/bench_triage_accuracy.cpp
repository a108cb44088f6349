// SPDX-License-Identifier: MIT
// Agreement of crashpilot's triage with the fixture manifest (tests/data/crashes/expected.tsv), as
// percentages: meaningful function, location, kind, bot flag, and dedup groups sharing a signature.
#include "../../tests/support/fixture_table.hpp"

#include <config/config.hpp>

#include <fmt/format.h>

int main(int argc, char** argv) {
  using namespace crashpilot;
  bool verbose = argc > 1 && std::string_view(argv[1]) == "-v";
  config::LoadOptions o;
  o.search_default_file = false;
  auto c = config::Config::load(o);
  auto rules = triage::Rules::from_config(*c);
  const std::string data = CRASHPILOT_TEST_DATA;
  auto rows = testsupport::load_expected(data);
  if (rows.empty()) {
    fmt::print(stderr, "no rows in {}/crashes/expected.tsv\n", data);
    return 1;
  }
  std::vector<testsupport::RowResult> results;
  size_t parsed = 0, kind = 0, function = 0, location = 0, bot = 0, all = 0;
  for (const auto& row : rows) {
    auto r = testsupport::check_row(row, data, *rules);
    parsed += r.parsed;
    kind += r.kind;
    function += r.function;
    location += r.location;
    bot += r.bot;
    bool ok = r.parsed && r.kind && r.function && r.location && r.bot;
    all += ok;
    if (verbose && !ok) {
      fmt::print("MISS {}: {}\n", row.file, r.detail);
    }
    results.push_back(std::move(r));
  }
  auto pct = [&](size_t n) { return 100.0 * static_cast<double>(n) / static_cast<double>(rows.size()); };
  size_t groups = 0;
  for (const auto& row : rows) {
    groups += !row.dedup_group.empty();
  }
  auto dedup = testsupport::dedup_failures(rows, results);
  fmt::print("triage accuracy over {} real reports (tests/data/crashes/expected.tsv)\n", rows.size());
  fmt::print("  parsed (a crash found)   {:5.1f}%  ({}/{})\n", pct(parsed), parsed, rows.size());
  fmt::print("  meaningful function      {:5.1f}%  ({}/{})\n", pct(function), function, rows.size());
  fmt::print("  location (file:line)     {:5.1f}%  ({}/{})\n", pct(location), location, rows.size());
  fmt::print("  kind                     {:5.1f}%  ({}/{})\n", pct(kind), kind, rows.size());
  fmt::print("  bot-related flag         {:5.1f}%  ({}/{})\n", pct(bot), bot, rows.size());
  fmt::print("  all of the above         {:5.1f}%  ({}/{})\n", pct(all), all, rows.size());
  fmt::print("  dedup groups agreeing    {} of {} fixture(s) in groups; {} disagreement(s)\n", groups, groups, dedup.size());
  for (const auto& d : dedup) {
    fmt::print("    {}\n", d);
  }
  return 0;
}
