// SPDX-License-Identifier: MIT
#include <fix/mask_rules.hpp>
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>

namespace crashpilot::fix::mask {

namespace {

struct AssertCall {
  std::string macro;
  std::string cond;      // the first argument, squeezed
  std::string cond_text; // the first argument as written
  size_t hunk = 0;
  size_t index = 0; // of the line in the hunk
  bool used = false;
};

// Macros that compile to nothing in release builds (NDEBUG), where production crashes happen.
bool debug_only(std::string_view macro) {
  return macro == "assert" || macro == "DCHECK" || macro == "Q_ASSERT" || macro == "BOOST_ASSERT";
}

// The arguments of a call whose '(' is at `open` on line `index`, joined over following lines of
// the same kind when the call is split; nullopt when it does not close within a few lines.
std::optional<std::string> call_args(const Hunk& h, size_t index, size_t open,
                                     bool from_comment = false) {
  const Line& first = h.lines[index];
  std::string text = (from_comment ? first.comment : first.code).substr(open);
  for (size_t k = 1;; ++k) {
    if (auto inner = paren_contents(text, 0)) {
      return std::string(*inner);
    }
    if (k >= k_max_construct_lines || index + k >= h.lines.size() ||
        h.lines[index + k].kind != first.kind) {
      return std::nullopt;
    }
    text += ' ';
    text += from_comment ? h.lines[index + k].comment : h.lines[index + k].code;
  }
}

std::vector<AssertCall> assert_calls(const File& f, const GateContext& ctx, char kind,
                                     bool in_comment) {
  std::vector<AssertCall> out;
  for (size_t hi = 0; hi < f.hunks.size(); ++hi) {
    const Hunk& h = f.hunks[hi];
    for (size_t i = 0; i < h.lines.size(); ++i) {
      const Line& l = h.lines[i];
      if (l.kind != kind) {
        continue;
      }
      const std::string& text = in_comment ? l.comment : l.code;
      for (const auto& macro : ctx.assert_macros) {
        for (size_t open = find_call(text, macro); open != std::string_view::npos;
             open = find_call(text, macro, open + 1)) {
          auto args = call_args(h, i, open, in_comment);
          if (!args) {
            continue;
          }
          std::string_view cond = split_top(*args, ",").front();
          out.push_back({macro, squeeze(cond), std::string(cond), hi, i});
        }
      }
    }
  }
  return out;
}

std::set<std::string> conjuncts(std::string_view cond) {
  std::set<std::string> out;
  for (auto part : split_top(strip_parens(cond), "&&")) {
    out.insert(squeeze(strip_parens(part)));
  }
  return out;
}

// `true`, `1`, `x || true`: a condition that can no longer fail.
bool always_true(std::string_view cond) {
  for (auto part : split_top(strip_parens(cond), "||")) {
    std::string p = squeeze(strip_parens(part));
    if (p == "true" || p == "1" || p == "!0" || p == "!false") {
      return true;
    }
  }
  return false;
}

// Calls looked up by a key, each handed out once, in diff order. Keeps the gate linear in the
// size of the diff (responses may be megabytes).
class CallIndex {
public:
  void add(const std::string& key, AssertCall* call) { m_calls[key].calls.push_back(call); }
  // The first call under `key` not handed out yet (by this index or another), or nullptr.
  AssertCall* take(const std::string& key) {
    auto it = m_calls.find(key);
    if (it == m_calls.end()) {
      return nullptr;
    }
    Entry& e = it->second;
    while (e.next < e.calls.size() && e.calls[e.next]->used) {
      ++e.next; // used through another index
    }
    if (e.next == e.calls.size()) {
      return nullptr;
    }
    AssertCall* c = e.calls[e.next++];
    c->used = true;
    return c;
  }

private:
  struct Entry {
    std::vector<AssertCall*> calls;
    size_t next = 0;
  };
  std::map<std::string, Entry> m_calls;
};

std::string key_of(const std::string& a, const std::string& b) {
  return a + '\n' + b;
}

// The added `if` statements of one hunk, by the identifiers of their conditions: where an assert
// that was turned into an `if` shows up.
struct HunkIfs {
  struct If {
    size_t index = 0; // of the line in the hunk
    bool stops = false;
  };
  std::vector<If> ifs;
  std::map<std::string, std::vector<size_t>> by_identifier; // -> positions in `ifs`
};

HunkIfs added_ifs(const Hunk& h, const GateContext& ctx) {
  HunkIfs out;
  for (size_t i = 0; i < h.lines.size(); ++i) {
    const Line& l = h.lines[i];
    size_t open = l.added() ? find_call(l.code, "if") : std::string_view::npos;
    if (open == std::string_view::npos) {
      continue;
    }
    std::string text = new_side_text(h, i, k_max_construct_lines, open);
    auto cond = paren_contents(text, 0);
    if (!cond) {
      continue;
    }
    auto body = body_of(std::string_view(text).substr(cond->size() + 2));
    out.ifs.push_back({i, body && stops(*body, ctx)});
    for (const auto& id : identifiers(*cond)) {
      auto& v = out.by_identifier[id];
      if (v.empty() || v.back() != out.ifs.size() - 1) {
        v.push_back(out.ifs.size() - 1);
      }
    }
  }
  return out;
}

// `#if 0`, `#ifndef NDEBUG`, `#ifdef _DEBUG`, ...: a conditional that drops code from the builds
// that crash (release) or from every build.
bool disabling_conditional(std::string_view code) {
  static const RE2 re(
      R"(^\s*#\s*(?:if\s+(?:0|false)\s*$|ifn?def\s+(?:NDEBUG|_?DEBUG)\b|(?:el)?if\s+.*\b(?:NDEBUG|_?DEBUG)\b))");
  return RE2::PartialMatch(code, re);
}

} // namespace

void check_asserts(const File& f, const GateContext& ctx, std::vector<MaskFinding>& out) {
  if (ctx.assert_macros.empty()) {
    return;
  }
  std::vector<AssertCall> removed = assert_calls(f, ctx, '-', false);
  std::vector<AssertCall> added = assert_calls(f, ctx, '+', false);
  std::vector<AssertCall> commented = assert_calls(f, ctx, '+', true);
  CallIndex exact;    // macro + condition
  CallIndex by_hunk;  // macro + hunk
  CallIndex by_cond;  // condition
  CallIndex comments; // macro + condition, in comments
  for (auto& a : added) {
    exact.add(key_of(a.macro, a.cond), &a);
    by_hunk.add(key_of(a.macro, std::to_string(a.hunk)), &a);
    by_cond.add(a.cond, &a);
  }
  for (auto& c : commented) {
    comments.add(key_of(c.macro, c.cond), &c);
  }
  // Moved or reformatted: the same macro and condition re-added anywhere in the file.
  for (auto& r : removed) {
    r.used = exact.take(key_of(r.macro, r.cond)) != nullptr;
  }
  std::map<size_t, HunkIfs> ifs; // by hunk, built when first needed
  auto line_of = [&](const AssertCall& c) -> const Line& { return f.hunks[c.hunk].lines[c.index]; };
  for (auto& r : removed) {
    if (r.used) {
      continue;
    }
    const Line& rl = line_of(r);
    std::string call = fmt::format("{}({})", r.macro, util::trim(r.cond_text));
    // Commented out.
    if (AssertCall* c = comments.take(key_of(r.macro, r.cond))) {
      out.push_back(finding("assert_weakened", f, line_of(*c),
                            fmt::format("comments out {}: the check no longer runs; keep it and "
                                        "fix why it fails",
                                        call)));
      continue;
    }
    // The same macro with another condition in the same hunk.
    if (AssertCall* same = by_hunk.take(key_of(r.macro, std::to_string(r.hunk)))) {
      std::set<std::string> was = conjuncts(r.cond_text);
      std::set<std::string> now = conjuncts(same->cond_text);
      bool keeps_all = std::includes(now.begin(), now.end(), was.begin(), was.end());
      const Line& al = line_of(*same);
      if (always_true(same->cond_text)) {
        out.push_back(finding("assert_weakened", f, al,
                              fmt::format("weakens {} to a condition that is always true; the "
                                          "check can no longer fire",
                                          call)));
      } else if (keeps_all) {
        // Strengthened: every old term is still required.
      } else if (std::includes(was.begin(), was.end(), now.begin(), now.end())) {
        out.push_back(finding("assert_weakened", f, al,
                              fmt::format("weakens {} by dropping a condition; the dropped part "
                                          "is what the crash may violate",
                                          call)));
      } else {
        out.push_back(finding(
            "assert_weakened", f, al,
            fmt::format("changes the condition of {} to ({}); confirm the new check is at least "
                        "as strict",
                        call, util::trim(same->cond_text))));
      }
      continue;
    }
    // Another assert macro with the same condition: fine unless it vanishes in release builds.
    if (AssertCall* other = by_cond.take(r.cond)) {
      if (debug_only(other->macro) && !debug_only(r.macro)) {
        out.push_back(finding("assert_weakened", f, line_of(*other),
                              fmt::format("replaces {} with {}, which compiles to nothing in "
                                          "release builds (NDEBUG), where the crash happens",
                                          call, other->macro)));
      }
      continue;
    }
    // Turned into an `if` on the same values in the same hunk: it must still stop the program.
    auto found = ifs.find(r.hunk);
    if (found == ifs.end()) {
      found = ifs.emplace(r.hunk, added_ifs(f.hunks[r.hunk], ctx)).first;
    }
    const HunkIfs& hunk_ifs = found->second;
    const HunkIfs::If* first = nullptr;
    for (const auto& id : identifiers(r.cond_text)) {
      if (id == "nullptr" || id == "NULL" || id == "true" || id == "false") {
        continue;
      }
      auto it = hunk_ifs.by_identifier.find(id);
      if (it != hunk_ifs.by_identifier.end() &&
          (first == nullptr || hunk_ifs.ifs[it->second.front()].index < first->index)) {
        first = &hunk_ifs.ifs[it->second.front()];
      }
    }
    if (first != nullptr) {
      if (!first->stops) {
        out.push_back(finding(
            "assert_weakened", f, f.hunks[r.hunk].lines[first->index],
            fmt::format("turns {} into an `if` that carries on instead of stopping; the broken "
                        "invariant now goes unnoticed",
                        call)));
      }
      continue;
    }
    out.push_back(finding("assert_removed", f, rl,
                          fmt::format("removes {} without an equivalent check; the assertion "
                                      "guards an invariant the crash may break; keep it or "
                                      "explain why it no longer holds",
                                      call)));
  }
}

void check_assert_disabling(const File& f, const GateContext& ctx, std::vector<MaskFinding>& out) {
  static const RE2 define_ndebug(R"(^\s*#\s*define\s+NDEBUG\b)");
  static const RE2 cmake_ndebug(R"((?:^|\W|-D)NDEBUG\b)");
  for (const auto& h : f.hunks) {
    // Depth of preprocessor conditionals opened by added disabling lines (0 = none open).
    int depth = 0;
    const Line* opener = nullptr;
    for (const auto& l : h.lines) {
      if (!l.in_new()) {
        continue;
      }
      std::string_view code = util::trim(l.code);
      if (l.added() && f.lang == Lang::cmake && RE2::PartialMatch(l.code, cmake_ndebug)) {
        out.push_back(finding("assert_weakened", f, l,
                              "defines NDEBUG for the build, which compiles every assert() out"));
        continue;
      }
      if (f.lang != Lang::cpp) {
        continue;
      }
      if (l.added() && RE2::PartialMatch(l.code, define_ndebug)) {
        out.push_back(finding("assert_weakened", f, l,
                              "defines NDEBUG, which compiles every assert() after it out"));
        continue;
      }
      if (l.added() && code.size() > 1 && code[0] == '#') {
        for (const auto& m : ctx.assert_macros) {
          static const RE2 redefine(R"(^#\s*(?:define|undef)\s+(\w+))");
          std::string name;
          if (RE2::PartialMatch(code, redefine, &name) && name == m) {
            out.push_back(finding(
                "assert_weakened", f, l,
                fmt::format("redefines the assert macro {}; every check using it may now do "
                            "nothing",
                            m)));
          }
        }
      }
      if (depth == 0 && l.added() && disabling_conditional(code)) {
        depth = 1;
        opener = &l;
        continue;
      }
      if (depth > 0 && !code.empty() && code[0] == '#') {
        std::string_view d = util::trim_left(code.substr(1));
        if (d.rfind("if", 0) == 0) {
          ++depth;
        } else if (d.rfind("endif", 0) == 0 ||
                   (depth == 1 && (d.rfind("else", 0) == 0 || d.rfind("elif", 0) == 0))) {
          depth = d.rfind("endif", 0) == 0 ? depth - 1 : 0;
        }
        continue;
      }
      if (depth > 0) {
        for (const auto& m : ctx.assert_macros) {
          if (find_call(l.code, m) != std::string_view::npos) {
            out.push_back(finding(
                "assert_weakened", f, l,
                fmt::format("puts {} under `{}`, so it no longer runs in the builds that crash", m,
                            shorten(opener->raw))));
            break;
          }
        }
      }
    }
  }
}

} // namespace crashpilot::fix::mask
