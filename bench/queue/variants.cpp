// SPDX-License-Identifier: MIT
#include "variants.hpp"

#include <parse/parser.hpp>
#include <triage/triage.hpp>
#include <util/file.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace crashpilot::bench {

namespace {

namespace fs = std::filesystem;

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// The last identifier of "Ns::Class::Func(int) const" -> "Func".
std::string last_identifier(const std::string& function) {
  std::string f = function.substr(0, function.find('('));
  size_t end = f.size();
  while (end > 0 && !ident_char(f[end - 1])) {
    --end;
  }
  size_t begin = end;
  while (begin > 0 && ident_char(f[begin - 1])) {
    --begin;
  }
  return f.substr(begin, end - begin);
}

// Positions where `token` occurs as a whole identifier.
std::vector<size_t> word_positions(const std::string& text, const std::string& token) {
  std::vector<size_t> out;
  for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + 1)) {
    const size_t end = at + token.size();
    if ((at == 0 || !ident_char(text[at - 1])) && (end == text.size() || !ident_char(text[end]))) {
      out.push_back(at);
    }
  }
  return out;
}

std::string rename(const std::string& text, const std::string& token, const std::string& to) {
  std::string out;
  size_t from = 0;
  for (size_t at : word_positions(text, token)) {
    out.append(text, from, at - from);
    out += to;
    from = at + token.size();
  }
  out.append(text, from, std::string::npos);
  return out;
}

// XORs `slide` into every 0x number of 8 or more hex digits, keeping its length and letter case.
std::string slide_addresses(std::string text, uint64_t slide) {
  for (size_t at = text.find("0x"); at != std::string::npos; at = text.find("0x", at + 2)) {
    size_t end = at + 2;
    while (end < text.size() && std::isxdigit(static_cast<unsigned char>(text[end])) != 0) {
      ++end;
    }
    const size_t digits = end - at - 2;
    if (digits < 8 || digits > 16) {
      continue;
    }
    const std::string hex = text.substr(at + 2, digits);
    const bool upper =
        std::any_of(hex.begin(), hex.end(), [](char c) { return c >= 'A' && c <= 'F'; });
    uint64_t value = std::stoull(hex, nullptr, 16) ^ slide;
    if (digits < 16) {
      value &= (uint64_t{1} << (4 * digits)) - 1;
    }
    std::string repl =
        upper ? fmt::format("{:0{}X}", value, digits) : fmt::format("{:0{}x}", value, digits);
    text.replace(at + 2, digits, repl);
  }
  return text;
}

} // namespace

std::vector<Fixture> load_fixtures(const std::string& dir, const triage::Rules& rules) {
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".txt") {
      paths.push_back(e.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Fixture> out;
  for (const auto& p : paths) {
    auto text = util::read_file(p);
    if (!text) {
      continue;
    }
    auto parsed = parse::parse_text(*text);
    if (parsed.crashes.empty()) {
      continue;
    }
    triage::triage(parsed.crashes.front(), rules);
    Fixture f{p, std::move(*text), last_identifier(parsed.crashes.front().crash_function)};
    if (f.rename_token.size() < 4 || word_positions(f.text, f.rename_token).empty()) {
      f.rename_token.clear();
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Report> make_reports(const std::vector<Fixture>& fixtures, size_t n) {
  constexpr uint64_t k_variants = 8;
  std::vector<Report> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const Fixture& f = fixtures[i % fixtures.size()];
    const uint64_t round = i / fixtures.size();
    const uint64_t h = (uint64_t{i} * 2654435761u) % 100; // a fixed shuffle of the shares
    Report r;
    if (h < 20) {
      r.text = f.text;
    } else {
      r.text = slide_addresses(f.text, (uint64_t{i} + 1) << 12);
      if (h < 55 && !f.rename_token.empty()) {
        r.text = rename(r.text, f.rename_token,
                        fmt::format("{}V{}", f.rename_token, 1 + round % k_variants));
      }
    }
    r.time = 1'749'945'600 + static_cast<store::Time>(i) * 53;
    r.host = fmt::format("world-{}", i % 3);
    r.path = fmt::format("/srv/crashes/{}-{}.txt", fs::path(f.path).stem().string(), i);
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace crashpilot::bench
