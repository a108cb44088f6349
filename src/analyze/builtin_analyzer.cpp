// SPDX-License-Identifier: MIT
#include <util/string.hpp>

#include <analyze/builtin_analyzer.hpp>
#include <fmt/format.h>
#include <queue/clock.hpp>
#include <queue/snippets.hpp>

#include <set>

namespace crashpilot::analyze {

using nlohmann::json;

namespace {

constexpr size_t k_look_at_frames = 4;
constexpr size_t k_max_similar = 5;
constexpr size_t k_max_log_errors = 3;

const json& object_at(const json& j, const char* key) {
  static const json empty = json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : empty;
}

const json& array_at(const json& j, const char* key) {
  static const json empty = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : empty;
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t integer(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// A function name without template arguments and parameter lists: triage's crash_function is
// normalized this way ("DBCStorage::LookupEntry"), frames keep what the report printed
// ("DBCStorage<MapEntry>::LookupEntry(unsigned int) const").
std::string bare_function(std::string_view f) {
  std::string out;
  int depth = 0;
  for (char c : f) {
    if (c == '<' || c == '(') {
      ++depth;
    } else if ((c == '>' || c == ')') && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return std::string(util::trim(out));
}

// The frame triage chose: meaningful_frame when the request has it, else the first frame in the
// crash function, else the innermost frame with a function name.
size_t meaningful_index(const json& crash, const json& frames) {
  if (auto it = crash.find("meaningful_frame"); it != crash.end() && it->is_number_integer()) {
    int64_t i = it->get<int64_t>();
    if (i >= 0 && static_cast<size_t>(i) < frames.size()) {
      return static_cast<size_t>(i);
    }
  }
  std::string function = str(crash, "crash_function");
  for (size_t i = 0; i < frames.size(); ++i) {
    if (!function.empty() && (str(frames[i], "function") == function ||
                              bare_function(str(frames[i], "function")) == function)) {
      return i;
    }
  }
  for (size_t i = 0; i < frames.size(); ++i) {
    if (!str(frames[i], "function").empty()) {
      return i;
    }
  }
  return 0;
}

std::string frame_text(const json& f) {
  std::string where = str(f, "file");
  if (!where.empty() && integer(f, "line") > 0) {
    where += fmt::format(":{}", integer(f, "line"));
  }
  std::string function = str(f, "function");
  return fmt::format("#{} {}{}", integer(f, "index"), function.empty() ? "??" : function,
                     where.empty() ? std::string() : " (" + where + ")");
}

// The text of line `line` of `file` from the request's snippets ("" when none covers it).
std::string snippet_line(const json& snippets, const std::string& file, int64_t line) {
  for (const auto& s : snippets) {
    std::string path = str(s, "path");
    if (path.empty() || file.empty() || line <= 0) {
      continue;
    }
    // Snippet paths are repository-relative; report paths may carry a build prefix.
    bool same = file == path || (file.size() > path.size() &&
                                 file.compare(file.size() - path.size(), path.size(), path) == 0 &&
                                 (file[file.size() - path.size() - 1] == '/' ||
                                  file[file.size() - path.size() - 1] == '\\'));
    int64_t start = integer(s, "start_line");
    int64_t end = integer(s, "end_line");
    if (!same || line < start || line > end) {
      continue;
    }
    auto lines = util::split(str(s, "text"), '\n');
    size_t at = static_cast<size_t>(line - start);
    if (at < lines.size()) {
      std::string text(util::trim(lines[at]));
      // Snippets may number their lines ("603: code" / "603 | code"); keep the code.
      size_t digits = 0;
      while (digits < text.size() && util::is_digit(text[digits])) {
        ++digits;
      }
      if (digits > 0 && digits < text.size() && (text[digits] == ':' || text[digits] == '|')) {
        text = std::string(util::trim(std::string_view(text).substr(digits + 1)));
      }
      return text;
    }
  }
  return {};
}

// Where the request's source lives: its snippets and the repository's file list.
struct Source {
  const json& snippets;
  const std::vector<std::string>& tree;
};

// A report's path of a file as a repository path: through the tree when known, else a snippet
// path it ends with, else as printed.
std::string repo_path(const Source& src, const std::string& file) {
  if (!src.tree.empty() && !file.empty()) {
    std::string mapped = queue::map_to_tree(file, src.tree);
    if (!mapped.empty()) {
      return mapped;
    }
  }
  for (const auto& s : src.snippets) {
    std::string path = str(s, "path");
    if (!path.empty() && file.size() >= path.size() &&
        file.compare(file.size() - path.size(), path.size(), path) == 0) {
      return path;
    }
  }
  return file;
}

// Why this kind of crash usually happens, from the facts only.
std::string cause_from_facts(const json& crash) {
  std::string kind = str(crash, "kind");
  std::string exception = util::to_lower(str(crash, "exception_code") + " " +
                                         str(crash, "exception_name") + " " + str(crash, "signal"));
  std::string fault = util::to_lower(str(crash, "fault_address"));
  const json& assertion = object_at(crash, "assertion");
  std::string condition = str(assertion, "condition");
  if (!condition.empty()) {
    return fmt::format(
        "The assertion `{}` failed{}: a state the code assumes impossible happened. "
        "Find which caller broke the invariant rather than weakening the check.",
        condition, str(assertion, "function").empty() ? "" : " in " + str(assertion, "function"));
  }
  if (!fault.empty()) {
    auto value = util::parse_hex(fault);
    if (value && *value < 0x10000) {
      return fmt::format("The fault address {} is near zero: a null pointer (or a member of a "
                         "null object) was dereferenced. Check which pointer in the crashing line "
                         "can be null on this path.",
                         fault);
    }
  }
  if (util::icontains(exception, "sigfpe") || util::icontains(exception, "divide")) {
    return "An arithmetic fault (usually an integer division by zero) in the crashing line.";
  }
  if (util::icontains(exception, "sigabrt") || kind == "abort") {
    return "The program aborted itself (an assertion, std::terminate or a failed check); the "
           "frames above the abort say which check.";
  }
  if (kind == "freeze" || kind == "deadlock" || kind == "hang") {
    return "The process stopped making progress; look for a lock taken in a different order on "
           "two threads, or a loop that never ends, in the frames listed.";
  }
  if (util::icontains(exception, "segv") || util::icontains(exception, "access_violation") ||
      util::icontains(exception, "c0000005")) {
    return "An invalid memory access: a dangling, null or out-of-range pointer or index reached "
           "the crashing line.";
  }
  return {};
}

json crash_location(const json& crash, const json& frame, const Source& src) {
  json loc = json::object();
  std::string file = str(frame, "file");
  int64_t line = integer(frame, "line");
  if (file.empty()) {
    // "Spell.cpp:603" as triage wrote it
    std::string l = str(crash, "crash_location");
    size_t colon = l.rfind(':');
    if (colon != std::string::npos) {
      file = l.substr(0, colon);
      line = util::parse_int(l.substr(colon + 1)).value_or(0);
    } else {
      file = l;
    }
  }
  if (!file.empty()) {
    loc["file"] = repo_path(src, file);
  }
  if (line > 0) {
    loc["line"] = line;
  }
  std::string function = str(crash, "crash_function");
  if (function.empty()) {
    function = str(frame, "function");
  }
  if (!function.empty()) {
    loc["function"] = function;
  }
  return loc;
}

json look_at(const json& frames, size_t meaningful, const Source& src) {
  json out = json::array();
  for (size_t i = meaningful; i < frames.size() && out.size() < k_look_at_frames; ++i) {
    const json& f = frames[i];
    if (str(f, "function").empty() && str(f, "file").empty()) {
      continue;
    }
    json entry = {{"function", str(f, "function")},
                  {"why", i == meaningful ? "the crashing frame triage chose"
                          : i == meaningful + 1
                              ? "its caller: where the bad value or state came from"
                              : "further up the call chain"}};
    if (!str(f, "file").empty()) {
      entry["file"] = repo_path(src, str(f, "file"));
    }
    if (integer(f, "line") > 0) {
      entry["line"] = integer(f, "line");
      std::string code = snippet_line(src.snippets, str(f, "file"), integer(f, "line"));
      if (!code.empty()) {
        entry["code"] = code;
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

// How fixes of one bucket fared: its attempts' outcomes, patches and verdicts.
json bucket_history(const store::Store& store, const store::BucketDetail& d,
                    const std::string& relation) {
  json fixes = json::array();
  for (const auto& r : d.requests) {
    auto attempts = store.list_attempts(r.id);
    if (!attempts) {
      continue;
    }
    for (const auto& a : *attempts) {
      json fix = {{"attempt", a.id}, {"agent", a.agent}, {"outcome", a.outcome.value_or("")}};
      if (auto patch = store.get_patch(a.id); patch && *patch) {
        fix["files"] = (*patch)->files;
        fix["changed_lines"] = (*patch)->lines;
      }
      if (auto verdicts = store.list_verdicts(a.id); verdicts && !verdicts->empty()) {
        fix["verdict"] = verdicts->back().verdict;
      }
      if (fix.contains("files") || fix.contains("verdict") || fix["outcome"] == "answered") {
        fixes.push_back(std::move(fix));
      }
    }
  }
  return {{"bucket", d.bucket.signature_id},
          {"relation", relation},
          {"signature", d.bucket.signature_text},
          {"status", std::string(store::to_string(d.bucket.status))},
          {"crash_function", d.bucket.crash_function},
          {"crash_location", d.bucket.crash_location},
          {"count", d.bucket.count},
          {"fixes", std::move(fixes)}};
}

json similar_fixes(const store::Store* store, const std::string& bucket, json& evidence) {
  json out = json::array();
  if (store == nullptr || bucket.empty()) {
    return out;
  }
  auto detail = store->get_bucket(bucket, 1);
  if (!detail || !*detail) {
    return out;
  }
  const store::BucketDetail& self = **detail;
  if (self.bucket.status == store::BucketStatus::regressed) {
    evidence.push_back("this bucket was marked fixed before and crashed again (regressed): the "
                       "earlier fix did not cover this path");
  }
  std::set<std::string> seen{bucket};
  auto add = [&](const std::string& id, const char* relation) {
    if (out.size() >= k_max_similar || !seen.insert(id).second) {
      return;
    }
    if (auto d = store->get_bucket(id, 1); d && *d) {
      out.push_back(bucket_history(*store, **d, relation));
    }
  };
  for (const auto& near : self.near) {
    add(near, "near_signature");
  }
  const std::string& function = self.bucket.crash_function;
  if (!function.empty()) {
    store::BucketFilter f;
    f.text = function;
    f.limit = 50;
    if (auto list = store->list_buckets(f)) {
      for (const auto& b : *list) {
        if (b.crash_function == function) {
          add(b.signature_id, "same_function");
        }
      }
    }
  }
  json own = bucket_history(*store, self, "same_signature");
  if (!own["fixes"].empty()) {
    out.insert(out.begin(), std::move(own));
  }
  return out;
}

} // namespace

json builtin_response(const json& request, const std::string& lease_id, const store::Store* store,
                      int64_t now, const std::string& version,
                      const std::vector<std::string>& tree_files) {
  const json& crash = object_at(request, "crash");
  const json& frames = array_at(crash, "frames");
  const json& snippets = array_at(object_at(request, "source"), "snippets");
  Source src{snippets, tree_files};
  size_t meaningful = meaningful_index(crash, frames);
  json frame = meaningful < frames.size() ? frames[meaningful] : json::object();

  json evidence = json::array();
  std::string what = str(crash, "exception_code");
  if (what.empty()) {
    what = str(crash, "kind");
  }
  std::string function = str(crash, "crash_function");
  std::string location = str(crash, "crash_location");
  evidence.push_back(fmt::format("{}{}{}", what.empty() ? "crash" : what,
                                 function.empty() ? "" : " in " + function,
                                 location.empty() ? "" : " at " + location));
  if (!str(crash, "fault_address").empty()) {
    evidence.push_back("fault address " + str(crash, "fault_address"));
  }
  if (!str(crash, "error_message").empty()) {
    evidence.push_back("error message: " + str(crash, "error_message"));
  }
  const json& assertion = object_at(crash, "assertion");
  if (!str(assertion, "condition").empty()) {
    evidence.push_back(fmt::format(
        "assertion failed: {} ({}:{}){}", str(assertion, "condition"), str(assertion, "file"),
        integer(assertion, "line"),
        str(assertion, "message").empty() ? "" : " message: " + str(assertion, "message")));
  }
  for (size_t i = meaningful; i < frames.size() && i < meaningful + 3; ++i) {
    evidence.push_back("frame " + frame_text(frames[i]));
  }
  const json& occurrences = object_at(crash, "occurrences");
  if (integer(occurrences, "count") > 1) {
    evidence.push_back(fmt::format("seen {} times, first {}, last {}",
                                   integer(occurrences, "count"), str(occurrences, "first_seen"),
                                   str(occurrences, "last_seen")));
  }
  if (crash.value("is_bot_related", false)) {
    std::string why;
    for (const auto& b : array_at(crash, "bot_evidence")) {
      if (b.is_string()) {
        why += (why.empty() ? "" : "; ") + b.get<std::string>();
      }
    }
    evidence.push_back("bot-related" + (why.empty() ? std::string() : ": " + why));
  }
  size_t errors = 0;
  for (const auto& e : array_at(object_at(request, "context"), "errors_before_crash")) {
    if (errors++ >= k_max_log_errors) {
      break;
    }
    evidence.push_back("log error before the crash: " + str(e, "message"));
  }

  std::string bucket = str(object_at(request, "bucket"), "id");
  json similar = similar_fixes(store, bucket, evidence);

  std::string root_cause = cause_from_facts(crash);
  std::string hypothesis = str(crash, "root_cause_hypothesis");
  if (!hypothesis.empty()) {
    root_cause = root_cause.empty() ? hypothesis : hypothesis + " " + root_cause;
  }
  if (root_cause.empty()) {
    root_cause = "The report does not say enough to name a cause; start at the frames listed "
                 "under look_at.";
  }
  json loc = crash_location(crash, frame, src);
  std::string summary = fmt::format(
      "{}{}{}. Analysis only (crashpilot's built-in analyzer, no agent): no patch proposed.",
      what.empty() ? "Crash" : what, function.empty() ? "" : " in " + function,
      location.empty() ? "" : " at " + location);

  json analysis = {{"summary", summary},
                   {"root_cause", root_cause},
                   {"category", str(crash, "crash_category")},
                   // Facts without understanding: low on purpose.
                   {"confidence", str(assertion, "condition").empty() ? 0.3 : 0.4},
                   {"evidence", std::move(evidence)},
                   {"look_at", look_at(frames, meaningful, src)},
                   {"similar_fixes", std::move(similar)}};
  if (!loc.empty()) {
    analysis["crash_location"] = std::move(loc);
  }
  json notes = json::array();
  for (const auto& s : array_at(crash, "fix_suggestions")) {
    if (s.is_string()) {
      notes.push_back("triage suggestion: " + s.get<std::string>());
    }
  }
  return {{"schema_version", 2},
          {"request_id", str(request, "request_id")},
          {"lease_id", lease_id},
          {"timestamp", queue::iso_utc(now)},
          {"status", "no_fix"},
          {"analysis", std::move(analysis)},
          {"notes", std::move(notes)},
          {"agent", {{"name", "crashpilot-builtin"}, {"version", version}}}};
}

} // namespace crashpilot::analyze
