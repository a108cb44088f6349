// SPDX-License-Identifier: MIT
#pragma once

// The bench's input: reports made from the fixture reports, varied so that they form many buckets
// with repeats, the way a crash directory fills over weeks. Deterministic: the same N gives the
// same reports.

#include <triage/rules.hpp>

#include <store/records.hpp>

#include <string>
#include <vector>

namespace crashpilot::bench {

struct Fixture {
  std::string path;
  std::string text;
  // The last identifier of the first crash's crash_function (after triage), when it occurs in the
  // text as a whole word: renaming it changes the signature. Empty: the fixture is never renamed.
  std::string rename_token;
};

struct Report {
  std::string text;
  store::Time time = 0;
  std::string host;
  std::string path; // a made-up report path (the store records it)
};

// Every *.txt under `dir`, sorted by path; fixtures without a crash are left out.
std::vector<Fixture> load_fixtures(const std::string& dir, const triage::Rules& rules);

// Report i comes from fixture i % F. About a third have the crash function renamed to one of 8
// variants (token + "V<k>"): new buckets that then repeat. About a fifth are byte-identical copies
// of the fixture (the store keeps their text once). The rest, and the renamed ones, get their 0x
// addresses of 8+ hex digits slid by a per-report amount, as a rebuild or ASLR would. Times run
// forward by 53 s per report from 2025-06-15.
std::vector<Report> make_reports(const std::vector<Fixture>& fixtures, size_t n);

} // namespace crashpilot::bench
