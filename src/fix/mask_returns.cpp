// SPDX-License-Identifier: MIT
#include <fix/mask_rules.hpp>
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstdlib>
#include <set>

namespace crashpilot::fix::mask {

namespace {

std::string normalize_path(std::string_view p, bool& windows) {
  windows = p.find('\\') != std::string_view::npos ||
            (p.size() > 2 && p[1] == ':' && (p[2] == '\\' || p[2] == '/'));
  std::string out(p);
  std::replace(out.begin(), out.end(), '\\', '/');
  while (out.rfind("./", 0) == 0) {
    out.erase(0, 2);
  }
  if (windows) {
    out = util::to_lower(out);
  }
  return out;
}

// A frame's file (absolute on the build machine, relative, or just a name) names the diff's path
// when one ends with the other on a path-component boundary.
bool same_file(std::string_view frame_file, const std::string& diff_path) {
  if (frame_file.empty() || diff_path.empty()) {
    return false;
  }
  bool windows = false;
  std::string a = normalize_path(frame_file, windows);
  std::string b = windows ? util::to_lower(diff_path) : diff_path;
  auto tail_of = [](const std::string& longer, const std::string& shorter) {
    return longer.size() > shorter.size() && ends_with(longer, shorter) &&
           longer[longer.size() - shorter.size() - 1] == '/';
  };
  return a == b || tail_of(a, b) || tail_of(b, a);
}

// The crash line (old file) on the new side, through the hunks before it.
int64_t new_line_of(const File& f, int64_t old_line) {
  int64_t delta = 0;
  for (const auto& h : f.hunks) {
    bool before = h.old_count == 0 ? old_line <= h.old_start : old_line < h.old_start;
    if (before) {
      break;
    }
    if (old_line < h.old_start + h.old_count) {
      int64_t last_new = h.old_start + delta - 1;
      for (const auto& l : h.lines) {
        if (l.old_line == old_line && l.kind == ' ') {
          return l.new_line;
        }
        if (l.old_line == old_line) {
          return last_new + 1; // removed: where it was
        }
        if (l.new_line > 0) {
          last_new = l.new_line;
        }
      }
    }
    delta += h.new_count - h.old_count;
  }
  return old_line + delta;
}

// `!x`, `x == nullptr`, `NULL == x`, `x == 0`: a term testing for a missing value.
bool null_test(std::string_view term) {
  std::string t = squeeze(strip_parens(term));
  if (t.size() > 1 && t[0] == '!' && t[1] != '=') {
    return true;
  }
  for (std::string_view nil : {"nullptr", "NULL", "0"}) {
    std::string eq_right = "==" + std::string(nil);
    std::string eq_left = std::string(nil) + "==";
    if ((ends_with(t, eq_right) && t.size() > eq_right.size()) ||
        (t.rfind(eq_left, 0) == 0 && t.size() > eq_left.size())) {
      return true;
    }
  }
  return false;
}

// A comment that explains something, not "// fix crash" or "// null check".
bool explains(std::string_view comment) {
  static const std::set<std::string> vague{
      "fix",       "fixed",       "fixes",    "fixing",     "crash",    "crashes",  "crashing",
      "null",      "nullptr",     "check",    "checks",     "checking", "pointer",  "ptr",
      "prevent",   "prevents",    "avoid",    "avoids",     "guard",    "safety",   "safe",
      "sanity",    "add",         "added",    "the",        "a",        "an",       "to",
      "for",       "of",          "segfault", "segv",       "here",     "possible", "potential",
      "defensive", "todo",        "fixme",    "hack",       "xxx",      "bug",      "workaround",
      "on",        "in",          "if",       "is",         "it",       "this",     "return",
      "early",     "nullcheck",   "validate", "validation", "ensure",   "make",     "sure",
      "not",       "dereference", "deref",    "access",     "invalid",  "against",  "from",
      "issue"};
  int meaningful = 0;
  for (const auto& word : identifiers(util::to_lower(comment))) {
    if (vague.count(word) == 0 && word.size() > 1) {
      ++meaningful;
    }
  }
  return meaningful >= 2;
}

// `x`, `x != nullptr`, `p->GetMap()`: a term testing that a value is there.
bool presence_test(std::string_view term) {
  std::string t = squeeze(strip_parens(term));
  for (std::string_view nil : {"nullptr", "NULL", "0"}) {
    std::string ne_right = "!=" + std::string(nil);
    std::string ne_left = std::string(nil) + "!=";
    if ((ends_with(t, ne_right) && t.size() > ne_right.size()) ||
        (t.rfind(ne_left, 0) == 0 && t.size() > ne_left.size())) {
      return true;
    }
  }
  static const RE2 plain(R"(^[A-Za-z_][\w.:>()\[\]-]*$)");
  return RE2::FullMatch(t, plain) && t.find("->(") == std::string::npos;
}

// An `if` added at the start of a statement, with its condition and body, read over consecutive
// added lines (blank ones skipped).
struct IfConstruct {
  std::string cond;
  std::string body;
  std::vector<const Line*> parts;
};

std::optional<IfConstruct> added_if(const Hunk& h, size_t i, size_t at) {
  const Line& l = h.lines[i];
  size_t open = find_call(l.code, "if", at);
  if (open == std::string_view::npos) {
    return std::nullopt;
  }
  size_t keyword = l.code.rfind("if", open);
  std::string_view before = util::trim_right(std::string_view(l.code).substr(0, keyword));
  bool statement_start = before.empty() || before.back() == ';' || before.back() == '{' ||
                         before.back() == '}' ||
                         (ends_with(before, "else") &&
                          (before.size() == 4 || !is_ident_char(before[before.size() - 5])));
  if (!statement_start) {
    return std::nullopt;
  }
  IfConstruct c;
  c.parts.push_back(&l);
  std::string text = l.code.substr(open);
  for (size_t k = i + 1;; ++k) {
    if (auto cond = paren_contents(text, 0)) {
      if (auto body = body_of(std::string_view(text).substr(cond->size() + 2))) {
        c.cond = std::string(*cond);
        c.body = std::move(*body);
        return c;
      }
    }
    if (k >= h.lines.size() || c.parts.size() >= k_max_construct_lines + 4 || !h.lines[k].added()) {
      return std::nullopt;
    }
    if (h.lines[k].blank()) {
      continue;
    }
    text += ' ';
    text += h.lines[k].code;
    c.parts.push_back(&h.lines[k]);
  }
}

// The squeezed code of a hunk's removed lines: what a guard may have moved.
std::set<std::string> removed_code(const Hunk& h) {
  std::set<std::string> removed;
  for (const auto& l : h.lines) {
    if (l.removed() && !util::trim(l.code).empty()) {
      removed.insert(squeeze(l.code));
    }
  }
  return removed;
}

// Crashing code moved under the guard: a body statement that was a removed line of the hunk.
bool moves_removed_code(const std::set<std::string>& removed, std::string_view body) {
  for (auto stmt : split_top(body, ";")) {
    if (!stmt.empty() && removed.count(squeeze(stmt) + ";") > 0) {
      return true;
    }
  }
  return false;
}

} // namespace

void check_early_returns(const File& f, const GateContext& ctx, std::vector<MaskFinding>& out) {
  struct Site {
    int64_t new_line; // 0 = the crash line is unknown: anywhere in the file
    const FaultFrame* frame;
  };
  std::vector<Site> sites;
  for (const auto& fr : ctx.frames) {
    if (same_file(fr.file, f.path) || (!f.old_path.empty() && same_file(fr.file, f.old_path))) {
      sites.push_back({fr.line > 0 ? new_line_of(f, fr.line) : 0, &fr});
    }
  }
  if (sites.empty()) {
    return;
  }
  for (const auto& h : f.hunks) {
    std::optional<std::set<std::string>> removed; // built when first needed
    for (size_t i = 0; i < h.lines.size(); ++i) {
      const Line& l = h.lines[i];
      if (!l.added()) {
        continue;
      }
      const Site* near = nullptr;
      for (const auto& s : sites) {
        if (s.new_line == 0 || std::llabs(l.new_line - s.new_line) <= ctx.window_lines) {
          near = &s;
          break;
        }
      }
      if (near == nullptr) {
        continue;
      }
      for (size_t at = find_call(l.code, "if"); at != std::string_view::npos;
           at = find_call(l.code, "if", at + 1)) {
        auto c = added_if(h, i, l.code.rfind("if", at));
        if (!c) {
          continue;
        }
        auto ors = split_top(c->cond, "||");
        auto ands = split_top(c->cond, "&&");
        bool logs = false;
        bool early_return =
            exit_only(c->body, logs) &&
            std::all_of(ors.begin(), ors.end(), [](std::string_view t) { return null_test(t); });
        bool presence = std::all_of(ands.begin(), ands.end(),
                                    [](std::string_view t) { return presence_test(t); });
        if (!early_return && presence && !removed) {
          removed = removed_code(h);
        }
        bool guard = !early_return && presence && moves_removed_code(*removed, c->body);
        if (!early_return && !guard) {
          continue;
        }
        // A documented check is a decision a reviewer can verify; an undocumented one is the
        // classic way to make a crash disappear. Logging does not change that: the log line says
        // something was skipped, not why the value is missing, and the crash stops showing all
        // the same, so a logged early return without a comment is flagged too.
        bool documented = std::any_of(c->parts.begin(), c->parts.end(),
                                      [](const Line* p) { return explains(p->comment); });
        if (const Line* above = line_above(h, i); above != nullptr && explains(above->comment)) {
          documented = true;
        }
        if (documented) {
          continue;
        }
        const FaultFrame& fr = *near->frame;
        std::string where =
            near->new_line == 0
                ? fmt::format("in {}, the crash frame's file", f.path)
                : fmt::format("{} line(s) from the crash at {}:{}{}",
                              std::llabs(l.new_line - near->new_line), f.path, fr.line,
                              fr.function.empty() ? "" : fmt::format(" in {}", fr.function));
        if (early_return) {
          out.push_back(finding(
              "bare_early_return", f, l,
              fmt::format("adds an early exit on a missing value {}{} without a comment saying "
                          "why it may be missing; this hides the crash instead of fixing its "
                          "cause; explain it or fix where the value is lost",
                          where, logs ? " (it logs, but still skips the crashing path)" : "")));
        } else {
          out.push_back(finding(
              "null_guard", f, l,
              fmt::format("wraps existing code {} in a check that skips it when a value is "
                          "missing, without a comment saying why it may be missing; this hides "
                          "the crash instead of fixing its cause",
                          where)));
        }
        break;
      }
    }
  }
}

} // namespace crashpilot::fix::mask
