// SPDX-License-Identifier: MIT
#pragma once

// The anti-mask gate's insides (mask_gate.hpp is its interface): a diff read into hunks of lines
// with code and comments apart, the helpers the rules share, and one check per rule family, each in
// its own file (mask_handlers, mask_asserts, mask_returns, mask_tests).

#include <util/string.hpp>

#include <fix/code_line.hpp>
#include <fix/mask_gate.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::fix::mask {

inline constexpr size_t k_max_text = 200;
// How far a construct (an `if` and its body, a catch body, a split assert) is followed.
inline constexpr size_t k_max_construct_lines = 6;
inline constexpr size_t k_max_catch_body_lines = 40;

// One hunk line with its code and comment split apart.
struct Line {
  char kind = ' ';
  int64_t old_line = 0;
  int64_t new_line = 0;
  std::string_view raw;
  std::string code;
  std::string comment;
  std::string text; // code with literals kept
  bool blank() const { return util::trim(code).empty() && comment.empty(); }
  bool added() const { return kind == '+'; }
  bool removed() const { return kind == '-'; }
  bool in_new() const { return kind != '-'; }
  int64_t line() const { return kind == '-' ? old_line : new_line; }
};

struct Hunk {
  int64_t old_start = 0;
  int64_t old_count = 0;
  int64_t new_count = 0;
  std::vector<Line> lines;
};

struct File {
  std::string path; // the new path, or the old one for a deletion
  std::string old_path;
  bool deleted = false;
  bool is_test = false;
  Lang lang = Lang::cpp;
  std::vector<Hunk> hunks;
};

// A diff line for a finding: trimmed, cut at k_max_text characters.
std::string shorten(std::string_view s);
bool ends_with(std::string_view s, std::string_view suffix);
// A finding on line `l` of `f` (its new-file line, or its old-file line for a removal).
MaskFinding finding(std::string rule, const File& f, const Line& l, std::string why);
// A statement that stops the program (or throws): what an assert turned into an `if` must keep.
bool stops(std::string_view code, const GateContext& ctx);
// The new-side text from line `index` on: the line and up to `max` following new-side lines.
std::string new_side_text(const Hunk& h, size_t index, size_t max, size_t from_col = 0);
// The body of a block statement starting at the first '{' of `text` (or the single statement up
// to the first ';' when there is no brace); nullopt when it does not end within `text`.
std::optional<std::string> body_of(std::string_view text);
// A logging call: TC_LOG_ERROR(...), LOG_WARN(...), sLog->..., spdlog, std::cerr, printf, ...
bool is_log_statement(std::string_view stmt);
// Statements of a body that only exits: `return ...;`, `continue;`, `break;`, optionally after
// logging calls. `logs` says whether it logs.
bool exit_only(std::string_view body, bool& logs);
// The new-side line before `index` in the hunk, or nullptr.
const Line* line_above(const Hunk& h, size_t index);

// The rules; each appends its findings to `out`.
void check_signal_handlers(const File& f, std::vector<MaskFinding>& out);
void check_catches(const File& f, const GateContext& ctx, std::vector<MaskFinding>& out);
void check_asserts(const File& f, const GateContext& ctx, std::vector<MaskFinding>& out);
void check_assert_disabling(const File& f, const GateContext& ctx, std::vector<MaskFinding>& out);
void check_early_returns(const File& f, const GateContext& ctx, std::vector<MaskFinding>& out);
void check_tests(const File& f, const GateContext& ctx, std::vector<MaskFinding>& out);

} // namespace crashpilot::fix::mask
