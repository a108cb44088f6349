// SPDX-License-Identifier: MIT
#pragma once

// The fixture manifest (tests/data/crashes/expected.tsv) and the check of one triaged report against
// its row. Shared by the table-driven unit test and bench/triage_accuracy, so both judge alike.

#include <model/crash.hpp>
#include <triage/rules.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace crashpilot::testsupport {

struct ExpectedRow {
  std::string file;                   // relative to tests/data/crashes
  std::string kind;
  std::vector<std::string> functions; // alternatives; empty = unknown ('-')
  std::vector<std::string> locations; // alternatives; empty = none ('-')
  std::string bot;                    // yes / no / unknown
  std::string dedup_group;            // "" when none
  std::string known_gap;              // why crashpilot does not meet this row yet ("" when it should)
};

// GoogleTest prints parameters with this instead of a byte dump.
inline void PrintTo(const ExpectedRow& row, std::ostream* os) { *os << row.file; }

std::vector<ExpectedRow> load_expected(const std::string& data_dir);

struct RowResult {
  bool parsed = false;
  bool kind = false;
  bool function = false;
  bool location = false;
  bool bot = false;
  std::string signature;
  std::string detail; // what differed, for messages
};

RowResult check_row(const ExpectedRow& row, const std::string& data_dir, const triage::Rules& rules);

// Dedup groups whose members did not all get one signature: "group: sigA vs sigB".
std::vector<std::string> dedup_failures(const std::vector<ExpectedRow>& rows, const std::vector<RowResult>& results);

} // namespace crashpilot::testsupport
