// SPDX-License-Identifier: MIT
#pragma once

// The inline frames at a pc: one pruned descent from the out-of-line function's DIE, entering only
// the DIEs whose ranges hold the pc (dwarf_haspc), never the whole-CU walk of dwarf_getscopes_die.

#include <elfutils/libdw.h>

#include <string>
#include <vector>

namespace crashpilot::symbolize {

// The DW_TAG_inlined_subroutine DIEs inside `function` that hold DWARF address `addr`, outermost
// first (the last one is where the pc is).
std::vector<Dwarf_Die> inline_chain(Dwarf_Die* function, Dwarf_Addr addr);

// A function's name from its DIE: the linkage name (following DW_AT_abstract_origin and
// DW_AT_specification to the declaration that carries it) demangled, so inlined members come out
// qualified ("game::Unit::GetHealth() const"); else DW_AT_name; "" when it has neither.
std::string die_function_name(Dwarf_Die* die);

// Where an inlined subroutine was called from (DW_AT_call_file/line/column).
struct CallSite {
  bool has_file = false;
  Dwarf_Word file = 0; // index into the CU's file table
  int line = 0;
  int column = 0;
};
CallSite call_site(Dwarf_Die* inlined);

} // namespace crashpilot::symbolize
