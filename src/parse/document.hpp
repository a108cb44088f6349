// SPDX-License-Identifier: MIT
#pragma once

// A report text as users paste it, cleaned into lines the format parsers can match: CR removed,
// invalid UTF-8 replaced, Markdown artefacts undone ("> " quotes, "\#", "**\*", code fences, HTML
// entities), and per-line prefixes removed (timestamps always; docker-compose "name | " and ctest
// "N: " prefixes when most lines carry them). Each cleaned line keeps its 1-based source line number.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::parse {

struct Line {
  size_t offset = 0; // of the cleaned, right-trimmed text in the document's buffer
  size_t length = 0;
  size_t number = 0; // 1-based line number in the source text
};

// The cleaned lines live in one buffer (a 5 MB report has ~70k lines: one allocation, not 70k).
class Document {
public:
  // `text` is a region of the source; `first_line_number` is the source line number of its first line.
  explicit Document(std::string_view text, size_t first_line_number = 1);

  const std::vector<Line>& lines() const { return m_lines; }
  size_t size() const { return m_lines.size(); }
  std::string_view operator[](size_t i) const {
    return std::string_view(m_text).substr(m_lines[i].offset, m_lines[i].length);
  }
  // The prefix style that was removed from most lines ("docker-compose", "ctest", "timestamp"), or "".
  const std::string& stripped_prefix() const { return m_prefix; }

private:
  std::string m_text;
  std::vector<Line> m_lines;
  std::string m_prefix;
};

// Exposed for tests: the cleaning of a single line without prefix handling.
std::string clean_markdown(std::string_view line);
// The same, appending to `out`.
void clean_markdown_into(std::string_view line, std::string& out);

} // namespace crashpilot::parse
