// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <queue/response.hpp>

namespace crashpilot::queue {

using nlohmann::json;

namespace {

std::string str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) {
    return "";
  }
  if (!j[key].is_string()) {
    throw std::runtime_error(fmt::format("field '{}' is not a string", key));
  }
  return j[key].get<std::string>();
}

const json& obj(const json& j, const char* key) {
  static const json empty = json::object();
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) {
    return empty;
  }
  if (!j[key].is_object()) {
    throw std::runtime_error(fmt::format("field '{}' is not an object", key));
  }
  return j[key];
}

const json& arr(const json& j, const char* key) {
  static const json empty = json::array();
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) {
    return empty;
  }
  if (!j[key].is_array()) {
    throw std::runtime_error(fmt::format("field '{}' is not an array", key));
  }
  return j[key];
}

void read_v2(const json& j, Response& r) {
  const json& patch = obj(j, "patch");
  r.lease_id = str(j, "lease_id");
  r.summary = str(obj(j, "analysis"), "summary");
  r.base_commit = str(patch, "base_commit");
  r.diff = str(patch, "diff");
  for (const json& e : arr(patch, "edits")) {
    Edit edit;
    edit.path = str(e, "path");
    edit.old_string = str(e, "old_string");
    edit.new_string = str(e, "new_string");
    edit.replace_all = e.is_object() && e.value("replace_all", false);
    r.edits.push_back(std::move(edit));
  }
  for (const json& f : arr(patch, "files")) {
    r.files.push_back({str(f, "path"), str(f, "change")});
  }
  r.fix_content = str(j, "fix_content");
}

void read_schema_a(const json& j, Response& r) {
  const json& strategy = obj(j, "fix_strategy");
  r.summary = str(strategy, "rationale");
  for (const json& f : arr(strategy, "files_to_modify")) {
    // Strings in the seed's spec; {path, new_content} in its proposed v4.
    r.files.push_back({f.is_string() ? f.get<std::string>() : str(f, "path"), "modify"});
  }
  r.fix_content = str(j, "fix_content");
}

void read_schema_b(const json& j, Response& r) {
  const json& fix = obj(j, "fix");
  r.summary = str(obj(obj(j, "crash_analysis"), "root_cause"), "summary");
  for (const json& f : arr(fix, "files_modified")) {
    r.files.push_back({str(f, "path"), str(f, "change_type")});
    std::string code = str(f, "new_code");
    if (!code.empty()) {
      r.fix_content += fmt::format("// {}\n{}\n", str(f, "path"), code);
    }
  }
  if (r.fix_content.empty()) {
    const json& changes = obj(fix, "code_changes");
    r.fix_content = str(changes, "after");
  }
}

} // namespace

bool Response::auto_applicable() const {
  return schema == ResponseSchema::v2 && status == "complete" && !base_commit.empty() &&
         (!diff.empty() || !edits.empty());
}

util::Expected<Response> response_from_json(const json& j) {
  if (!j.is_object()) {
    return util::error(fmt::format("response is a JSON {}, not an object", j.type_name()));
  }
  Response r;
  r.raw = j;
  try {
    if (j.contains("schema_version")) {
      if (!j["schema_version"].is_number_integer()) {
        return util::error("field 'schema_version' is not an integer");
      }
      r.schema_version = j["schema_version"].get<int>();
    } else {
      r.schema_version = 1; // a missing schema_version is the seed's
    }
    r.request_id = str(j, "request_id");
    r.timestamp = str(j, "timestamp");
    r.status = str(j, "status");
    if (r.schema_version >= 2) {
      if (r.schema_version != 2) {
        return util::error(fmt::format("schema_version {} is newer than this crashpilot reads (2)",
                                       r.schema_version));
      }
      r.schema = ResponseSchema::v2;
      read_v2(j, r);
    } else if (j.contains("fix") && j["fix"].is_object()) {
      r.schema = ResponseSchema::v1_files_modified;
      if (r.status.empty() && j.value("analysis_complete", false)) {
        r.status = "complete";
      }
      read_schema_b(j, r);
    } else {
      r.schema = ResponseSchema::v1_fix_content;
      read_schema_a(j, r);
    }
  } catch (const std::exception& e) {
    return util::error(fmt::format("response: {}", e.what()));
  }
  return r;
}

} // namespace crashpilot::queue
