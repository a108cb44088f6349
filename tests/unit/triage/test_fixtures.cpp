// SPDX-License-Identifier: MIT
// Table-driven: every real report in tests/data/crashes against expected.tsv (function, location, kind,
// bot flag, dedup groups). A row with a known_gap states why crashpilot does not meet it yet; such a
// row must keep failing, so a fixed gap is noticed and the note removed.
#include "../../support/fixture_table.hpp"
#include "triage_test_util.hpp"

using namespace crashpilot;

namespace {
const std::string k_data = CRASHPILOT_TEST_DATA;
}

class FixtureTable : public ::testing::TestWithParam<testsupport::ExpectedRow> {};

TEST_P(FixtureTable, MatchesManifest) {
  const auto& row = GetParam();
  auto r = testsupport::check_row(row, k_data, triage::testing::rules());
  bool all = r.parsed && r.kind && r.function && r.location && r.bot;
  if (!row.known_gap.empty()) {
    EXPECT_FALSE(all) << row.file << " now meets its row: remove the known_gap note (" << row.known_gap << ")";
    return;
  }
  EXPECT_TRUE(r.parsed) << r.detail;
  EXPECT_TRUE(r.kind) << "expected kind " << row.kind << "; " << r.detail;
  EXPECT_TRUE(r.function) << "expected function " << (row.functions.empty() ? "-" : row.functions[0]) << "; " << r.detail;
  EXPECT_TRUE(r.location) << "expected location " << (row.locations.empty() ? "-" : row.locations[0]) << "; " << r.detail;
  EXPECT_TRUE(r.bot) << "expected bot " << row.bot << "; " << r.detail;
}

INSTANTIATE_TEST_SUITE_P(Crashes, FixtureTable, ::testing::ValuesIn(testsupport::load_expected(k_data)),
                         [](const ::testing::TestParamInfo<testsupport::ExpectedRow>& param) {
                           std::string name = param.param.file;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) {
                               ch = '_';
                             }
                           }
                           return name;
                         });

TEST(FixtureTableDedup, GroupsShareASignature) {
  auto rows = testsupport::load_expected(k_data);
  ASSERT_EQ(rows.size(), 44u);
  std::vector<testsupport::RowResult> results;
  for (const auto& row : rows) {
    results.push_back(testsupport::check_row(row, k_data, triage::testing::rules()));
  }
  for (const auto& f : testsupport::dedup_failures(rows, results)) {
    ADD_FAILURE() << f;
  }
}
