// SPDX-License-Identifier: MIT
// `crashpilot ingest FILE... | -`: triage each input, record every crash in the store and give its
// bucket an analysis request in the queue; one line per crash.
#include <cli/commands.hpp>
#include <cli/ingest.hpp>

#include <algorithm>
#include <cstdio>

namespace crashpilot::cli {

int run_ingest(const Invocation& inv, const config::Config& config) {
  if (std::count(inv.ingest.inputs.begin(), inv.ingest.inputs.end(), "-") > 1) {
    print_error("'-' (standard input) given more than once");
    return exit_code::usage;
  }
  int code = exit_code::ok;
  auto ws = open_workspace(inv, config, {}, code);
  if (!ws) {
    return code;
  }
  Terminal t = Terminal::detect(inv.global.color);
  bool all_ok = true;
  for (const std::string& input : inv.ingest.inputs) {
    TriagedInput triaged =
        triage_input(input, InputOptions{inv.ingest.max_input_mb, true}, ws->rules);
    std::string report_path = input == "-" ? "<stdin>" : input;
    if (triaged.crashes.empty()) {
      all_ok = false;
      print_not_ingested(t, inv.global.json, report_path, triaged);
      continue;
    }
    auto done = ingest_input(*ws, triaged, report_path);
    if (!done) {
      print_error(done.error());
      return exit_code::failure;
    }
    for (const auto& ic : *done) {
      print_ingested(t, inv.global.json, report_path, triaged, ic);
    }
    std::fflush(stdout);
  }
  return all_ok ? exit_code::ok : exit_code::no_crash;
}

} // namespace crashpilot::cli
