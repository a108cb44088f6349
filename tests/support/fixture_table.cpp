// SPDX-License-Identifier: MIT
#include "fixture_table.hpp"

#include <parse/parser.hpp>
#include <triage/triage.hpp>
#include <util/file.hpp>
#include <util/string.hpp>

#include <fmt/format.h>
#include <map>

namespace crashpilot::testsupport {

namespace {

std::vector<std::string> alternatives(std::string_view field) {
  std::vector<std::string> out;
  if (util::trim(field) == "-" || util::trim(field).empty()) {
    return out;
  }
  for (auto alt : util::split(field, '|')) {
    out.emplace_back(util::trim(alt));
  }
  return out;
}

// Where the report shows a repository path, crashpilot's location must end with the expected one.
bool location_matches(const std::string& have, const std::string& want) {
  std::string h = util::to_lower(util::replace_all(have, "\\", "/"));
  std::string w = util::to_lower(want);
  return h.size() >= w.size() && h.compare(h.size() - w.size(), w.size(), w) == 0 &&
         (h.size() == w.size() || h[h.size() - w.size() - 1] == '/');
}

} // namespace

std::vector<ExpectedRow> load_expected(const std::string& data_dir) {
  std::vector<ExpectedRow> rows;
  auto text = util::read_file(data_dir + "/crashes/expected.tsv");
  if (!text) {
    return rows;
  }
  bool header = true;
  for (auto line : util::split(*text, '\n')) {
    if (header) {
      header = false;
      continue;
    }
    if (util::trim(line).empty() || line.starts_with("#")) {
      continue;
    }
    auto f = util::split(line, '\t');
    if (f.size() < 6) {
      continue;
    }
    ExpectedRow r;
    r.file = std::string(f[0]);
    r.kind = std::string(f[1]);
    r.functions = alternatives(f[2]);
    r.locations = alternatives(f[3]);
    r.bot = std::string(f[4]);
    r.dedup_group = f[5] == "-" ? "" : std::string(f[5]);
    if (f.size() > 6) {
      r.known_gap = std::string(util::trim(f[6]));
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

RowResult check_row(const ExpectedRow& row, const std::string& data_dir, const triage::Rules& rules) {
  RowResult res;
  auto text = util::read_file(data_dir + "/crashes/" + row.file);
  if (!text) {
    res.detail = text.error();
    return res;
  }
  auto parsed = parse::parse_text(*text);
  if (parsed.crashes.empty()) {
    res.detail = "no crash parsed";
    return res;
  }
  // The report a reader would call "the crash": the first with a kind and a location, as the CLI does.
  size_t pick = 0;
  for (size_t i = 0; i < parsed.crashes.size(); ++i) {
    triage::triage(parsed.crashes[i], rules);
  }
  for (size_t i = 0; i < parsed.crashes.size(); ++i) {
    const auto& c = parsed.crashes[i];
    if (c.kind != model::Kind::unknown && (!c.crash_function.empty() || c.assertion)) {
      pick = i;
      break;
    }
  }
  const model::Crash& c = parsed.crashes[pick];
  res.parsed = true;
  res.signature = c.signature.id;
  res.kind = std::string(model::to_string(c.kind)) == row.kind;
  if (row.functions.empty()) {
    res.function = c.crash_function.empty() || c.crash_function.find("+0x") != std::string::npos;
  } else {
    for (const auto& want : row.functions) {
      res.function = res.function || c.crash_function == want;
    }
  }
  if (row.locations.empty()) {
    res.location = true;
  } else {
    for (const auto& want : row.locations) {
      res.location = res.location || location_matches(c.crash_location, want);
    }
  }
  res.bot = c.is_bot_related == (row.bot == "yes");
  res.detail = fmt::format("kind={} function='{}' location='{}' bot={} formats={} problems={}", model::to_string(c.kind),
                           c.crash_function, c.crash_location, c.is_bot_related, util::join(c.formats, ","),
                           util::join(c.problems, ","));
  return res;
}

std::vector<std::string> dedup_failures(const std::vector<ExpectedRow>& rows, const std::vector<RowResult>& results) {
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].dedup_group.empty()) {
      groups[rows[i].dedup_group].push_back(i);
    }
  }
  std::vector<std::string> out;
  for (const auto& [name, members] : groups) {
    for (size_t k = 1; k < members.size(); ++k) {
      if (results[members[k]].signature != results[members[0]].signature || results[members[0]].signature.empty()) {
        out.push_back(fmt::format("{}: {} ({}) vs {} ({})", name, rows[members[0]].file, results[members[0]].signature,
                                  rows[members[k]].file, results[members[k]].signature));
      }
    }
  }
  return out;
}

} // namespace crashpilot::testsupport
