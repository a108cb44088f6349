// SPDX-License-Identifier: MIT
// get_logs: the log lines captured before the crash. The store keeps them per occurrence as the
// logs stage gave them; the request holds a capped copy. The store's copy wins when there is one.
#include <triage/rules.hpp>
#include <util/string.hpp>

#include <analyze/mcp_tool_impl.hpp>
#include <fmt/format.h>

#include <ctime>

namespace crashpilot::analyze::tools {

namespace {

struct Line {
  std::string source; // error, warning, server, playerbot
  std::string text;
  std::string timestamp;
};

// Unix seconds of "YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|+hh:mm|-hh:mm]"; nullopt for anything else.
// Without a zone the time is taken as UTC, as the queue writes its own times.
std::optional<int64_t> parse_time(std::string_view s) {
  s = util::trim(s);
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  auto num = [&](size_t pos, size_t len) { return util::parse_int(s.substr(pos, len)); };
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
       se = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !se) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = *y - 1900;
  tm.tm_mon = *mo - 1;
  tm.tm_mday = *d;
  tm.tm_hour = *h;
  tm.tm_min = *mi;
  tm.tm_sec = *se;
  int64_t t = static_cast<int64_t>(::timegm(&tm));
  std::string_view rest = s.substr(19);
  while (!rest.empty() && (rest[0] == '.' || util::is_digit(rest[0]))) {
    rest.remove_prefix(1);
  }
  if (rest.size() >= 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    auto oh = util::parse_int(rest.substr(1, 2));
    auto om = util::parse_int(rest.substr(4, 2));
    if (oh && om) {
      int64_t offset = (*oh * 3600 + *om * 60) * (rest[0] == '+' ? 1 : -1);
      t -= offset;
    }
  }
  return t;
}

bool has_lines(const json& context) {
  if (!context.is_object()) {
    return false;
  }
  for (const char* key : {"errors_before_crash", "warnings_before_crash", "server_log_context",
                          "playerbot_log_context"}) {
    if (context.contains(key) && context[key].is_array() && !context[key].empty()) {
      return true;
    }
  }
  return false;
}

void collect(const json& context, const std::string& which, std::vector<Line>& out) {
  auto timed = [&](const char* key, const char* source) {
    if (!context.contains(key) || !context[key].is_array()) {
      return;
    }
    for (const auto& l : context[key]) {
      if (l.is_object()) {
        out.push_back(
            {source, l.value("message", std::string()), l.value("timestamp", std::string())});
      } else if (l.is_string()) {
        out.push_back({source, l.get<std::string>(), ""});
      }
    }
  };
  auto plain = [&](const char* key, const char* source) {
    if (!context.contains(key) || !context[key].is_array()) {
      return;
    }
    for (const auto& l : context[key]) {
      if (l.is_string()) {
        out.push_back({source, l.get<std::string>(), ""});
      }
    }
  };
  if (which == "server" || which == "all") {
    timed("errors_before_crash", "error");
    timed("warnings_before_crash", "warning");
    plain("server_log_context", "server");
  }
  if (which == "playerbot" || which == "all") {
    plain("playerbot_log_context", "playerbot");
  }
}

} // namespace

ToolResult get_logs(McpContext& ctx, const json& args) {
  std::string id = args["request_id"].get<std::string>();
  auto entry = find_request(ctx, id);
  if (!entry) {
    return tool_error(entry.error());
  }
  const json& r = entry->request;
  std::string which = args.value("source", std::string("all"));
  int64_t before = args.value("before_seconds", int64_t{120});
  size_t max_lines = args.value("max_lines", size_t{200});
  size_t skip = 0;
  if (args.contains("cursor")) {
    auto parsed = util::parse_int(args["cursor"].get<std::string>());
    if (!parsed) {
      return tool_error(fmt::format("cursor '{}' is not one get_logs returned",
                                    args["cursor"].get<std::string>()));
    }
    skip = static_cast<size_t>(*parsed);
  }
  std::optional<triage::PatternList> grep;
  if (args.contains("grep") && !args["grep"].get<std::string>().empty()) {
    auto compiled = triage::PatternList::compile({args["grep"].get<std::string>()}, "grep");
    if (!compiled) {
      return tool_error("grep is not a valid RE2 regular expression", {compiled.error()});
    }
    grep = std::move(*compiled);
  }

  json context = r.value("context", json::object());
  std::string origin = "request";
  if (auto occ = newest_occurrence(ctx, r)) {
    try {
      json stored = json::parse(occ->log_context_json);
      if (has_lines(stored)) {
        context = std::move(stored);
        origin = "store";
      }
    } catch (const json::exception&) {
      // an unreadable stored context: the request's copy serves
    }
  }
  std::vector<Line> lines;
  collect(context, which, lines);
  std::optional<int64_t> crash_time;
  if (r.contains("crash") && r["crash"].is_object()) {
    crash_time = parse_time(r["crash"].value("timestamp", std::string()));
  }
  std::vector<const Line*> kept;
  size_t dropped_by_time = 0;
  for (const auto& l : lines) {
    if (crash_time && !l.timestamp.empty()) {
      auto t = parse_time(l.timestamp);
      if (t && *t < *crash_time - before) {
        ++dropped_by_time;
        continue;
      }
    }
    if (grep && !grep->matches(l.text)) {
      continue;
    }
    kept.push_back(&l);
  }
  // Newest last: page from the end backwards.
  size_t end = kept.size() > skip ? kept.size() - skip : 0;
  size_t begin = end > max_lines ? end - max_lines : 0;
  json out_lines = json::array();
  for (size_t i = begin; i < end; ++i) {
    json l = {{"source", kept[i]->source}, {"text", kept[i]->text}};
    if (!kept[i]->timestamp.empty()) {
      l["timestamp"] = kept[i]->timestamp;
    }
    out_lines.push_back(std::move(l));
  }
  json out = {
      {"request_id", id},
      {"from", origin},
      {"crash_time", r.contains("crash") ? r["crash"].value("timestamp", std::string()) : ""},
      {"lines", std::move(out_lines)},
      {"matching_lines", kept.size()},
      {"older_than_window", dropped_by_time}};
  if (context.contains("truncated")) {
    out["truncated_at_capture"] = context["truncated"];
  }
  if (begin > 0) {
    out["next_cursor"] = std::to_string(skip + (end - begin));
  }
  if (lines.empty()) {
    out["note"] = "no log lines were captured with this crash (the logs stage was not following "
                  "the server's logs)";
  }
  return {out, false};
}

} // namespace crashpilot::analyze::tools
