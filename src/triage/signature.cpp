// SPDX-License-Identifier: MIT
#include <triage/signature.hpp>

#include <util/sha1.hpp>
#include <util/string.hpp>

#include <algorithm>
#include <fmt/format.h>

namespace crashpilot::triage {

namespace {

// Digits, hex numbers and quoted values vary between occurrences of one bug; a condition like
// "x < MAX_NUMBER_OF_GRIDS" does not.
std::string normalize_text(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size() && out.size() < 120; ++i) {
    char c = s[i];
    if (c == '0' && i + 1 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
      i += 2;
      while (i < s.size() && util::is_hex_digit(s[i])) {
        ++i;
      }
      --i;
      out += "N";
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
        ++i;
      }
      out += "N";
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') {
        out += ' ';
      }
      continue;
    }
    out += c;
  }
  return std::string(util::trim(out));
}

std::string file_name(std::string_view path) {
  std::string p = util::replace_all(path, "\\", "/");
  return util::to_lower(p.substr(p.find_last_of('/') + 1));
}

std::string frame_key(const model::Frame& f) {
  if (is_symbolized(f)) {
    return normalize_function(f.function);
  }
  if (!f.module.empty() && f.offset) {
    std::string m = util::replace_all(f.module, "\\", "/");
    return fmt::format("{}+0x{:x}", util::to_lower(m.substr(m.find_last_of('/') + 1)), *f.offset);
  }
  return "";
}

size_t lcs(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

double edit_ratio(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) {
    return 1.0;
  }
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return 1.0 - static_cast<double>(prev[b.size()]) / static_cast<double>(std::max(a.size(), b.size()));
}

std::string_view kind_of(const model::Signature& s) {
  return std::string_view(s.text).substr(0, s.text.find('\n'));
}

} // namespace

model::Signature compute_signature(const model::Crash& crash, const MeaningfulFrame& meaningful, const Rules& rules) {
  model::Signature sig;
  const auto& frames = crash.crashing_frames();
  int next = 0;
  if (meaningful.assertion_site && crash.assertion) {
    const auto& a = *crash.assertion;
    std::string site(unqualified(normalize_function(a.function)));
    if (!a.file.empty()) {
      site += "@" + file_name(a.file);
    }
    sig.frames.push_back(site);
    if (!a.condition.empty()) {
      sig.frames.push_back("cond:" + normalize_text(a.condition));
    }
    next = meaningful.index >= 0 ? meaningful.index + 1 : static_cast<int>(frames.size());
  } else {
    next = meaningful.index >= 0 ? meaningful.index : static_cast<int>(frames.size());
  }
  size_t wanted = rules.signature_frames + (sig.frames.size() > 1 ? 1 : 0);
  for (int i : meaningful_frame_indices(crash, rules, next)) {
    if (sig.frames.size() >= wanted) {
      break;
    }
    std::string key = frame_key(frames[static_cast<size_t>(i)]);
    if (!key.empty()) {
      sig.frames.push_back(key);
    }
  }
  if (sig.frames.empty()) {
    // Nothing symbolized to go on: the exception and message are all that identify the crash.
    std::string code = crash.exception_code.empty() ? crash.exception_name : crash.exception_code;
    sig.frames.push_back("code:" + normalize_text(code));
    if (!crash.error_message.empty()) {
      sig.frames.push_back("msg:" + normalize_text(crash.error_message));
    }
  }
  sig.text = std::string(model::to_string(crash.kind));
  for (const auto& f : sig.frames) {
    sig.text += "\n" + f;
  }
  sig.id = util::sha1_hex(sig.text).substr(0, 12);
  return sig;
}

double similarity(const model::Signature& a, const model::Signature& b) {
  if (kind_of(a) != kind_of(b) || a.frames.empty() || b.frames.empty()) {
    return 0.0;
  }
  double n = static_cast<double>(std::max(a.frames.size(), b.frames.size()));
  double by_lcs = static_cast<double>(lcs(a.frames, b.frames)) / n;
  double by_edit = 0.0;
  for (size_t i = 0; i < std::min(a.frames.size(), b.frames.size()); ++i) {
    by_edit += edit_ratio(a.frames[i], b.frames[i]);
  }
  by_edit /= n;
  return std::max(by_lcs, by_edit);
}

bool is_near(const model::Signature& a, const model::Signature& b, double threshold) {
  if (kind_of(a) != kind_of(b)) {
    return false;
  }
  return lcs(a.frames, b.frames) >= 2 || similarity(a, b) >= threshold;
}

} // namespace crashpilot::triage
