// SPDX-License-Identifier: MIT
#pragma once

// Finding the DWARF that holds a pc without walking more of it than needed: the CU from
// .debug_aranges (or, for binaries without that section, a per-module table of CU ranges built
// once), then the out-of-line function from a per-CU table of function ranges built on the first
// visit, so later pcs in the same CU cost a binary search.

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace crashpilot::symbolize {

class DwarfIndex {
public:
  // The CU DIE holding runtime address `pc` in `mod`, and the module's bias (DWARF address = pc -
  // bias). False when the module has no DWARF for it.
  bool cu_for(Dwfl_Module* mod, Dwarf_Addr pc, Dwarf_Die* cu, Dwarf_Addr* bias);
  // The out-of-line function (DW_TAG_subprogram with code) of `cu` holding DWARF address `addr`.
  bool function_for(Dwarf_Die* cu, Dwarf_Addr addr, Dwarf_Die* function);
  // A file of the CU's line table by index (DW_AT_call_file); "" when out of range.
  std::string file_name(Dwarf_Die* cu, Dwarf_Word index);

private:
  struct Range {
    Dwarf_Addr low = 0, high = 0; // [low, high)
    Dwarf_Off die = 0;
  };
  struct CuData {
    bool ranges_read = false;
    std::vector<Range> ranges; // the CU's own, sorted by low
    bool functions_read = false;
    std::vector<Range> functions; // sorted by low
    bool deep = false;            // classes and function bodies were searched too
    bool files_read = false;
    Dwarf_Files* files = nullptr;
    size_t nfiles = 0;
  };
  CuData& cu_data(Dwarf_Die* cu);
  bool cu_contains(Dwarf_Die* cu, Dwarf_Addr addr);
  const std::vector<Range>& functions(Dwarf_Die* cu, bool deep);
  static bool find(const std::vector<Range>& ranges, Dwarf_Addr addr, Dwarf_Off* die);

  std::map<std::pair<Dwarf*, Dwarf_Off>, CuData> m_cus;
  std::map<Dwfl_Module*, std::vector<Range>> m_module_cus; // modules without .debug_aranges
};

} // namespace crashpilot::symbolize
