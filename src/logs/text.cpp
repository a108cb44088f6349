// SPDX-License-Identifier: MIT
#include <util/utf8.hpp>

#include <logs/text.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace crashpilot::logs {

namespace {

constexpr uint64_t k_ones = 0x0101010101010101ULL;
constexpr uint64_t k_highs = 0x8080808080808080ULL;
constexpr std::string_view k_ellipsis = "\xE2\x80\xA6"; // U+2026

// Any byte below 0x20 in a word of ASCII bytes.
bool has_control(uint64_t w) {
  return ((w - k_ones * 0x20) & ~w & k_highs) != 0;
}

bool plain_byte(unsigned char c) {
  return c >= 0x20 && c < 0x7F;
}

// Removes escape sequences and control bytes other than tab. ESC '[' ... final byte (CSI, colours),
// ESC ']' ... BEL or ESC '\' (OSC, titles), ESC + one byte otherwise.
void strip_controls(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    auto c = static_cast<unsigned char>(in[i]);
    if (c >= 0x20 || c == '\t') {
      if (c != 0x7F) {
        out += static_cast<char>(c);
      }
      continue;
    }
    if (c != 0x1B || i + 1 >= in.size()) {
      continue;
    }
    char kind = in[++i];
    if (kind == '[') {
      while (i + 1 < in.size()) {
        auto b = static_cast<unsigned char>(in[++i]);
        if (b >= 0x40 && b <= 0x7E) {
          break;
        }
      }
    } else if (kind == ']') {
      while (i + 1 < in.size()) {
        char b = in[++i];
        if (b == '\a') {
          break;
        }
        if (b == 0x1B && i + 1 < in.size() && in[i + 1] == '\\') {
          ++i;
          break;
        }
      }
    }
  }
}

} // namespace

bool is_plain(std::string_view line) {
  size_t i = 0;
  for (; i + 8 <= line.size(); i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, line.data() + i, 8);
    if ((w & k_highs) != 0 || has_control(w) || ((w + k_ones) & k_highs) != 0) {
      // high bytes, controls, or 0x7F (which +1 turns into 0x80)
      return false;
    }
  }
  for (; i < line.size(); ++i) {
    if (!plain_byte(static_cast<unsigned char>(line[i]))) {
      return false;
    }
  }
  return true;
}

#if defined(__x86_64__)
namespace {
// Returns where it stopped (a multiple of 32); `plain` is cleared at the first other byte.
__attribute__((target("avx2"))) size_t index_avx2(const char* p, size_t n,
                                                  std::vector<uint32_t>& newlines, bool& plain) {
  const __m256i space = _mm256_set1_epi8(0x20);
  const __m256i del = _mm256_set1_epi8(0x7F);
  const __m256i newline = _mm256_set1_epi8('\n');
  __m256i bad = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    __m256i nl = _mm256_cmpeq_epi8(v, newline);
    // Signed: bytes >= 0x80 are negative, so "< 0x20" also catches them.
    __m256i b = _mm256_or_si256(_mm256_cmpgt_epi8(space, v), _mm256_cmpeq_epi8(v, del));
    bad = _mm256_or_si256(bad, _mm256_andnot_si256(nl, b));
    newlines[i / 32] = static_cast<uint32_t>(_mm256_movemask_epi8(nl));
  }
  plain = plain && _mm256_movemask_epi8(bad) == 0;
  return i;
}

bool has_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}
} // namespace
#endif

bool index_lines(std::string_view block, std::vector<uint32_t>& newlines) {
  newlines.assign((block.size() + 31) / 32, 0);
  bool plain = true;
  size_t i = 0;
#if defined(__x86_64__)
  if (has_avx2()) {
    i = index_avx2(block.data(), block.size(), newlines, plain);
  }
#endif
  for (; i < block.size(); ++i) {
    auto c = static_cast<unsigned char>(block[i]);
    if (c == '\n') {
      newlines[i / 32] |= 1u << (i % 32);
    } else if (!plain_byte(c)) {
      plain = false;
    }
  }
  return plain;
}

std::string_view clean_line_slow(std::string_view line, size_t max_bytes, std::string& scratch,
                                 bool& cut, bool known_plain) {
  max_bytes = std::max<size_t>(max_bytes, 16);
  cut = false;
  bool plain = known_plain || is_plain(line);
  if (plain && line.size() <= max_bytes) {
    return line;
  }
  if (!plain) {
    strip_controls(line, scratch);
    if (!util::is_valid_utf8(scratch)) {
      scratch = util::sanitize_utf8(scratch);
    }
  } else {
    scratch.assign(line);
  }
  if (scratch.size() > max_bytes) {
    size_t keep = max_bytes - k_ellipsis.size();
    // Back up over continuation bytes so the cut falls between characters.
    while (keep > 0 && (static_cast<unsigned char>(scratch[keep]) & 0xC0) == 0x80) {
      --keep;
    }
    scratch.resize(keep);
    scratch += k_ellipsis;
    cut = true;
  }
  return scratch;
}

} // namespace crashpilot::logs
