// SPDX-License-Identifier: MIT
// The scan kernel for CPUs with AVX2 (this file alone is compiled with -mavx2; see scan_kernel.hpp).
#include <parse/scan_kernel.hpp>

#include <immintrin.h>

namespace crashpilot::parse::kernel {

namespace {
struct Avx2 {
  using V = __m256i;
  static constexpr size_t width = 32;
  static V load(const char* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static V splat(unsigned char c) { return _mm256_set1_epi8(static_cast<char>(c)); }
  static V zero() { return _mm256_setzero_si256(); }
  static V eq(V a, V b) { return _mm256_cmpeq_epi8(a, b); }
  static V bit_and(V a, V b) { return _mm256_and_si256(a, b); }
  static V bit_or(V a, V b) { return _mm256_or_si256(a, b); }
  static uint32_t mask(V a) { return static_cast<uint32_t>(_mm256_movemask_epi8(a)); }
};
} // namespace

namespace {

// Nibble tables: bit b of lo[x] is set when bucket b holds a pair whose byte has low nibble x, and so
// on. With one pair per bucket (eight buckets per table set, up to three sets) a bucket bit that
// survives all four lookups means exactly that pair: no false candidates to re-check.
constexpr size_t k_sets = (k_max_pairs + 7) / 8;

struct Teddy {
  size_t sets = 0;
  __m256i first_lo[k_sets], first_hi[k_sets], second_lo[k_sets], second_hi[k_sets];
};

Teddy build(const Pairs& pairs) {
  alignas(32) unsigned char t[k_sets][4][32] = {};
  for (size_t n = 0; n < pairs.count; ++n) {
    size_t set = n / 8;
    auto bit = static_cast<unsigned char>(1u << (n % 8));
    unsigned char a = pairs.first[n];
    for (int lane = 0; lane < 32; lane += 16) {
      t[set][0][lane + (a & 0xF)] |= bit;
      t[set][1][lane + (a >> 4)] |= bit;
      if (pairs.distance[n] == 0) {
        for (int x = 0; x < 16; ++x) { // a single byte: any byte may follow
          t[set][2][lane + x] |= bit;
          t[set][3][lane + x] |= bit;
        }
      } else {
        unsigned char b = pairs.second[n];
        t[set][2][lane + (b & 0xF)] |= bit;
        t[set][3][lane + (b >> 4)] |= bit;
      }
    }
  }
  auto load = [](const unsigned char* p) { return _mm256_load_si256(reinterpret_cast<const __m256i*>(p)); };
  Teddy out;
  out.sets = (pairs.count + 7) / 8;
  for (size_t s = 0; s < out.sets; ++s) {
    out.first_lo[s] = load(t[s][0]);
    out.first_hi[s] = load(t[s][1]);
    out.second_lo[s] = load(t[s][2]);
    out.second_hi[s] = load(t[s][3]);
  }
  return out;
}

} // namespace

size_t scan_avx2(const char* text, size_t size, const Pairs& pairs, Visit visit, void* context) {
  for (size_t n = 0; n < pairs.count; ++n) {
    if (pairs.distance[n] > 1) {
      return scan_with<Avx2>(text, size, pairs, visit, context); // not a Teddy pair set
    }
  }
  const Teddy t = build(pairs);
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i newline = _mm256_set1_epi8('\n');
  const __m256i zero = _mm256_setzero_si256();
  size_t lines = 0;
  size_t pos = 0;
  while (pos + 33 <= size) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text + pos));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text + pos + 1));
    const __m256i a_lo = _mm256_and_si256(a, nibble);
    const __m256i a_hi = _mm256_and_si256(_mm256_srli_epi16(a, 4), nibble);
    const __m256i b_lo = _mm256_and_si256(b, nibble);
    const __m256i b_hi = _mm256_and_si256(_mm256_srli_epi16(b, 4), nibble);
    __m256i any = zero;
    for (size_t s = 0; s < t.sets; ++s) {
      __m256i m = _mm256_and_si256(_mm256_shuffle_epi8(t.first_lo[s], a_lo), _mm256_shuffle_epi8(t.first_hi[s], a_hi));
      m = _mm256_and_si256(m, _mm256_shuffle_epi8(t.second_lo[s], b_lo));
      m = _mm256_and_si256(m, _mm256_shuffle_epi8(t.second_hi[s], b_hi));
      any = _mm256_or_si256(any, m);
    }
    auto hits = ~static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(any, zero)));
    auto nl = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, newline)));
    while (hits != 0) {
      unsigned bit = static_cast<unsigned>(__builtin_ctz(hits));
      uint32_t below = bit == 0 ? 0u : (nl & ((1u << bit) - 1u));
      if (!visit(context, pos + bit, lines + static_cast<size_t>(__builtin_popcount(below)))) {
        return lines;
      }
      hits &= hits - 1;
    }
    lines += static_cast<size_t>(__builtin_popcount(nl));
    pos += 32;
  }
  // The tail through the generic kernel (its line numbers continue from here).
  struct Offset {
    Visit visit;
    void* context;
    size_t pos;
    size_t lines;
  } o{visit, context, pos, lines};
  auto shifted = [](void* c, size_t p, size_t l) {
    auto* off = static_cast<Offset*>(c);
    return off->visit(off->context, off->pos + p, off->lines + l);
  };
  return lines + scan_with<Avx2>(text + pos, size - pos, pairs, shifted, &o);
}

} // namespace crashpilot::parse::kernel
