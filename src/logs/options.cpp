// SPDX-License-Identifier: MIT
#include <config/config.hpp>

#include <fmt/format.h>
#include <logs/options.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

namespace crashpilot::logs {

namespace {

using nlohmann::json;

const std::set<std::string> k_keys = {
    "dir",          "ring_lines",      "ring_seconds",     "ring_bytes",
    "alert_lines",  "max_line_bytes",  "context_lines",    "max_errors",
    "max_warnings", "dedup_window_ms", "error_patterns",   "warn_patterns",
    "freeze_regex", "heartbeat_regex", "heartbeat_source", "source"};
const std::set<std::string> k_source_keys = {"name", "path",  "stream",
                                             "role", "start", "heartbeat"};

struct Reader {
  const json& section;
  std::string error;

  const json* find(const std::string& key) const {
    auto it = section.find(key);
    return it == section.end() ? nullptr : &*it;
  }

  int64_t integer(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
    const json* v = find(key);
    if (v == nullptr || !error.empty()) {
      return fallback;
    }
    if (!v->is_number_integer() || v->get<int64_t>() < min || v->get<int64_t>() > max) {
      error = fmt::format("logs.{}: expected an integer from {} to {}, got {}", key, min, max,
                          v->dump());
      return fallback;
    }
    return v->get<int64_t>();
  }

  std::string string(const std::string& key, const std::string& where) {
    const json* v = find(key);
    if (v == nullptr || !error.empty()) {
      return "";
    }
    if (!v->is_string()) {
      error = fmt::format("{}.{}: expected a string, got {}", where, key, v->dump());
      return "";
    }
    return v->get<std::string>();
  }

  std::vector<std::string> strings(const std::string& key) {
    std::vector<std::string> out;
    const json* v = find(key);
    if (v == nullptr || !error.empty()) {
      return out;
    }
    if (!v->is_array()) {
      error =
          fmt::format("logs.{}: expected an array of regular expressions, got {}", key, v->dump());
      return out;
    }
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        error = fmt::format("logs.{}[{}]: expected a string, got {}", key, i, (*v)[i].dump());
        return out;
      }
      out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }
};

util::Expected<SourceSpec> read_source(const json& j, size_t index, const std::string& dir) {
  std::string where = fmt::format("logs.source[{}]", index);
  if (!j.is_object()) {
    return util::error(fmt::format("{}: expected a table with name, path or stream, role", where));
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!k_source_keys.contains(it.key())) {
      return util::error(fmt::format("{}.{}: unknown key (known: name, path, stream, role, start, "
                                     "heartbeat)",
                                     where, it.key()));
    }
  }
  Reader r{j, {}};
  SourceSpec s;
  std::string path = r.string("path", where);
  s.stream = r.string("stream", where);
  s.name = r.string("name", where);
  std::string role = r.string("role", where);
  std::string start = r.string("start", where);
  s.heartbeat = r.string("heartbeat", where);
  if (!r.error.empty()) {
    return util::error(r.error);
  }
  if (path.empty() == s.stream.empty()) {
    return util::error(fmt::format(
        "{}: give either path (a log file) or stream (\"stdout\" or \"stderr\")", where));
  }
  if (!s.stream.empty()) {
    if (s.stream != "stdout" && s.stream != "stderr") {
      return util::error(
          fmt::format("{}.stream: '{}' is not \"stdout\" or \"stderr\"", where, s.stream));
    }
    s.kind = SourceKind::stream;
  } else {
    s.kind = SourceKind::file;
    std::filesystem::path p(path);
    s.path = p.is_absolute() || dir.empty() ? path : (std::filesystem::path(dir) / p).string();
  }
  if (s.name.empty()) {
    s.name =
        s.kind == SourceKind::stream ? s.stream : std::filesystem::path(path).filename().string();
  }
  if (!role.empty()) {
    if (role != "server" && role != "playerbot") {
      return util::error(
          fmt::format("{}.role: '{}' is not \"server\" or \"playerbot\"", where, role));
    }
    s.role = role;
  }
  if (start == "start" || start == "beginning") {
    s.start = StartAt::beginning;
  } else if (!start.empty() && start != "end") {
    return util::error(fmt::format("{}.start: '{}' is not \"end\" or \"start\"", where, start));
  }
  return s;
}

} // namespace

