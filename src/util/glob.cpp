// SPDX-License-Identifier: MIT
#include <util/glob.hpp>
#include <util/string.hpp>

#include <vector>

namespace crashpilot::util {

namespace {

// One component against one component pattern (`*`, `?`, literals). Iterative with one backtrack
// point, the classic linear wildcard matcher.
bool match_component(std::string_view p, std::string_view s) {
  size_t pi = 0;
  size_t si = 0;
  size_t star = std::string_view::npos;
  size_t mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == s[si])) {
      ++pi;
      ++si;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') {
    ++pi;
  }
  return pi == p.size();
}

bool match_parts(const std::vector<std::string_view>& p, size_t pi,
                 const std::vector<std::string_view>& s, size_t si) {
  while (pi < p.size()) {
    if (p[pi] == "**") {
      // Collapse runs of `**`, then try every split point: zero or more components.
      while (pi + 1 < p.size() && p[pi + 1] == "**") {
        ++pi;
      }
      if (pi + 1 == p.size()) {
        return true;
      }
      for (size_t k = si; k <= s.size(); ++k) {
        if (match_parts(p, pi + 1, s, k)) {
          return true;
        }
      }
      return false;
    }
    if (si >= s.size() || !match_component(p[pi], s[si])) {
      return false;
    }
    ++pi;
    ++si;
  }
  return si == s.size();
}

} // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  return match_parts(split(pattern, '/'), 0, split(path, '/'), 0);
}

} // namespace crashpilot::util
