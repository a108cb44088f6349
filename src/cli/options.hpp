// SPDX-License-Identifier: MIT
#pragma once

// The command line as plain data. parse_args() has no side effects, so tests feed it string vectors;
// run() in main.cpp acts on the result.

#include <util/expected.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crashpilot::cli {

struct GlobalOptions {
  std::optional<std::string> config_file; // --config FILE
  std::string preset;                     // --preset NAME
  std::vector<std::string> sets;          // --set KEY=VALUE (repeatable)
  bool json = false;                      // --json: machine output
  bool color = true;                      // --no-color turns it off (also NO_COLOR)
};

struct TriageOptions {
  std::vector<std::string> inputs; // files, or "-" for stdin
  bool raw = false;                // include the raw report text in --json output
  bool all_threads = false;        // print every thread (human output)
  size_t max_input_mb = 1024;
};

struct ConfigOptions {
  std::string action = "print"; // print
  bool origins = true;
};

struct Invocation {
  std::string command; // "triage", "config", "version"; "" when only --help/--version was asked
  GlobalOptions global;
  TriageOptions triage;
  ConfigOptions config;
  std::string help_text; // set when the user asked for help: print it and exit 0
};

// Parses argv (without the program name). Usage errors come back as an error with CLI11's message.
util::Expected<Invocation> parse_args(const std::vector<std::string>& args);

} // namespace crashpilot::cli
