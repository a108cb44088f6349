// SPDX-License-Identifier: MIT
#include <logs/literals.hpp>

#include <algorithm>
#include <map>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace crashpilot::logs {

namespace {

char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool letter(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

#if defined(__x86_64__)
bool has_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}
#endif

} // namespace

namespace {

// A rough share of byte `b` in log text: blanks and lower-case letters are everywhere, digits
// often, punctuation and upper case less, other bytes rarely.
double share(unsigned char b) {
  static constexpr double letters[26] = {8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0,
                                         0.2, 0.8, 4.0, 2.4, 6.7,  7.5, 1.9, 0.1, 6.0,
                                         6.3, 9.1, 2.8, 1.0, 2.4,  0.2, 2.0, 0.1};
  if (b == ' ') {
    return 0.14;
  }
  if (b >= 'a' && b <= 'z') {
    return letters[b - 'a'] / 100 * 0.5;
  }
  if (b >= 'A' && b <= 'Z') {
    return letters[b - 'A'] / 100 * 0.08;
  }
  if (b >= '0' && b <= '9') {
    return 0.025;
  }
  if (b == '.' || b == ',' || b == ':' || b == '_' || b == '-' || b == '/' || b == '(' ||
      b == ')' || b == '[' || b == ']' || b == '=' || b == '\'' || b == '\n') {
    return 0.008;
  }
  return b < 0x80 ? 0.002 : 0.0005;
}

// The nibbles a bucket accepts at each fingerprint position.
struct Nibbles {
  uint16_t lo[3] = {};
  uint16_t hi[3] = {};

  void add(int k, unsigned char c) {
    for (unsigned char v : {c, static_cast<unsigned char>(letter(c) ? c ^ 0x20 : c)}) {
      lo[k] = static_cast<uint16_t>(lo[k] | (1u << (v & 0xF)));
      hi[k] = static_cast<uint16_t>(hi[k] | (1u << (v >> 4)));
    }
  }
  void merge(const Nibbles& o) {
    for (int k = 0; k < 3; ++k) {
      lo[k] = static_cast<uint16_t>(lo[k] | o.lo[k]);
      hi[k] = static_cast<uint16_t>(hi[k] | o.hi[k]);
    }
  }
  // Expected share of text positions the tables accept (false candidates included).
  double accepts(int fingerprint) const {
    double p = 1;
    for (int k = 0; k < fingerprint; ++k) {
      double sum = 0;
      for (unsigned b = 0; b < 256; ++b) {
        if ((lo[k] >> (b & 0xF) & 1) && (hi[k] >> (b >> 4) & 1)) {
          sum += share(static_cast<unsigned char>(b));
        }
      }
      p *= sum;
    }
    return p;
  }
};

} // namespace

LiteralSet::LiteralSet(const std::vector<std::string>& literals) {
  for (size_t i = 0; i < literals.size(); ++i) {
    if (literals[i].empty()) {
      continue;
    }
    Literal l;
    l.folded.reserve(literals[i].size());
    for (char c : literals[i]) {
      l.folded += fold(c);
    }
    l.index = static_cast<uint32_t>(i);
    m_literals.push_back(std::move(l));
  }
  if (m_literals.empty()) {
    return;
  }
  size_t shortest = m_literals[0].folded.size();
  for (const auto& l : m_literals) {
    shortest = std::min(shortest, l.folded.size());
  }
  m_fingerprint = static_cast<int>(std::min<size_t>(shortest, k_max_fingerprint));
  auto fp = static_cast<size_t>(m_fingerprint);

  // Each literal is looked for by its rarest run of fingerprint bytes.
  for (auto& l : m_literals) {
    double best = 2;
    for (size_t k = 0; k + fp <= l.folded.size(); ++k) {
      Nibbles n;
      for (size_t j = 0; j < fp; ++j) {
        n.add(static_cast<int>(j), static_cast<unsigned char>(l.folded[k + j]));
      }
      double a = n.accepts(m_fingerprint);
      if (a < best) {
        best = a;
        l.offset = static_cast<uint32_t>(k);
      }
    }
  }
  // Literals with the same fingerprint form a group; while there are more groups than buckets,
  // the two whose merge adds the fewest false candidates share a bucket.
  std::map<std::string, std::vector<uint32_t>> by_fingerprint;
  for (uint32_t i = 0; i < m_literals.size(); ++i) {
    by_fingerprint[m_literals[i].folded.substr(m_literals[i].offset, fp)].push_back(i);
  }
  struct Group {
    Nibbles nibbles;
    std::vector<uint32_t> members;
  };
  std::vector<Group> groups;
  for (const auto& [fingerprint, members] : by_fingerprint) {
    Group g;
    for (size_t j = 0; j < fp; ++j) {
      g.nibbles.add(static_cast<int>(j), static_cast<unsigned char>(fingerprint[j]));
    }
    g.members = members;
    groups.push_back(std::move(g));
  }
  while (groups.size() > static_cast<size_t>(k_buckets)) {
    size_t best_a = 0;
    size_t best_b = 1;
    double best_cost = 1e9;
    for (size_t a = 0; a < groups.size(); ++a) {
      for (size_t b = a + 1; b < groups.size(); ++b) {
        Nibbles merged = groups[a].nibbles;
        merged.merge(groups[b].nibbles);
        double cost = merged.accepts(m_fingerprint) - groups[a].nibbles.accepts(m_fingerprint) -
                      groups[b].nibbles.accepts(m_fingerprint);
        if (cost < best_cost) {
          best_cost = cost;
          best_a = a;
          best_b = b;
        }
      }
    }
    groups[best_a].nibbles.merge(groups[best_b].nibbles);
    groups[best_a].members.insert(groups[best_a].members.end(), groups[best_b].members.begin(),
                                  groups[best_b].members.end());
    groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(best_b));
  }
  for (size_t bucket = 0; bucket < groups.size(); ++bucket) {
    auto bit = static_cast<uint8_t>(1u << bucket);
    m_bucket_members[bucket] = groups[bucket].members;
    for (int k = 0; k < m_fingerprint; ++k) {
      for (unsigned x = 0; x < 16; ++x) {
        if (groups[bucket].nibbles.lo[k] >> x & 1) {
          m_lo[k][x] |= bit;
        }
        if (groups[bucket].nibbles.hi[k] >> x & 1) {
          m_hi[k][x] |= bit;
        }
      }
    }
  }
}

