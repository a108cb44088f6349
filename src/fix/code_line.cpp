// SPDX-License-Identifier: MIT
#include <util/string.hpp>

#include <fix/code_line.hpp>

#include <algorithm>

namespace crashpilot::fix {

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

CodeLine split_code(std::string_view line, bool& in_block, Lang lang) {
  CodeLine out;
  std::string comment;
  size_t i = 0;
  auto add_comment = [&](std::string_view text) {
    if (!comment.empty()) {
      comment += ' ';
    }
    comment += text;
  };
  while (i < line.size()) {
    if (in_block) {
      size_t end = line.find("*/", i);
      add_comment(line.substr(i, end == std::string_view::npos ? end : end - i));
      if (end == std::string_view::npos) {
        i = line.size();
        break;
      }
      in_block = false;
      i = end + 2;
      out.code += ' ';
      out.text += ' ';
      continue;
    }
    char c = line[i];
    if (lang == Lang::cmake) {
      if (c == '#') {
        add_comment(line.substr(i + 1));
        break;
      }
    } else if (c == '/' && i + 1 < line.size() && line[i + 1] == '/') {
      add_comment(line.substr(i + 2));
      break;
    } else if (c == '/' && i + 1 < line.size() && line[i + 1] == '*') {
      in_block = true;
      i += 2;
      continue;
    }
    // A quote after an identifier is a literal only after an encoding or raw prefix (u8"",
    // L'x', R"(...)"); otherwise it is a digit separator (1'000).
    size_t k = i;
    while (k > 0 && is_ident_char(line[k - 1])) {
      --k;
    }
    std::string_view prefix = line.substr(k, i - k);
    bool quote =
        (c == '"' || c == '\'') &&
        (prefix.empty() || prefix == "L" || prefix == "u" || prefix == "U" || prefix == "u8" ||
         (c == '"' && (prefix == "R" || prefix == "LR" || prefix == "uR" || prefix == "UR" ||
                       prefix == "u8R")));
    if (lang == Lang::cpp && quote) {
      size_t literal_start = i;
      auto keep_literal = [&](size_t end) {
        out.text += line.substr(literal_start, std::min(end, line.size()) - literal_start);
      };
      bool raw = c == '"' && !prefix.empty() && prefix.back() == 'R';
      out.code += c;
      size_t j = i + 1;
      if (raw) {
        size_t open = line.find('(', j);
        if (open == std::string_view::npos) {
          keep_literal(line.size());
          break;
        }
        std::string close = ")" + std::string(line.substr(j, open - j)) + "\"";
        size_t end = line.find(close, open);
        if (end == std::string_view::npos) {
          keep_literal(line.size());
          break; // a raw string running past the line: the rest is literal
        }
        out.code += '"';
        keep_literal(end + close.size());
        i = end + close.size();
        continue;
      }
      while (j < line.size() && line[j] != c) {
        j += line[j] == '\\' ? size_t{2} : size_t{1};
      }
      if (j < line.size()) {
        out.code += c;
      }
      keep_literal(j + 1);
      i = j + 1;
      continue;
    }
    out.code += c;
    out.text += c;
    ++i;
  }
  out.comment = std::string(util::trim(comment));
  return out;
}

size_t find_call(std::string_view code, std::string_view name, size_t from) {
  while (from < code.size()) {
    size_t p = code.find(name, from);
    if (p == std::string_view::npos) {
      return p;
    }
    from = p + 1;
    if (p > 0 && is_ident_char(code[p - 1])) {
      continue;
    }
    size_t q = p + name.size();
    if (q < code.size() && is_ident_char(code[q])) {
      continue;
    }
    while (q < code.size() && (code[q] == ' ' || code[q] == '\t')) {
      ++q;
    }
    if (q < code.size() && code[q] == '(') {
      return q;
    }
  }
  return std::string_view::npos;
}

std::optional<std::string_view> paren_contents(std::string_view code, size_t open) {
  int depth = 0;
  for (size_t i = open; i < code.size(); ++i) {
    if (code[i] == '(') {
      ++depth;
    } else if (code[i] == ')' && --depth == 0) {
      return code.substr(open + 1, i - open - 1);
    }
  }
  return std::nullopt;
}

std::string squeeze(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      out += c;
    }
  }
  return out;
}

std::vector<std::string_view> split_top(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    } else if (depth == 0 && s.substr(i, sep.size()) == sep) {
      out.push_back(util::trim(s.substr(start, i - start)));
      i += sep.size() - 1;
      start = i + 1;
    }
  }
  out.push_back(util::trim(s.substr(start)));
  return out;
}

std::string_view strip_parens(std::string_view s) {
  s = util::trim(s);
  while (s.size() >= 2 && s.front() == '(') {
    auto inner = paren_contents(s, 0);
    if (!inner || inner->size() != s.size() - 2) {
      break; // "(a) && (b)": the first ')' does not close the whole
    }
    s = util::trim(*inner);
  }
  return s;
}

std::vector<std::string> identifiers(std::string_view code) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < code.size()) {
    if (is_ident_char(code[i]) && !(code[i] >= '0' && code[i] <= '9')) {
      size_t j = i;
      while (j < code.size() && is_ident_char(code[j])) {
        ++j;
      }
      out.emplace_back(code.substr(i, j - i));
      i = j;
    } else if (code[i] >= '0' && code[i] <= '9') {
      while (i < code.size() && is_ident_char(code[i])) {
        ++i; // 0x1F, 10u: not identifiers
      }
    } else {
      ++i;
    }
  }
  return out;
}

} // namespace crashpilot::fix
