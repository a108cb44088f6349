// SPDX-License-Identifier: MIT
#include <parse/document.hpp>

#include <util/string.hpp>
#include <util/utf8.hpp>

#include <re2/re2.h>

namespace crashpilot::parse {

namespace {

// Timestamps that loggers, journald and terminal recorders put before each line. They are never part
// of a report line, so they are removed wherever they start a line. Each alternative must end in
// whitespace so a gdb frame like "2024 ..." or a Wheaty "Date 2:3:2019" line is not touched.
const RE2& timestamp_prefix() {
  static const RE2 re(
      R"(^(?:)"
      // 2020-06-23_01:16:10 / 2023-07-24 20:47:51 / 2024-01-01T12:00:00.123Z, optional [ ] around
      R"(\[?\d{4}-\d{2}-\d{2}[ T_]\d{2}:\d{2}:\d{2}(?:[.,:]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?\]?)"
      // journald / syslog: "Nov 24 12:00:01 host unit[123]:"
      R"(|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} [\w.-]+ [\w.@/-]+(?:\[\d+\])?:)"
      // time only: [12:09:16] / 08:34:53 / [c3ab8700|12:09:16]
      R"(|\[?(?:[0-9a-f]{8,16}\|)?\d{2}:\d{2}:\d{2}(?:[.,]\d{1,6})?\]?)"
      // sneezymud-style 2022|1214|16:08:26 ::
      R"(|\d{4}\|\d{4}\|\d{2}:\d{2}:\d{2} ::)"
      R"()[ \t]+)");
  return re;
}

// Prefixes only stripped when they are the document's dominant style: on their own they are too
// easy to confuse with content.
const RE2& docker_prefix() {
  static const RE2 re(R"(^[A-Za-z0-9][\w.-]*(?:_\d+)? *\| ?)");
  return re;
}
const RE2& ctest_prefix() {
  static const RE2 re(R"(^\d{1,5}: )");
  return re;
}

bool digit(char c) { return c >= '0' && c <= '9'; }

// A cheap look at the first bytes before the timestamp regex runs: most report lines (frames,
// addresses) cannot start with a timestamp, and the regex on every line of a 5 MB report is costly.
bool maybe_timestamp(std::string_view r) {
  if (r.size() < 9) {
    return false;
  }
  size_t i = r[0] == '[' ? 1 : 0;
  std::string_view t = r.substr(i);
  if (t.size() >= 8 && digit(t[0]) && digit(t[1]) && digit(t[2]) && digit(t[3]) && (t[4] == '-' || t[4] == '|')) {
    return true; // 2024-05-01 / 2022|1214|
  }
  if (t.size() >= 8 && digit(t[0]) && digit(t[1]) && t[2] == ':') {
    return true; // 12:09:16
  }
  if (r[0] == '[' && t.size() >= 17 && t.substr(0, 18).find('|') != std::string_view::npos) {
    return true; // [c3ab8700|12:09:16] / [38279292e0cda219|13:12:50]
  }
  return r[0] >= 'A' && r[0] <= 'Z' && r[3] == ' ' && (digit(r[5]) || r[4] == ' '); // "Nov 24 12:00:01"
}

// HTML entities an issue page may leave in pasted text; appends the decoded `s` to `out`.
void decode_entities_into(std::string_view s, std::string& out) {
  static constexpr std::pair<std::string_view, char> k_entities[] = {
      {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&amp;", '&'}};
  while (!s.empty()) {
    size_t amp = s.find('&');
    out.append(s.substr(0, amp));
    if (amp == std::string_view::npos) {
      return;
    }
    s.remove_prefix(amp);
    bool decoded = false;
    for (const auto& [entity, c] : k_entities) {
      if (s.starts_with(entity)) {
        out += c;
        s.remove_prefix(entity.size());
        decoded = true;
        break;
      }
    }
    if (!decoded) {
      out += '&';
      s.remove_prefix(1);
    }
  }
}

} // namespace

void clean_markdown_into(std::string_view line, std::string& out) {
  // Quote markers: "> ", ">> " (but keep AzerothCore's ">> ASSERTION FAILED" title, which is content).
  while (line.size() >= 1 && line[0] == '>' && !line.starts_with(">> ASSERTION") &&
         !line.starts_with(">> ABORTED") && !line.starts_with(">> FATAL") &&
         !line.starts_with(">> ERROR") && !line.starts_with(">> WARNING")) {
    line.remove_prefix(1);
    if (!line.empty() && line[0] == ' ') {
      line.remove_prefix(1);
    }
  }
  // Markdown escapes of '#' and '*'. Other escapes are left alone: Windows paths are full of
  // backslashes, and "\\_" or "\\[" can be part of a real path.
  size_t start = out.size();
  size_t i = 0;
  while (i < line.size()) {
    size_t bs = line.find('\\', i);
    if (bs == std::string_view::npos) {
      out.append(line.substr(i));
      break;
    }
    bool escape = bs + 1 < line.size() && (line[bs + 1] == '#' || line[bs + 1] == '*');
    out.append(line.substr(i, escape ? bs - i : bs + 1 - i));
    i = bs + 1;
  }
  if (std::string_view(out).substr(start).find('&') != std::string_view::npos) {
    std::string decoded;
    decode_entities_into(std::string_view(out).substr(start), decoded);
    out.resize(start);
    out += decoded;
  }
}

std::string clean_markdown(std::string_view line) {
  std::string out;
  clean_markdown_into(line, out);
  return out;
}

Document::Document(std::string_view text, size_t first_line_number) {
  std::string sane;
  if (!util::is_valid_utf8(text)) {
    sane = util::sanitize_utf8(text);
    text = sane;
  }

  std::vector<std::string_view> raw;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    raw.push_back(text.substr(start, end - start));
    start = end + 1;
  }

  // Find the dominant wrapper prefix among the first lines.
  size_t sample = 0, docker = 0, ctest = 0;
  for (auto r : raw) {
    if (util::trim(r).empty()) {
      continue;
    }
    if (++sample > 200) {
      break;
    }
    re2::StringPiece in(r.data(), r.size());
    docker += RE2::PartialMatch(in, docker_prefix()) ? 1u : 0u;
    ctest += RE2::PartialMatch(in, ctest_prefix()) ? 1u : 0u;
  }
  const RE2* wrapper = nullptr;
  if (sample >= 3 && docker * 10 >= sample * 7) {
    wrapper = &docker_prefix();
    m_prefix = "docker-compose";
  } else if (sample >= 3 && ctest * 10 >= sample * 7) {
    wrapper = &ctest_prefix();
    m_prefix = "ctest";
  }

  m_lines.reserve(raw.size());
  m_text.reserve(text.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string_view r = raw[i];
    if (!r.empty() && r.back() == '\r') {
      r.remove_suffix(1);
    }
    re2::StringPiece in(r.data(), r.size());
    if (wrapper && RE2::Consume(&in, *wrapper)) {
      r = std::string_view(in.data(), in.size());
    }
    in = re2::StringPiece(r.data(), r.size());
    if (maybe_timestamp(r) && RE2::Consume(&in, timestamp_prefix())) {
      r = std::string_view(in.data(), in.size());
      if (m_prefix.empty()) {
        m_prefix = "timestamp";
      }
    }
    size_t offset = m_text.size();
    clean_markdown_into(r, m_text);
    std::string_view cleaned = std::string_view(m_text).substr(offset);
    std::string_view t = util::trim(cleaned);
    if (t.starts_with("```") || t.starts_with("~~~")) {
      m_text.resize(offset);
      continue; // a code fence line is never content
    }
    m_text.resize(offset + util::trim_right(cleaned).size());
    m_lines.push_back(Line{offset, m_text.size() - offset, first_line_number + i});
  }
}

} // namespace crashpilot::parse
