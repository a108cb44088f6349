// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <logs/matcher.hpp>
#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <numeric>
#include <optional>

namespace crashpilot::logs {

namespace {

struct PlainLiteral {
  std::string text;
  bool ignore_case = false;
};

// The literal a pattern stands for when it has no operator at all: "\[ERROR\]", "(?i)world thread
// hangs", "⚠". Case-blind literals must be ASCII (LiteralSet folds ASCII only).
std::optional<PlainLiteral> plain_literal(std::string_view p) {
  PlainLiteral out;
  if (p.starts_with("(?i)")) {
    out.ignore_case = true;
    p.remove_prefix(4);
  }
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    auto u = static_cast<unsigned char>(c);
    if (c == '\\') {
      if (i + 1 >= p.size()) {
        return std::nullopt;
      }
      char e = p[++i];
      auto eu = static_cast<unsigned char>(e);
      bool punct = eu < 0x80 && !((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') ||
                                  (e >= 'A' && e <= 'Z') || e == '_');
      if (!punct) {
        return std::nullopt; // \b, \d, \x41, \Q...: leave it to RE2
      }
      out.text += e;
      continue;
    }
    if (std::string_view(".[]{}()*+?^$|").find(c) != std::string_view::npos || c == '\n') {
      return std::nullopt;
    }
    if (out.ignore_case && u >= 0x80) {
      return std::nullopt;
    }
    out.text += c;
  }
  if (out.text.empty()) {
    return std::nullopt;
  }
  return out;
}

// An atom LiteralSet cannot find reliably: RE2 lower-cases atoms with Unicode rules, and a
// case-blind search here folds ASCII only. Patterns with atoms from cased scripts (Latin
// supplements, Greek, Cyrillic, ...) are therefore tried on every line. Symbols and emoji (U+2000
// and above outside those blocks) have no case and are searched as they are.
bool needs_unicode_fold(std::string_view atom) {
  for (size_t i = 0; i < atom.size();) {
    auto c = static_cast<unsigned char>(atom[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    uint32_t rune = 0;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    rune = n == 1 ? c : (c & (0x7Fu >> n));
    for (size_t k = 1; k < n && i + k < atom.size(); ++k) {
      rune = (rune << 6) | (static_cast<unsigned char>(atom[i + k]) & 0x3F);
    }
    i += n;
    bool cased = rune < 0x2000 || (rune >= 0x2C00 && rune < 0x2E00) ||
                 (rune >= 0xA640 && rune < 0xA800) || (rune >= 0xFF00 && rune < 0xFFF0) ||
                 (rune >= 0x10400 && rune < 0x1F000);
    if (cased) {
      return true;
    }
  }
  return false;
}

} // namespace

Matcher::Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;

util::Expected<Matcher> Matcher::compile(const std::vector<TaggedPattern>& patterns) {
  Matcher m;
  std::map<std::string, uint32_t> literal_index; // folded text -> m_literals index
  std::vector<std::string> literal_texts;
  auto add_literal = [&](const std::string& text) -> Literal& {
    std::string folded;
    for (char c : text) {
      folded += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    auto [it, fresh] =
        literal_index.try_emplace(folded, static_cast<uint32_t>(m.m_literals.size()));
    if (fresh) {
      m.m_literals.emplace_back();
      m.m_literals.back().size = folded.size();
      literal_texts.push_back(folded);
    }
    return m.m_literals[it->second];
  };

  RE2::Options options;
  options.set_log_errors(false);
  for (const auto& tp : patterns) {
    if (tp.regex.empty()) {
      continue;
    }
    auto regex = std::make_unique<RE2>(tp.regex, options);
    if (!regex->ok()) {
      return util::error(
          fmt::format("{}: invalid regular expression '{}': {}", tp.key, tp.regex, regex->error()));
    }
    auto index = static_cast<uint32_t>(m.m_patterns.size());
    Pattern p;
    p.tags = tp.tags;
    if (auto lit = plain_literal(tp.regex)) {
      p.literal = lit->text;
      p.ignore_case = lit->ignore_case;
      m.m_patterns.push_back(std::move(p));
      add_literal(lit->text).literal_patterns.push_back(index);
      continue;
    }
    p.regex = std::move(regex);
    m.m_patterns.push_back(std::move(p));
    // This pattern's atoms alone. Atoms shorter than three bytes would make nearly every line a
    // candidate: such a pattern is tried on every line instead.
    re2::FilteredRE2 filter(3);
    int id = -1;
    if (filter.Add(tp.regex, options, &id) != RE2::NoError) {
      return util::error(fmt::format("{}: invalid regular expression '{}'", tp.key, tp.regex));
    }
    std::vector<std::string> atoms;
    filter.Compile(&atoms);
    std::vector<int> unfiltered;
    filter.AllPotentials({}, &unfiltered);
    bool searchable = unfiltered.empty() && !atoms.empty() &&
                      std::none_of(atoms.begin(), atoms.end(), needs_unicode_fold);
    if (!searchable) {
      m.m_always.push_back(index);
      continue;
    }
    // An atom every match contains (the pattern's prefilter fails without it) is enough to look
    // for: the longest such. "Assertion .+ failed" is looked for by "assertion ", not also by
    // " failed", which half the lines of a busy log contain. Without one ("a|b"), any atom will do.
    std::vector<int> all(atoms.size());
    std::iota(all.begin(), all.end(), 0);
    int necessary = -1;
    for (int a = 0; a < static_cast<int>(atoms.size()); ++a) {
      std::vector<int> others;
      std::copy_if(all.begin(), all.end(), std::back_inserter(others),
                   [a](int x) { return x != a; });
      std::vector<int> passing;
      filter.AllPotentials(others, &passing);
      if (passing.empty() && (necessary < 0 || atoms[static_cast<size_t>(a)].size() >
                                                   atoms[static_cast<size_t>(necessary)].size())) {
        necessary = a;
      }
    }
    if (necessary >= 0) {
      add_literal(atoms[static_cast<size_t>(necessary)]).regex_patterns.push_back(index);
      continue;
    }
    for (const auto& atom : atoms) {
      add_literal(atom).regex_patterns.push_back(index);
    }
  }
  m.m_set = LiteralSet(literal_texts);
  return m;
}

void Matcher::scan(std::string_view block, std::vector<LiteralSet::Hit>& hits) const {
  m_set.find(block, hits);
}

unsigned Matcher::tags(std::string_view line, size_t offset,
                       std::span<const LiteralSet::Hit> hits) const {
  if (hits.empty() && m_always.empty()) {
    return 0; // most lines
  }
  unsigned out = 0;
  m_candidates.clear();
  for (const auto& hit : hits) {
    if (hit.position < offset) {
      continue;
    }
    size_t rel = hit.position - offset;
    const Literal& lit = m_literals[hit.literal];
    if (rel + lit.size > line.size()) {
      continue;
    }
    for (uint32_t p : lit.literal_patterns) {
      const Pattern& pat = m_patterns[p];
      if (pat.ignore_case || line.compare(rel, pat.literal.size(), pat.literal) == 0) {
        out |= pat.tags;
      }
    }
    m_candidates.insert(m_candidates.end(), lit.regex_patterns.begin(), lit.regex_patterns.end());
  }
  m_candidates.insert(m_candidates.end(), m_always.begin(), m_always.end());
  if (m_candidates.size() > 1) {
    std::sort(m_candidates.begin(), m_candidates.end());
    m_candidates.erase(std::unique(m_candidates.begin(), m_candidates.end()), m_candidates.end());
  }
  for (uint32_t p : m_candidates) {
    const Pattern& pat = m_patterns[p];
    // A tag already earned needs no second expression to confirm it.
    if ((pat.tags & ~out) != 0 && RE2::PartialMatch(line, *pat.regex)) {
      out |= pat.tags;
    }
  }
  return out;
}

unsigned Matcher::tags(std::string_view line) const {
  m_line_hits.clear();
  m_set.find(line, m_line_hits);
  // tags() below uses m_candidates, not m_line_hits, so the span stays valid.
  return tags(line, 0, m_line_hits);
}

} // namespace crashpilot::logs
