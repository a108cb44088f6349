// SPDX-License-Identifier: MIT
#pragma once

// Analysis responses of every schema crashpilot reads, in one struct:
//   v2 (agent-integration.md §6.3): request_id, lease_id, status, analysis{}, patch{base_commit,
//   diff,
//      edits[], files[]}, fix_strategy{}, ...
//   v1 schema A (the seed's /analyze-crash): fix_content text, fix_strategy{files_to_modify[]}, ...
//   v1 schema B (the seed's daemons): crash_analysis{}, fix{files_modified[{path, new_code?}]}, ...
// v1 responses carry no base commit and no mechanical patch, so they are shown and never
// auto-applied.

#include <util/expected.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace crashpilot::queue {

struct FileChange {
  std::string path;
  std::string change; // "modify", "add", "delete", or as a v1 response named it
};

struct Edit {
  std::string path;
  std::string old_string;
  std::string new_string;
  bool replace_all = false;
};

enum class ResponseSchema { v2, v1_fix_content, v1_files_modified };

struct Response {
  int schema_version = 2;
  ResponseSchema schema = ResponseSchema::v2;
  std::string request_id;
  std::string lease_id; // v2 only
  std::string timestamp;
  std::string status;  // as written; never trusted for anything but display
  std::string summary; // analysis.summary, root_cause.summary, or fix_strategy.rationale
  std::string base_commit;
  std::string diff;
  std::vector<Edit> edits;
  std::vector<FileChange> files; // declared files (patch.files, files_to_modify, files_modified)
  std::string fix_content;       // v1 text fix, shown only
  nlohmann::json raw;

  // A v2 `complete` response with a base commit and a diff or edits. Validation still decides.
  bool auto_applicable() const;
};

// Reads a parsed response. Wrong types of known fields give an error naming the field.
util::Expected<Response> response_from_json(const nlohmann::json& j);

} // namespace crashpilot::queue
