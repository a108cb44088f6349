// SPDX-License-Identifier: MIT
#include <model/json.hpp>

#include <util/string.hpp>

#include <fmt/format.h>

namespace crashpilot::model {

using nlohmann::json;

namespace {

json address(const std::optional<uint64_t>& a) { return a ? json(util::hex(*a)) : json(nullptr); }

json to_json(const Thread& t) {
  json frames = json::array();
  for (const auto& f : t.frames) {
    frames.push_back(to_json(f));
  }
  return {{"id", t.id},
          {"name", t.name},
          {"role", t.role},
          {"crashing", t.crashing},
          {"state", t.state},
          {"lock_owner", t.lock_owner},
          {"frames", std::move(frames)}};
}

// Typed field readers: a missing field keeps the default, a wrong type is an error.
struct Reader {
  const json& j;
  std::string where;
  std::string error;

  template <typename T>
  void get(const char* key, T& out) {
    if (!error.empty() || !j.contains(key) || j[key].is_null()) {
      return;
    }
    try {
      out = j[key].get<T>();
    } catch (const json::exception&) {
      error = fmt::format("{}field '{}' has the wrong type ({})", where, key, j[key].type_name());
    }
  }

  void get_address(const char* key, std::optional<uint64_t>& out) {
    if (!error.empty() || !j.contains(key) || j[key].is_null()) {
      return;
    }
    const json& v = j[key];
    if (v.is_number_unsigned()) {
      out = v.get<uint64_t>();
    } else if (v.is_string()) {
      out = util::parse_hex(v.get<std::string>());
      if (!out) {
        error = fmt::format("{}field '{}' is not a hex address", where, key);
      }
    } else {
      error = fmt::format("{}field '{}' is not an address", where, key);
    }
  }
};

} // namespace

json to_json(const Frame& f) {
  json j = {{"index", f.index}, {"address", address(f.address)}, {"module", f.module},
            {"function", f.function}, {"arguments", f.arguments}, {"file", f.file}, {"line", f.line}, {"column", f.column},
            {"inlined", f.inlined}, {"offset", address(f.offset)}};
  return j;
}

json to_json(const Crash& c, JsonOptions options) {
  json frames = json::array();
  for (const auto& f : c.crashing_frames()) {
    frames.push_back(to_json(f));
  }
  json threads = json::array();
  if (options.include_all_threads) {
    for (const auto& t : c.threads) {
      threads.push_back(to_json(t));
    }
  }
  json assertion = nullptr;
  if (c.assertion) {
    const auto& a = *c.assertion;
    assertion = {{"file", a.file}, {"line", a.line}, {"function", a.function},
                 {"condition", a.condition}, {"message", a.message}};
  }
  json j = {
      {"crash_id", c.crash_id},
      {"timestamp", c.timestamp},
      {"exception_code", c.exception_code},
      {"crash_location", c.crash_location},
      {"crash_function", c.crash_function},
      {"error_message", c.error_message},
      {"call_stack", call_stack_lines(c)},
      {"crash_category", c.crash_category},
      {"severity", c.severity},
      {"is_bot_related", c.is_bot_related},
      {"root_cause_hypothesis", c.root_cause_hypothesis},
      {"fix_suggestions", c.fix_suggestions},
      {"kind", to_string(c.kind)},
      {"exception_name", c.exception_name},
      {"signal", c.signal},
      {"fault_address", address(c.fault_address)},
      {"assertion", std::move(assertion)},
      {"meaningful_frame", c.meaningful_frame},
      {"frames", std::move(frames)},
      {"threads", std::move(threads)},
      {"signature", {{"id", c.signature.id}, {"text", c.signature.text}, {"frames", c.signature.frames}}},
      {"bot_evidence", c.bot_evidence},
      {"problems", c.problems},
      {"quality", c.quality},
      {"formats", c.formats},
  };
  if (options.include_raw) {
    j["raw"] = c.raw;
  }
  return j;
}

util::Expected<Frame> frame_from_json(const json& j) {
  if (!j.is_object()) {
    return util::error("frame is not a JSON object");
  }
  Frame f;
  Reader r{j, "frame: ", {}};
  r.get("index", f.index);
  r.get_address("address", f.address);
  r.get("module", f.module);
  r.get("function", f.function);
  r.get("arguments", f.arguments);
  r.get("file", f.file);
  r.get("line", f.line);
  r.get("column", f.column);
  r.get("inlined", f.inlined);
  r.get_address("offset", f.offset);
  if (!r.error.empty()) {
    return util::error(r.error);
  }
  return f;
}

util::Expected<Crash> crash_from_json(const json& j) {
  if (!j.is_object()) {
    return util::error("crash is not a JSON object");
  }
  Crash c;
  Reader r{j, "", {}};
  std::string kind;
  r.get("crash_id", c.crash_id);
  r.get("timestamp", c.timestamp);
  r.get("exception_code", c.exception_code);
  r.get("crash_location", c.crash_location);
  r.get("crash_function", c.crash_function);
  r.get("error_message", c.error_message);
  r.get("crash_category", c.crash_category);
  r.get("severity", c.severity);
  r.get("is_bot_related", c.is_bot_related);
  r.get("root_cause_hypothesis", c.root_cause_hypothesis);
  r.get("fix_suggestions", c.fix_suggestions);
  r.get("kind", kind);
  r.get("exception_name", c.exception_name);
  r.get("signal", c.signal);
  r.get_address("fault_address", c.fault_address);
  r.get("meaningful_frame", c.meaningful_frame);
  r.get("bot_evidence", c.bot_evidence);
  r.get("problems", c.problems);
  r.get("quality", c.quality);
  r.get("formats", c.formats);
  r.get("raw", c.raw);
  if (!r.error.empty()) {
    return util::error(r.error);
  }
  c.kind = kind_from_string(kind);

  if (j.contains("assertion") && j["assertion"].is_object()) {
    Assertion a;
    Reader ra{j["assertion"], "assertion: ", {}};
    ra.get("file", a.file);
    ra.get("line", a.line);
    ra.get("function", a.function);
    ra.get("condition", a.condition);
    ra.get("message", a.message);
    if (!ra.error.empty()) {
      return util::error(ra.error);
    }
    c.assertion = std::move(a);
  }
  if (j.contains("signature") && j["signature"].is_object()) {
    Reader rs{j["signature"], "signature: ", {}};
    rs.get("id", c.signature.id);
    rs.get("text", c.signature.text);
    rs.get("frames", c.signature.frames);
    if (!rs.error.empty()) {
      return util::error(rs.error);
    }
  }

  auto read_frames = [](const json& arr, std::vector<Frame>& out) -> util::Expected<void> {
    if (!arr.is_array()) {
      return util::error("frames is not an array");
    }
    for (const auto& jf : arr) {
      auto f = frame_from_json(jf);
      if (!f) {
        return util::error(f.error());
      }
      out.push_back(std::move(*f));
    }
    return {};
  };

  if (j.contains("threads") && j["threads"].is_array() && !j["threads"].empty()) {
    for (const auto& jt : j["threads"]) {
      if (!jt.is_object()) {
        return util::error("thread is not a JSON object");
      }
      Thread t;
      Reader rt{jt, "thread: ", {}};
      rt.get("id", t.id);
      rt.get("name", t.name);
      rt.get("role", t.role);
      rt.get("crashing", t.crashing);
      rt.get("state", t.state);
      rt.get("lock_owner", t.lock_owner);
      if (!rt.error.empty()) {
        return util::error(rt.error);
      }
      if (jt.contains("frames")) {
        if (auto ok = read_frames(jt["frames"], t.frames); !ok) {
          return util::error(ok.error());
        }
      }
      c.threads.push_back(std::move(t));
    }
  } else if (j.contains("frames")) {
    // A crash written without threads (e.g. with include_all_threads = false): keep its frames.
    Thread t;
    t.crashing = true;
    if (auto ok = read_frames(j["frames"], t.frames); !ok) {
      return util::error(ok.error());
    }
    if (!t.frames.empty()) {
      c.threads.push_back(std::move(t));
    }
  }
  return c;
}

namespace {

json log_lines(const std::vector<LogLine>& lines) {
  json out = json::array();
  for (const auto& l : lines) {
    out.push_back({{"message", l.message}, {"timestamp", l.timestamp}});
  }
  return out;
}

util::Expected<std::vector<LogLine>> log_lines_from_json(const json& j, const char* key) {
  std::vector<LogLine> out;
  if (!j.contains(key) || j[key].is_null()) {
    return out;
  }
  if (!j[key].is_array()) {
    return util::error(fmt::format("context: field '{}' is not an array", key));
  }
  for (const auto& item : j[key]) {
    LogLine line;
    if (item.is_string()) { // the seed's prototype wrote plain strings here
      line.message = item.get<std::string>();
    } else {
      Reader r{item, fmt::format("context.{}: ", key), {}};
      r.get("message", line.message);
      r.get("timestamp", line.timestamp);
      if (!r.error.empty()) {
        return util::error(r.error);
      }
    }
    out.push_back(std::move(line));
  }
  return out;
}

} // namespace

json to_json(const LogContext& c) {
  return {{"errors_before_crash", log_lines(c.errors_before_crash)},
          {"warnings_before_crash", log_lines(c.warnings_before_crash)},
          {"server_log_context", c.server_log_context},
          {"playerbot_log_context", c.playerbot_log_context}};
}

util::Expected<LogContext> log_context_from_json(const json& j) {
  if (!j.is_object()) {
    return util::error("context is not a JSON object");
  }
  LogContext c;
  auto errors = log_lines_from_json(j, "errors_before_crash");
  if (!errors) {
    return util::error(errors.error());
  }
  auto warnings = log_lines_from_json(j, "warnings_before_crash");
  if (!warnings) {
    return util::error(warnings.error());
  }
  c.errors_before_crash = std::move(*errors);
  c.warnings_before_crash = std::move(*warnings);
  Reader r{j, "context: ", {}};
  r.get("server_log_context", c.server_log_context);
  r.get("playerbot_log_context", c.playerbot_log_context);
  if (!r.error.empty()) {
    return util::error(r.error);
  }
  return c;
}

} // namespace crashpilot::model
