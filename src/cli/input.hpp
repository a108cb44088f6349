// SPDX-License-Identifier: MIT
#pragma once

// Reading one input (a file, or "-" for stdin) and triaging every crash in it: shared by `triage`,
// `ingest` and `watch`, so all three refuse the same inputs with the same words.

#include <model/crash.hpp>
#include <triage/rules.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace crashpilot::cli {

struct InputOptions {
  size_t max_input_mb = 1024;
  bool keep_text = false; // keep the input's text in TriagedInput::text (ingest stores it)
};

struct TriagedInput {
  std::vector<model::Crash> crashes; // triaged, in order of appearance
  std::string error;                 // why no crash came out (names the input)
  size_t dropped = 0;                // reports beyond the parser's cap
  std::string text;                  // the whole input when InputOptions::keep_text
};

// Reads and triages `input` ("-" = standard input). Never fails: problems end up in `error`.
TriagedInput triage_input(const std::string& input, const InputOptions& options,
                          const triage::Rules& rules);

// Which crash of a multi-report input leads: the first that carries a kind and a location.
size_t primary_index(const std::vector<model::Crash>& crashes);

} // namespace crashpilot::cli
