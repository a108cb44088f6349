// SPDX-License-Identifier: MIT
#pragma once

// A module's function symbols sorted by address, for the name of the out-of-line function at a pc.
// Why not dwfl_module_addrinfo per frame: in elfutils 0.188 each call walks the section headers to
// match sections (about 0.3 ms per lookup on a 300 MB server), which adds up over hundreds of
// distinct pcs in a large process; a lookup here is a binary search.

#include <elfutils/libdwfl.h>

#include <string_view>
#include <vector>

namespace crashpilot::symbolize {

class SymbolTable {
public:
  struct Symbol {
    Dwarf_Addr start = 0; // run-time address
    Dwarf_Addr size = 0;  // 0: a label without size (assembly)
    const char* name = nullptr;
    int rank = 0; // binding: global over weak over local, for aliases at one address
  };

  // Reads the function symbols of `mod` (.symtab, else .dynsym, from the file or its debug file).
  static SymbolTable read(Dwfl_Module* mod);
  // A table of the given symbols (any order).
  static SymbolTable of(std::vector<Symbol> symbols);

  // The function holding run-time address `addr`: the sized symbol that contains it, else the
  // closest label below it with no sized symbol in between; nullptr when none.
  const Symbol* find(Dwarf_Addr addr) const;

private:
  std::vector<Symbol> m_symbols; // by start, sized first, then best rank, then plainest name
};

} // namespace crashpilot::symbolize
