// SPDX-License-Identifier: MIT
#pragma once

// Regular expressions tagged with what a match means (an error, a warning, the heartbeat, the
// server's freeze detector), matched against every line of a busy log without running every
// expression on every line.
//
// RE2's FilteredRE2 names the literal "atoms" a line must contain for an expression to match (at
// least one of them, whatever its and/or tree); one LiteralSet pass over a block of lines finds
// them all, and only lines with an atom of an expression go through that expression, with RE2
// directly (FilteredRE2's own matching allocates on every call). Expressions that are a plain
// literal ("\[ERROR\]", "World Thread hangs") never reach RE2 at all. An expression with no usable
// atom (".*foo" is fine, "\d+" is not) runs on every line: correct, just slower.

#include <util/expected.hpp>

#include <logs/literals.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
} // namespace re2

namespace crashpilot::logs {

struct TaggedPattern {
  std::string regex; // RE2 syntax
  unsigned tags = 0; // OR-ed into the result when the expression matches
  std::string key;   // the configuration key it came from, for error messages
};

class Matcher {
public:
  // Errors name the key and the RE2 complaint.
  static util::Expected<Matcher> compile(const std::vector<TaggedPattern>& patterns);

  Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;
  ~Matcher();

  bool empty() const { return m_patterns.empty(); }

  // The prefilter over a block of whole lines: literal hits, by position in `block`.
  void scan(std::string_view block, std::vector<LiteralSet::Hit>& hits) const;
  // Tags of the expressions matching `line`, which starts at `offset` of the scanned block;
  // `hits` are the scan's hits inside the line. Not thread-safe (scratch space): one thread.
  unsigned tags(std::string_view line, size_t offset, std::span<const LiteralSet::Hit> hits) const;
  // A line on its own.
  unsigned tags(std::string_view line) const;

private:
  struct Pattern {
    unsigned tags = 0;
    std::string literal; // a plain-literal pattern's text; "" when it goes through RE2
    bool ignore_case = false;
    std::unique_ptr<re2::RE2> regex; // the other patterns
  };
  struct Literal {
    std::vector<uint32_t> literal_patterns; // plain-literal patterns equal to this literal
    std::vector<uint32_t> regex_patterns;   // patterns that may match where this atom is
    size_t size = 0;
  };

  std::vector<Pattern> m_patterns;
  std::vector<Literal> m_literals;
  std::vector<uint32_t> m_always; // patterns without a usable atom: tried on every line
  LiteralSet m_set;
  mutable std::vector<uint32_t> m_candidates;
  mutable std::vector<LiteralSet::Hit> m_line_hits;
};

} // namespace crashpilot::logs
