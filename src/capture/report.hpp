// SPDX-License-Identifier: MIT
#pragma once

// The files a captured incident leaves: `<stamp>-<pid>-<outcome>.json` (everything, for machines
// and for `crashpilot ingest`) and a `.txt` beside it in gdb's `thread apply all bt` shape, so a
// human reads it like the trace they know and the parse stage reads it back to the same signature.
// Both are written atomically.

#include <model/crash.hpp>
#include <util/expected.hpp>

#include <capture/incident.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace crashpilot::capture {

// `crash` is the incident's crash after triage (to_crash + triage).
nlohmann::json report_json(const Incident& incident, const model::Crash& crash);
std::string report_text(const Incident& incident, const model::Crash& crash);

struct ReportPaths {
  std::string json;
  std::string text;
};
util::Expected<ReportPaths> write_report(const std::string& dir, const Incident& incident,
                                         const model::Crash& crash);

} // namespace crashpilot::capture
