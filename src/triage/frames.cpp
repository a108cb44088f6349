// SPDX-License-Identifier: MIT
#include <triage/frames.hpp>

#include <model/symbol.hpp>
#include <util/string.hpp>

#include <fmt/format.h>

namespace crashpilot::triage {

namespace {

std::string strip_balanced(std::string_view s, char open, char close) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    // Keep operator<, operator<<, operator<=> and operator-> intact.
    if ((c == open || c == close) && depth == 0 && i >= 8 && s.substr(0, i).ends_with("operator")) {
      out += c;
      continue;
    }
    if ((c == '<' || c == '>') && i > 0 && s[i - 1] == c && depth == 0 && s.substr(0, i - 1).ends_with("operator")) {
      out += c;
      continue;
    }
    if (c == '>' && i > 0 && s[i - 1] == '-' && depth == 0) {
      out += c; // operator->
      continue;
    }
    if (c == open) {
      ++depth;
    } else if (c == close && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

} // namespace

std::string normalize_function(std::string_view f) {
  std::string s(util::trim(f));
  for (std::string_view prefix : {"non-virtual thunk to ", "virtual thunk to ", "covariant return thunk to ",
                                  "construction vtable for ", "[inline] ", "[Inline Frame] "}) {
    if (s.starts_with(prefix)) {
      s.erase(0, prefix.size());
    }
  }
  s = model::undecorate_msvc(s);
  s = util::replace_all(s, "(anonymous namespace)::", "");
  s = util::replace_all(s, "`anonymous namespace'::", "");
  s = util::replace_all(s, "[abi:cxx11]", "");
  if (auto pos = s.find(" [clone "); pos != std::string::npos) {
    s.erase(pos);
  }
  // Lambdas: "{lambda(int)#1}" / "<lambda_1>" keep a stable marker.
  s = util::replace_all(s, "{lambda", "<lambda");
  std::string name(model::function_name_part(s));
  name = strip_balanced(name, '<', '>');
  // Drop a return type / calling convention: keep the last space-separated token that holds the name,
  // unless the space belongs to "operator new" and friends.
  if (auto op = name.find("operator"); op != std::string::npos) {
    std::string head = name.substr(0, op);
    if (auto sp = head.find_last_of(' '); sp != std::string::npos) {
      name = name.substr(sp + 1);
    }
  } else if (auto sp = name.find_last_of(' '); sp != std::string::npos) {
    name = name.substr(sp + 1);
  }
  // Stray pointer/reference marks from a return type glued to the name.
  while (!name.empty() && (name.front() == '*' || name.front() == '&')) {
    name.erase(0, 1);
  }
  return std::string(util::trim(name));
}

std::string_view unqualified(std::string_view function) {
  int depth = 0;
  for (size_t i = function.size(); i-- > 0;) {
    char c = function[i];
    if (c == '>' || c == ')') {
      ++depth;
    } else if ((c == '<' || c == '(') && depth > 0) {
      --depth;
    } else if (depth == 0 && c == ':' && i > 0 && function[i - 1] == ':') {
      return function.substr(i + 1);
    }
  }
  return function;
}

std::string shorten_path(std::string_view path, const std::vector<std::string>& root_markers) {
  std::string p = util::replace_all(path, "\\", "/");
  auto parts = util::split(p, '/');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    for (const auto& marker : root_markers) {
      if (util::iequals(parts[i], marker)) {
        std::string out;
        for (size_t j = i; j < parts.size(); ++j) {
          if (parts[j].empty() || parts[j] == ".") {
            continue;
          }
          if (!out.empty()) {
            out += '/';
          }
          out += parts[j];
        }
        return out;
      }
    }
  }
  // No marker: keep up to three trailing components ("ir/function.h" stays whole).
  std::string out;
  size_t kept = 0;
  for (size_t i = parts.size(); i-- > 0 && kept < 3;) {
    if (parts[i].empty() || parts[i] == "." || parts[i] == ".." || parts[i] == "...") {
      break;
    }
    if (parts[i].size() == 2 && parts[i][1] == ':') {
      break; // a drive letter
    }
    out = out.empty() ? std::string(parts[i]) : std::string(parts[i]) + "/" + out;
    ++kept;
  }
  return out;
}

bool is_symbolized(const model::Frame& frame) {
  std::string_view f = util::trim(frame.function);
  return !f.empty() && f != "??" && f != "???" && f != "<null>" && !f.starts_with("0x") &&
         !(f.size() > 5 && f[4] == ':' && util::is_all_hex(f.substr(0, 4)));
}

bool is_helper_frame(const model::Frame& frame, const Rules& rules) {
  if (!frame.module.empty() && rules.skip_modules.matches(frame.module)) {
    return true;
  }
  if (!frame.file.empty() && rules.skip_files.matches(frame.file)) {
    return true;
  }
  if (is_symbolized(frame)) {
    std::string name = normalize_function(frame.function);
    return rules.skip_functions.matches(name) || rules.skip_functions.matches(frame.function);
  }
  return false;
}

std::vector<int> meaningful_frame_indices(const model::Crash& crash, const Rules& rules, int from) {
  std::vector<int> out;
  const auto& frames = crash.crashing_frames();
  for (size_t i = static_cast<size_t>(std::max(from, 0)); i < frames.size(); ++i) {
    if (!is_helper_frame(frames[i], rules)) {
      out.push_back(static_cast<int>(i));
    }
  }
  return out;
}

namespace {

std::string location_of(const model::Frame& f, const Rules& rules) {
  if (f.file.empty() || f.line <= 0) {
    return "";
  }
  return fmt::format("{}:{}", shorten_path(f.file, rules.root_markers), f.line);
}

std::string display_name(const model::Frame& f) {
  if (is_symbolized(f)) {
    return normalize_function(f.function);
  }
  if (!f.module.empty() && f.offset) {
    std::string module = util::replace_all(f.module, "\\", "/");
    return fmt::format("{}+0x{:x}", module.substr(module.find_last_of('/') + 1), *f.offset);
  }
  return "";
}

// The frame of the assertion's own function: same unqualified name, or same file and line.
int find_assertion_frame(const model::Crash& crash, const model::Assertion& a) {
  const auto& frames = crash.crashing_frames();
  std::string normalized = normalize_function(a.function);
  std::string_view want = unqualified(normalized);
  for (size_t i = 0; i < frames.size(); ++i) {
    if (!is_symbolized(frames[i])) {
      continue;
    }
    std::string have = normalize_function(frames[i].function);
    if (!want.empty() && unqualified(have) == want) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

} // namespace

MeaningfulFrame find_meaningful_frame(const model::Crash& crash, const Rules& rules) {
  MeaningfulFrame out;
  const auto& frames = crash.crashing_frames();

  if (crash.assertion && !crash.assertion->function.empty() &&
      !rules.assert_helpers.matches(normalize_function(crash.assertion->function))) {
    const model::Assertion& a = *crash.assertion;
    out.assertion_site = true;
    out.index = find_assertion_frame(crash, a);
    out.function = out.index >= 0 ? normalize_function(frames[static_cast<size_t>(out.index)].function)
                                  : normalize_function(a.function);
    // A frame's qualified name only counts when it agrees with the assertion's (GCC prints "GetMap").
    if (out.index >= 0 && unqualified(out.function) != unqualified(normalize_function(a.function))) {
      out.function = normalize_function(a.function);
    }
    if (!a.file.empty() && a.line > 0) {
      out.location = fmt::format("{}:{}", shorten_path(a.file, rules.root_markers), a.line);
    } else if (out.index >= 0) {
      out.location = location_of(frames[static_cast<size_t>(out.index)], rules);
    }
    return out;
  }

  std::vector<int> candidates = meaningful_frame_indices(crash, rules);
  if (candidates.empty() && crash.assertion && !crash.assertion->file.empty() && crash.assertion->line > 0 &&
      !rules.assert_helpers.matches(normalize_function(crash.assertion->function))) {
    out.location = fmt::format("{}:{}", shorten_path(crash.assertion->file, rules.root_markers), crash.assertion->line);
  }
  // Prefer symbolized frames: an unknown "??" frame above a named one is usually a broken unwind.
  auto symbolized_left = [&](size_t from) {
    for (size_t k = from; k < candidates.size(); ++k) {
      if (is_symbolized(frames[static_cast<size_t>(candidates[k])])) {
        return true;
      }
    }
    return false;
  };
  for (size_t k = 0; k < candidates.size(); ++k) {
    const model::Frame& f = frames[static_cast<size_t>(candidates[k])];
    bool last = k + 1 == candidates.size();
    if (!is_symbolized(f) && f.module.empty() && symbolized_left(k + 1)) {
      continue;
    }
    if (!last && is_symbolized(f) && rules.accessor_functions.matches(normalize_function(f.function))) {
      continue;
    }
    out.index = candidates[k];
    break;
  }
  if (out.index < 0 && !candidates.empty()) {
    out.index = candidates.front();
  }
  if (out.index < 0) {
    // Nothing of the program's own on the fatal stack (raise, abort, runtime frames): the error a
    // checker reported just before it, on the way to the crash, is the best lead the report has.
    for (const auto& t : crash.threads) {
      if (t.role != "previous_error") {
        continue;
      }
      for (const auto& f : t.frames) {
        if (is_symbolized(f) && !is_helper_frame(f, rules)) {
          out.function = display_name(f);
          out.location = location_of(f, rules);
          out.from_previous_error = true;
          return out;
        }
      }
    }
    return out;
  }
  const model::Frame& f = frames[static_cast<size_t>(out.index)];
  out.function = display_name(f);
  out.location = location_of(f, rules);
  // A C assert names file and line but no function: the stack names the function, the assertion the
  // line (the frame usually has none without debug info).
  if (out.location.empty() && crash.assertion && crash.assertion->function.empty() && !crash.assertion->file.empty() &&
      crash.assertion->line > 0) {
    out.location = fmt::format("{}:{}", shorten_path(crash.assertion->file, rules.root_markers), crash.assertion->line);
  }
  // Another report of the same crash (a UBSan runtime error before an ASan report) may name the
  // source site that this stack lacks.
  if (out.location.empty()) {
    for (const auto& t : crash.threads) {
      if (t.role == "site" && !t.frames.empty() && !t.frames.front().file.empty()) {
        out.location = location_of(t.frames.front(), rules);
        break;
      }
    }
  }
  return out;
}

} // namespace crashpilot::triage