util::Expected<Options> from_config(const config::Config& cfg, const std::string& base_dir) {
  Options o;
  const json* section = cfg.find("logs");
  if (section == nullptr) {
    return o; // no logs followed
  }
  if (!section->is_object()) {
    return util::error("logs: expected a table");
  }
  for (auto it = section->begin(); it != section->end(); ++it) {
    if (!k_keys.contains(it.key())) {
      return util::error(fmt::format("logs.{}: unknown key", it.key()));
    }
  }
  Reader r{*section, {}};
  std::string dir = r.string("dir", "logs");
  if (!dir.empty() && !base_dir.empty() && !std::filesystem::path(dir).is_absolute()) {
    dir = (std::filesystem::path(base_dir) / dir).string();
  } else if (dir.empty()) {
    dir = base_dir;
  }
  o.limits.ring.max_lines = static_cast<size_t>(r.integer("ring_lines", 2000, 1, 1'000'000));
  o.limits.ring.max_age = std::chrono::seconds(r.integer("ring_seconds", 300, 1, 86400 * 7));
  o.limits.ring.max_bytes =
      static_cast<size_t>(r.integer("ring_bytes", int64_t{1} << 20, 4096, int64_t{1} << 30));
  o.limits.alert_lines = static_cast<size_t>(r.integer("alert_lines", 500, 1, 100'000));
  o.limits.max_line_bytes = static_cast<size_t>(r.integer("max_line_bytes", 4096, 64, 1 << 20));
  o.context.context_lines = static_cast<size_t>(r.integer("context_lines", 50, 0, 100'000));
  o.context.max_errors = static_cast<size_t>(r.integer("max_errors", 50, 0, 100'000));
  o.context.max_warnings = static_cast<size_t>(r.integer("max_warnings", 50, 0, 100'000));
  o.context.dedup_window =
      std::chrono::milliseconds(r.integer("dedup_window_ms", 2000, 0, 3'600'000));
  o.error_patterns = r.strings("error_patterns");
  o.warn_patterns = r.strings("warn_patterns");
  o.freeze_regex = r.string("freeze_regex", "logs");
  std::string heartbeat = r.string("heartbeat_regex", "logs");
  std::string heartbeat_source = r.string("heartbeat_source", "logs");
  if (!r.error.empty()) {
    return util::error(r.error);
  }
  if (o.limits.max_line_bytes > o.limits.ring.max_bytes) {
    return util::error(fmt::format("logs.max_line_bytes: {} is larger than logs.ring_bytes ({})",
                                   o.limits.max_line_bytes, o.limits.ring.max_bytes));
  }

  if (const json* sources = r.find("source")) {
    if (!sources->is_array()) {
      return util::error("logs.source: expected an array of tables ([[logs.source]])");
    }
    for (size_t i = 0; i < sources->size(); ++i) {
      auto s = read_source((*sources)[i], i, dir);
      if (!s) {
        return util::error(s.error());
      }
      for (const auto& other : o.sources) {
        if (other.name == s->name) {
          return util::error(
              fmt::format("logs.source[{}].name: '{}' is used by another source", i, s->name));
        }
        if (s->kind == SourceKind::stream && other.stream == s->stream) {
          return util::error(fmt::format("logs.source[{}].stream: the server's {} is already "
                                         "followed as '{}'",
                                         i, s->stream, other.name));
        }
      }
      o.sources.push_back(std::move(*s));
    }
  }

  if (!heartbeat.empty()) {
    SourceSpec* target = nullptr;
    if (heartbeat_source.empty() && o.sources.size() == 1) {
      target = &o.sources[0];
    }
    for (auto& s : o.sources) {
      if (!heartbeat_source.empty() && s.name == heartbeat_source) {
        target = &s;
      }
    }
    if (target == nullptr) {
      std::vector<std::string> names;
      for (const auto& s : o.sources) {
        names.push_back(s.name);
      }
      return util::error(fmt::format(
          "logs.heartbeat_source: {} (sources: {})",
          heartbeat_source.empty() ? "name the source the heartbeat line is written to"
                                   : fmt::format("no source is named '{}'", heartbeat_source),
          names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
    }
    if (target->heartbeat.empty()) {
      target->heartbeat = heartbeat;
    }
  } else if (!heartbeat_source.empty()) {
    return util::error(
        "logs.heartbeat_source: set logs.heartbeat_regex too (the line to wait for)");
  }

  // Compiling every expression now reports a bad one with its key before anything runs.
  auto shared =
      Classifier::create(PatternSet{o.error_patterns, o.warn_patterns, o.freeze_regex, ""});
  if (!shared) {
    return util::error(shared.error());
  }
  for (size_t i = 0; i < o.sources.size(); ++i) {
    std::string key = o.sources[i].heartbeat == heartbeat
                          ? "logs.heartbeat_regex"
                          : fmt::format("logs.source[{}].heartbeat", i);
    auto m = Matcher::compile({{o.sources[i].heartbeat, tag_heartbeat, key}});
    if (!m) {
      return util::error(m.error());
    }
  }
  return o;
}

} // namespace crashpilot::logs
