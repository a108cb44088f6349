// SPDX-License-Identifier: MIT
#include <fix/mask_rules.hpp>
#include <re2/re2.h>

#include <algorithm>

namespace crashpilot::fix::mask {

std::string shorten(std::string_view s) {
  s = util::trim(s);
  if (s.size() <= k_max_text) {
    return std::string(s);
  }
  return std::string(s.substr(0, k_max_text)) + "...";
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

MaskFinding finding(std::string rule, const File& f, const Line& l, std::string why) {
  return {std::move(rule), f.path, l.line(), shorten(l.raw), std::move(why)};
}

bool stops(std::string_view code, const GateContext& ctx) {
  static const std::vector<std::string_view> calls{
      "abort", "terminate", "_exit",   "exit",    "quick_exit",        "__builtin_trap",
      "ABORT", "ABORT_MSG", "WPError", "WPFatal", "rethrow_exception", "rethrow_if_nested",
      "raise"};
  for (std::string_view c : calls) {
    if (find_call(code, c) != std::string_view::npos) {
      return true;
    }
  }
  for (const auto& m : ctx.assert_macros) {
    if (find_call(code, m) != std::string_view::npos) {
      return true;
    }
  }
  for (const auto& id : identifiers(code)) {
    if (id == "throw") {
      return true;
    }
  }
  return false;
}

std::string new_side_text(const Hunk& h, size_t index, size_t max, size_t from_col) {
  std::string text = h.lines[index].code.substr(std::min(from_col, h.lines[index].code.size()));
  size_t taken = 0;
  for (size_t k = index + 1; k < h.lines.size() && taken < max; ++k) {
    if (!h.lines[k].in_new()) {
      continue;
    }
    text += '\n';
    text += h.lines[k].code;
    ++taken;
  }
  return text;
}

std::optional<std::string> body_of(std::string_view text) {
  std::string_view t = util::trim_left(text);
  if (t.empty()) {
    return std::nullopt;
  }
  if (t.front() != '{') {
    size_t semi = t.find(';');
    if (semi == std::string_view::npos) {
      return std::nullopt;
    }
    return std::string(t.substr(0, semi + 1));
  }
  int depth = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{') {
      ++depth;
    } else if (t[i] == '}' && --depth == 0) {
      return std::string(t.substr(1, i - 1));
    }
  }
  return std::nullopt;
}

bool is_log_statement(std::string_view stmt) {
  // Logging macros and streams of the servers crashpilot meets (TC_LOG_ERROR, LOG_ERROR, sLog,
  // spdlog, Qt, stdio, iostreams), written out so that Logout() or LoginQueue() are not "logs".
  static const RE2 re(
      R"(\b(?:\w+_)?LOG(?:_\w+)?\s*\(|\bsLog\b|\bLog(?:Error|Warn\w*|Info|Debug|Fatal|Trace|Message|Msg)?\s*\(|\blog_\w+\s*\(|\blog(?:ger)?\s*(?:->|\.|::)\s*\w+\s*\(|\b(?:cerr|clog|cout)\b|\b(?:f|s|sn|v|vf)?printf\s*\(|\bspdlog\b|\bq(?:Debug|Info|Warning|Critical)\b|\bsyslog\s*\(|\bputs\s*\()");
  return RE2::PartialMatch(stmt, re);
}

bool exit_only(std::string_view body, bool& logs) {
  std::vector<std::string_view> stmts;
  for (auto s : split_top(body, ";")) {
    if (!s.empty()) {
      stmts.push_back(s);
    }
  }
  if (stmts.empty()) {
    return false;
  }
  auto ids = identifiers(stmts.back());
  if (ids.empty() || (ids[0] != "return" && ids[0] != "continue" && ids[0] != "break")) {
    return false;
  }
  for (size_t i = 0; i + 1 < stmts.size(); ++i) {
    if (!is_log_statement(stmts[i])) {
      return false;
    }
    logs = true;
  }
  return true;
}

const Line* line_above(const Hunk& h, size_t index) {
  for (size_t k = index; k-- > 0;) {
    if (h.lines[k].in_new()) {
      return &h.lines[k];
    }
  }
  return nullptr;
}

} // namespace crashpilot::fix::mask
