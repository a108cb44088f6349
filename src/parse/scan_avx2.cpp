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

size_t scan_avx2(const char* text, size_t size, const Pairs& pairs, Visit visit, void* context) {
  return scan_with<Avx2>(text, size, pairs, visit, context);
}

} // namespace crashpilot::parse::kernel
