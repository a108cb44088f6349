// SPDX-License-Identifier: MIT
#include <util/glob.hpp>

#include <fix/mask_rules.hpp>
#include <queue/diff.hpp>

#include <algorithm>
#include <tuple>

namespace crashpilot::fix {

namespace {

using mask::ends_with;
using mask::File;
using mask::Hunk;
using mask::Line;

Lang lang_of(std::string_view path) {
  std::string_view base =
      path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  if (base == "CMakeLists.txt" || ends_with(base, ".cmake")) {
    return Lang::cmake;
  }
  return Lang::cpp;
}

bool matches_any(const std::vector<std::string>& globs, const std::string& path) {
  if (path.empty()) {
    return false;
  }
  return std::any_of(globs.begin(), globs.end(),
                     [&](const std::string& g) { return util::glob_match(g, path); });
}

std::vector<File> read_files(std::string_view diff, const GateContext& ctx) {
  std::vector<File> out;
  queue::DiffHunks hunks = queue::diff_hunks(diff);
  for (const auto& fh : hunks.files) {
    File f;
    f.old_path = fh.file.old_path;
    f.path = fh.file.new_path.empty() || fh.deleted ? fh.file.old_path : fh.file.new_path;
    f.deleted = fh.deleted;
    f.is_test =
        matches_any(ctx.test_paths, fh.file.new_path) || matches_any(ctx.test_paths, f.old_path);
    f.lang = lang_of(f.path);
    for (const auto& h : fh.hunks) {
      Hunk hunk;
      hunk.old_start = h.old_start;
      // Block comments are tracked per side: a removed "/*" does not comment out added lines.
      bool old_block = false;
      bool new_block = false;
      for (const auto& l : h.lines) {
        Line line;
        line.kind = l.kind;
        line.old_line = l.old_line;
        line.new_line = l.new_line;
        line.raw = l.text;
        bool& block = l.kind == '-' ? old_block : new_block;
        CodeLine cl = split_code(l.text, block, f.lang);
        if (l.kind == ' ') {
          old_block = new_block;
        }
        line.code = std::move(cl.code);
        line.comment = std::move(cl.comment);
        line.text = std::move(cl.text);
        hunk.old_count += l.kind != '+' ? 1 : 0;
        hunk.new_count += l.kind != '-' ? 1 : 0;
        hunk.lines.push_back(std::move(line));
      }
      f.hunks.push_back(std::move(hunk));
    }
    out.push_back(std::move(f));
  }
  return out;
}

} // namespace

std::vector<MaskFinding> find_masks(std::string_view diff, const GateContext& ctx) {
  std::vector<MaskFinding> out;
  for (const File& f : read_files(diff, ctx)) {
    if (f.is_test) {
      mask::check_tests(f, ctx, out);
      continue; // a test's own handlers, asserts and catches do not hide the server's crash
    }
    mask::check_signal_handlers(f, out);
    mask::check_asserts(f, ctx, out);
    mask::check_assert_disabling(f, ctx, out);
    mask::check_early_returns(f, ctx, out);
    mask::check_catches(f, ctx, out);
  }
  std::sort(out.begin(), out.end(), [](const MaskFinding& a, const MaskFinding& b) {
    return std::tie(a.file, a.line, a.rule) < std::tie(b.file, b.line, b.rule);
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const MaskFinding& a, const MaskFinding& b) {
                          return a.file == b.file && a.line == b.line && a.rule == b.rule;
                        }),
            out.end());
  return out;
}

nlohmann::json to_json(const MaskFinding& f) {
  return {{"rule", f.rule}, {"file", f.file}, {"line", f.line}, {"text", f.text}, {"why", f.why}};
}

nlohmann::json to_json(const std::vector<MaskFinding>& findings) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& f : findings) {
    a.push_back(to_json(f));
  }
  return a;
}

} // namespace crashpilot::fix
