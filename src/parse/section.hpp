// SPDX-License-Identifier: MIT
#pragma once

// Internal to the parse stage: what one format parser found in a Document. A report text can hold
// several sections (an assertion block, then a gdb backtrace of the same crash); merge.cpp joins the
// sections of one crash into one model::Crash.

#include <model/crash.hpp>
#include <parse/document.hpp>

#include <string>
#include <vector>

namespace crashpilot::parse {

// Which part of a crash a section describes. Two sections with the same role cannot belong to the
// same crash (two assertion blocks are two crashes); sections with different roles can.
enum class Role {
  header,    // exception code, signal banner, fault address: facts without a stack
  assertion, // an assertion / abort / freeze-detector message
  stack,     // one or more thread stacks
  report,    // a complete report that carries its own header and stack (Wheaty, ASan, Valgrind)
};

struct Section {
  std::string format; // "wheaty", "gdb", "asan", "tc-assert", ...
  Role role = Role::stack;
  size_t first = 0; // index of the first and last Document line it covers
  size_t last = 0;
  model::Crash crash; // the facts this section carries (kind, code, assertion, threads, problems)
};

using Sections = std::vector<Section>;

// Caps every format parser applies (then adds the "truncated" problem): a hostile or runaway input
// cannot make a crash hold unbounded stacks.
inline constexpr size_t k_max_frames = 1024;  // per thread
inline constexpr size_t k_max_threads = 4096; // per report

// Each format parser reads the whole Document and appends a Section for every block it recognizes.
// It must be total: any input, however damaged, gives sections or nothing, never an exception or
// unbounded work (it may cap frames and threads, then add the "truncated" problem).
void parse_wheaty(const Document& doc, Sections& out);          // WheatyExceptionReport .txt
void parse_windows_stack(const Document& doc, Sections& out);   // exe!Func() Line N, StackWalker, ACE
void parse_gdb(const Document& doc, Sections& out);             // bt, bt full, thread apply all bt
void parse_glibc_backtrace(const Document& doc, Sections& out); // backtrace_symbols()
void parse_sanitizer(const Document& doc, Sections& out);       // ASan, UBSan, TSan, LSan
void parse_valgrind(const Document& doc, Sections& out);        // memcheck
void parse_assertion(const Document& doc, Sections& out);       // TC / AC / MaNGOS / C / MSVC CRT
void parse_freeze(const Document& doc, Sections& out);          // freeze and deadlock detectors

} // namespace crashpilot::parse
