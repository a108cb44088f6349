// SPDX-License-Identifier: MIT
#pragma once

// Ingesting one triaged input: every crash is recorded in the store (a bucket per signature), and
// its bucket gets one analysis request in the queue (the queue updates an open request instead of
// adding a second). Shared by `ingest` and `watch`.

#include <cli/input.hpp>
#include <cli/terminal.hpp>
#include <cli/workspace.hpp>

#include <loop/record.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crashpilot::cli {

struct IngestedCrash {
  size_t index = 0; // into TriagedInput::crashes
  store::RecordResult record;
  std::optional<queue::EnqueueResult> request; // nullopt: the bucket is ignored, no request
};

// Records and enqueues every crash of `input` (already triaged), read from `report_path`. Stops at
// the first store or queue error.
util::Expected<std::vector<IngestedCrash>> ingest_input(Workspace& ws, const TriagedInput& input,
                                                        const std::string& report_path,
                                                        const loop::OccurrenceExtras& extras = {});

// One line per crash: human (new bucket / seen N times / REGRESSED, signature, function, location,
// request id) or one JSON object (--json).
void print_ingested(const Terminal& t, bool json, const std::string& report_path,
                    const TriagedInput& input, const IngestedCrash& ic);
// The line for an input without a crash.
void print_not_ingested(const Terminal& t, bool json, const std::string& report_path,
                        const TriagedInput& input);

} // namespace crashpilot::cli
