// SPDX-License-Identifier: MIT
#include <cli/input.hpp>
#include <parse/parser.hpp>
#include <triage/triage.hpp>
#include <util/file.hpp>
#include <util/mapped_file.hpp>
#include <util/utf8.hpp>

#include <fmt/format.h>
#include <unistd.h>

namespace crashpilot::cli {

namespace {

TriagedInput triage_text(std::string_view text, const std::string& name,
                         const InputOptions& options, const triage::Rules& rules,
                         const util::MappedFile* mapped = nullptr) {
  TriagedInput out;
  if (text.empty()) {
    out.error = fmt::format("{}: empty input", name);
    return out;
  }
  if (util::looks_binary(text)) {
    out.error = fmt::format("{}: binary data, not a text crash report (for a core dump use "
                            "`crashpilot symbolize --core`)",
                            name);
    return out;
  }
  if (options.keep_text) {
    out.text.assign(text); // before the scan releases the mapped pages
  }
  parse::Options po;
  bool show_progress = text.size() > (size_t{64} << 20) && ::isatty(STDERR_FILENO);
  if (mapped || show_progress) {
    po.progress = [&](size_t offset) {
      if (mapped && offset > (size_t{16} << 20)) {
        mapped->release_before(offset -
                               (size_t{16} << 20)); // keep what a region's context may need
      }
      if (show_progress) {
        fmt::print(stderr, "\rcrashpilot: scanning {}: {}%", name, offset * 100 / text.size());
      }
    };
  }
  parse::Result parsed = parse::parse_text(text, po);
  if (show_progress) {
    fmt::print(stderr, "\rcrashpilot: scanning {}: done\n", name);
  }
  out.dropped = parsed.crashes_dropped;
  if (parsed.crashes.empty()) {
    out.error = fmt::format("{}: no crash report found in {} line(s)", name, parsed.lines_scanned);
    return out;
  }
  for (auto& c : parsed.crashes) {
    triage::triage(c, rules);
  }
  out.crashes = std::move(parsed.crashes);
  return out;
}

} // namespace

size_t primary_index(const std::vector<model::Crash>& crashes) {
  for (size_t i = 0; i < crashes.size(); ++i) {
    const auto& c = crashes[i];
    if (c.kind != model::Kind::unknown && (!c.crash_function.empty() || c.assertion)) {
      return i;
    }
  }
  return 0;
}

TriagedInput triage_input(const std::string& input, const InputOptions& options,
                          const triage::Rules& rules) {
  size_t max_bytes = options.max_input_mb << 20;
  if (input == "-") {
    auto text = util::read_fd(STDIN_FILENO, "<stdin>", {max_bytes});
    if (!text) {
      TriagedInput out;
      out.error = text.error();
      return out;
    }
    return triage_text(*text, "<stdin>", options, rules);
  }
  auto mapped = util::MappedFile::open(input, max_bytes);
  if (!mapped) {
    TriagedInput out;
    out.error = mapped.error();
    return out;
  }
  return triage_text(mapped->view(), input, options, rules, &*mapped);
}

} // namespace crashpilot::cli
