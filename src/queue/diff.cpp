// SPDX-License-Identifier: MIT
#include <util/string.hpp>

#include <fmt/format.h>
#include <queue/diff.hpp>

namespace crashpilot::queue {

namespace {

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// "a/src/x.cpp\t2024-01-01 ..." -> "src/x.cpp"; "/dev/null" -> "".
std::string header_path(std::string_view s, char side) {
  s = s.substr(0, s.find('\t'));
  s = util::trim_right(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    s = s.substr(1, s.size() - 2);
  }
  if (s == "/dev/null") {
    return "";
  }
  if (s.size() > 2 && s[0] == side && s[1] == '/') {
    s.remove_prefix(2);
  }
  return std::string(s);
}

// "@@ -l,s +l,s @@" -> old and new line counts (a count omitted means 1) and start lines.
bool hunk_counts(std::string_view line, int64_t& old_count, int64_t& new_count,
                 int64_t* old_start = nullptr, int64_t* new_start = nullptr) {
  auto count_after = [&](char sign, int64_t& out, int64_t* start) {
    size_t p = line.find(sign, 2);
    if (p == std::string_view::npos) {
      return false;
    }
    size_t end = line.find_first_of(" @", p);
    std::string_view range = line.substr(p + 1, end - p - 1);
    size_t comma = range.find(',');
    auto first = util::parse_int(range.substr(0, comma));
    if (start != nullptr && first) {
      *start = *first;
    }
    if (comma == std::string_view::npos) {
      out = 1;
      return first.has_value();
    }
    auto n = util::parse_int(range.substr(comma + 1));
    out = n ? *n : -1;
    return n.has_value() && first.has_value();
  };
  return count_after('-', old_count, old_start) && count_after('+', new_count, new_start);
}

// The walk behind summarize_diff and diff_hunks; `detail` (when given) gets every hunk line.
DiffSummary walk_diff(std::string_view diff, DiffHunks* detail) {
  DiffSummary out;
  std::vector<std::string_view> lines = util::split(diff, '\n');
  DiffFile* cur = nullptr;
  auto start_file = [&]() -> DiffFile* {
    out.files.emplace_back();
    if (detail != nullptr) {
      detail->files.emplace_back();
    }
    return &out.files.back();
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (starts_with(line, "diff --git ")) {
      cur = start_file();
      std::string_view rest = line.substr(11);
      size_t b = rest.find(" b/");
      if (b != std::string_view::npos) {
        cur->old_path = header_path(rest.substr(0, b), 'a');
        cur->new_path = header_path(rest.substr(b + 1), 'b');
      }
    } else if (starts_with(line, "--- ") && i + 1 < lines.size() &&
               starts_with(lines[i + 1], "+++ ")) {
      if (cur == nullptr || (!cur->old_path.empty() && cur->added + cur->removed > 0)) {
        cur = start_file(); // a plain `diff -u` section without a "diff --git" line
      }
      cur->old_path = header_path(line.substr(4), 'a');
      cur->new_path = header_path(lines[i + 1].substr(4), 'b');
      ++i;
    } else if (detail != nullptr && cur != nullptr && starts_with(line, "deleted file mode ")) {
      detail->files.back().deleted = true;
    } else if (detail != nullptr && cur != nullptr && starts_with(line, "new file mode ")) {
      detail->files.back().created = true;
    } else if (starts_with(line, "old mode ") || starts_with(line, "new mode ")) {
      if (cur != nullptr) {
        cur->mode_change = true;
      }
    } else if (starts_with(line, "GIT binary patch") ||
               (starts_with(line, "Binary files ") && cur != nullptr)) {
      if (cur != nullptr) {
        cur->binary = true;
      }
    } else if (starts_with(line, "@@ ")) {
      int64_t old_left = 0;
      int64_t new_left = 0;
      int64_t old_no = 0;
      int64_t new_no = 0;
      if (cur == nullptr || !hunk_counts(line, old_left, new_left, &old_no, &new_no)) {
        out.problems.push_back(
            fmt::format("malformed hunk header at line {}: {}", i + 1, line.substr(0, 80)));
        continue;
      }
      DiffHunk* hunk = nullptr;
      if (detail != nullptr) {
        hunk = &detail->files.back().hunks.emplace_back();
        hunk->old_start = old_no;
        hunk->new_start = new_no;
      }
      while ((old_left > 0 || new_left > 0) && i + 1 < lines.size()) {
        std::string_view h = lines[++i];
        char c = h.empty() ? ' ' : h[0];
        if (hunk != nullptr && c != '\\') {
          std::string_view text = h.empty() ? h : h.substr(1);
          if (!text.empty() && text.back() == '\r') {
            text.remove_suffix(1);
          }
          DiffLine& l = hunk->lines.emplace_back();
          l.kind = c == '+' || c == '-' ? c : ' ';
          l.old_line = c == '+' ? 0 : old_no++;
          l.new_line = c == '-' ? 0 : new_no++;
          l.text = text;
        }
        if (c == '+') {
          ++cur->added;
          --new_left;
        } else if (c == '-') {
          ++cur->removed;
          --old_left;
        } else if (c == '\\') {
          // "\ No newline at end of file"
        } else {
          --old_left;
          --new_left;
        }
      }
      if (old_left > 0 || new_left > 0) {
        out.problems.push_back(
            fmt::format("hunk ending at line {} is shorter than its header says", i + 1));
      }
    }
  }
  for (const auto& f : out.files) {
    out.added += f.added;
    out.removed += f.removed;
  }
  return out;
}

} // namespace

DiffSummary summarize_diff(std::string_view diff) {
  return walk_diff(diff, nullptr);
}

DiffHunks diff_hunks(std::string_view diff) {
  DiffHunks out;
  DiffSummary s = walk_diff(diff, &out);
  for (size_t i = 0; i < out.files.size() && i < s.files.size(); ++i) {
    out.files[i].file = s.files[i];
    out.files[i].created |= s.files[i].old_path.empty() && !s.files[i].new_path.empty();
    out.files[i].deleted |= s.files[i].new_path.empty() && !s.files[i].old_path.empty();
  }
  out.problems = std::move(s.problems);
  return out;
}

} // namespace crashpilot::queue