void LiteralSet::verify(std::string_view text, size_t pos, unsigned buckets,
                        std::vector<Hit>& hits) const {
  while (buckets != 0) {
    int b = __builtin_ctz(buckets);
    buckets &= buckets - 1;
    for (uint32_t m : m_bucket_members[b]) {
      const Literal& lit = m_literals[m];
      if (pos < lit.offset) {
        continue;
      }
      size_t start = pos - lit.offset;
      if (start + lit.folded.size() > text.size()) {
        continue;
      }
      size_t j = 0;
      while (j < lit.folded.size() && fold(text[start + j]) == lit.folded[j]) {
        ++j;
      }
      if (j == lit.folded.size()) {
        hits.push_back({static_cast<uint32_t>(start), lit.index});
      }
    }
  }
}

void LiteralSet::find_scalar(std::string_view text, size_t from, std::vector<Hit>& hits) const {
  const auto* t = reinterpret_cast<const unsigned char*>(text.data());
  auto fp = static_cast<size_t>(m_fingerprint);
  for (size_t i = from; i + fp <= text.size(); ++i) {
    unsigned m = 0xFF;
    for (size_t k = 0; k < fp && m != 0; ++k) {
      m &= m_lo[k][t[i + k] & 0xF] & m_hi[k][t[i + k] >> 4];
    }
    if (m != 0) {
      verify(text, i, m, hits);
    }
  }
}

#if defined(__x86_64__)
namespace {

// Blocks with candidates, handed back in batches: calling out of the vector loop for each one
// would cost a vzeroupper and the tables' registers every time.
struct Candidates {
  static constexpr size_t k_max = 64;
  size_t count = 0;
  uint32_t position[k_max];
  uint32_t any[k_max];
  alignas(32) uint8_t buckets[k_max][32];
};

// The Teddy filter over [from, size - FP + 1) in 32-byte steps, until the end or until `out` is
// full. Returns where it stopped.
template <size_t FP>
__attribute__((target("avx2"))) size_t teddy_avx2(const unsigned char* t, size_t from, size_t size,
                                                  const uint8_t (*lo)[16], const uint8_t (*hi)[16],
                                                  Candidates& out) {
  __m256i lo_t[FP], hi_t[FP];
  for (size_t k = 0; k < FP; ++k) {
    lo_t[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(lo[k])));
    hi_t[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(hi[k])));
  }
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i zero = _mm256_setzero_si256();
  out.count = 0;
  size_t pos = from;
  for (; pos + 32 + (FP - 1) <= size && out.count < Candidates::k_max; pos += 32) {
    __m256i m = _mm256_set1_epi8(static_cast<char>(0xFF));
#pragma GCC unroll 3
    for (size_t k = 0; k < FP; ++k) {
      __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(t + pos + k));
      __m256i xl = _mm256_and_si256(x, nibble);
      __m256i xh = _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble);
      m = _mm256_and_si256(
          m, _mm256_and_si256(_mm256_shuffle_epi8(lo_t[k], xl), _mm256_shuffle_epi8(hi_t[k], xh)));
    }
    auto any = ~static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, zero)));
    // Written every time and kept only with a candidate: a branch here mispredicts too often.
    _mm256_store_si256(reinterpret_cast<__m256i*>(out.buckets[out.count]), m);
    out.position[out.count] = static_cast<uint32_t>(pos);
    out.any[out.count] = any;
    out.count += any != 0 ? 1 : 0;
  }
  return pos;
}

} // namespace
#endif

void LiteralSet::find(std::string_view text, std::vector<Hit>& hits) const {
  if (m_literals.empty()) {
    return;
  }
  size_t first = hits.size();
  size_t from = 0;
#if defined(__x86_64__)
  if (has_avx2()) {
    const auto* t = reinterpret_cast<const unsigned char*>(text.data());
    Candidates c;
    while (true) {
      size_t next = m_fingerprint == 3   ? teddy_avx2<3>(t, from, text.size(), m_lo, m_hi, c)
                    : m_fingerprint == 2 ? teddy_avx2<2>(t, from, text.size(), m_lo, m_hi, c)
                                         : teddy_avx2<1>(t, from, text.size(), m_lo, m_hi, c);
      for (size_t i = 0; i < c.count; ++i) {
        for (uint32_t any = c.any[i]; any != 0; any &= any - 1) {
          unsigned bit = static_cast<unsigned>(__builtin_ctz(any));
          verify(text, c.position[i] + bit, c.buckets[i][bit], hits);
        }
      }
      if (next == from || c.count < Candidates::k_max) {
        from = next;
        break;
      }
      from = next;
    }
  }
#endif
  find_scalar(text, from, hits);
  // Fingerprints sit at different offsets of different literals: hits can come out of order.
  auto by_position = [](const Hit& a, const Hit& b) {
    return a.position != b.position ? a.position < b.position : a.literal < b.literal;
  };
  auto begin = hits.begin() + static_cast<std::ptrdiff_t>(first);
  if (!std::is_sorted(begin, hits.end(), by_position)) {
    std::sort(begin, hits.end(), by_position);
  }
}

} // namespace crashpilot::logs
