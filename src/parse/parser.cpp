// SPDX-License-Identifier: MIT
#include <parse/parser.hpp>

#include <parse/merge.hpp>
#include <parse/scan.hpp>
#include <parse/section.hpp>

namespace crashpilot::parse {

Result parse_text(std::string_view text, const Options& options) {
  Result result;
  ScanOptions scan;
  scan.progress = options.progress;
  for (const Region& region : find_regions(text, scan)) {
    Document doc(text.substr(region.begin, region.end - region.begin), region.first_line_number);
    result.lines_scanned += doc.size();
    Sections sections;
    parse_wheaty(doc, sections);
    parse_windows_stack(doc, sections);
    parse_gdb(doc, sections);
    parse_glibc_backtrace(doc, sections);
    parse_sanitizer(doc, sections);
    parse_valgrind(doc, sections);
    parse_assertion(doc, sections);
    parse_freeze(doc, sections);
    merge_sections(doc, std::move(sections), options, result);
  }
  return result;
}

} // namespace crashpilot::parse
