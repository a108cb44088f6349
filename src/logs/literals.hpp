// SPDX-License-Identifier: MIT
#pragma once

// Finding any of a few dozen literals in a block of log text in one pass, ignoring ASCII case (the
// atoms RE2's prefilter asks for are lower-cased). A follower reads a busy log at 100 MB/s; testing
// each line with each pattern, or memmem() per literal, costs a multiple of the reading itself.
//
// On CPUs with AVX2 this is a Teddy filter (Hyperscan's algorithm): nibble tables looked up with
// PSHUFB test three bytes of every literal at 32 positions at once, in eight buckets, and only the
// few candidates left are compared byte by byte. Elsewhere the same tables are used one byte at a
// time. Which three bytes, and which literals share a bucket, is chosen for few false candidates
// in log text: " failed" is looked for by "led", not by " fa".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::logs {

class LiteralSet {
public:
  struct Hit {
    uint32_t position; // in the text given to find()
    uint32_t literal;  // index into the literals given to the constructor
  };

  LiteralSet() = default;
  // Empty literals are ignored (they never hit).
  explicit LiteralSet(const std::vector<std::string>& literals);

  bool empty() const { return m_literals.empty(); }
  // Appends every occurrence of every literal in `text` to `hits`, by position (then literal).
  // ASCII letters match either case; other bytes match exactly. Texts over 4 GiB are not supported.
  void find(std::string_view text, std::vector<Hit>& hits) const;

private:
  static constexpr int k_buckets = 8;
  static constexpr int k_max_fingerprint = 3;

  struct Literal {
    std::string folded;  // ASCII lower case
    uint32_t index = 0;  // in the constructor's list
    uint32_t offset = 0; // where the fingerprint bytes start in the literal
  };

  void find_scalar(std::string_view text, size_t from, std::vector<Hit>& hits) const;
  void verify(std::string_view text, size_t pos, unsigned buckets, std::vector<Hit>& hits) const;

  std::vector<Literal> m_literals;
  std::vector<uint32_t> m_bucket_members[k_buckets]; // indexes into m_literals
  int m_fingerprint = 0;                             // leading bytes tested by the tables
  // [position][nibble] -> bucket bits; lo and hi nibble tables per fingerprint position.
  alignas(32) uint8_t m_lo[k_max_fingerprint][16] = {};
  alignas(32) uint8_t m_hi[k_max_fingerprint][16] = {};
};

} // namespace crashpilot::logs
