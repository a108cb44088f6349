// SPDX-License-Identifier: MIT
#include <gelf.h>
#include <symbolize/symbol_table.hpp>

#include <algorithm>
#include <string_view>

namespace crashpilot::symbolize {

namespace {

int rank_of(const GElf_Sym& sym) {
  switch (GELF_ST_BIND(sym.st_info)) {
  case STB_GLOBAL:
    return 3;
  case STB_WEAK:
    return 2;
  case STB_GNU_UNIQUE:
    return 1;
  default:
    return 0;
  }
}

} // namespace

SymbolTable SymbolTable::read(Dwfl_Module* mod) {
  std::vector<Symbol> symbols;
  int count = dwfl_module_getsymtab(mod);
  for (int i = 1; i < count; ++i) {
    GElf_Sym sym;
    GElf_Addr addr = 0;
    GElf_Word shndx = 0;
    const char* name = dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, nullptr, nullptr);
    int type = GELF_ST_TYPE(sym.st_info);
    if (name == nullptr || name[0] == '\0' || shndx == SHN_UNDEF ||
        (type != STT_FUNC && type != STT_GNU_IFUNC && !(type == STT_NOTYPE && sym.st_size == 0))) {
      continue;
    }
    symbols.push_back({addr, sym.st_size, name, rank_of(sym)});
  }
  return of(std::move(symbols));
}

SymbolTable SymbolTable::of(std::vector<Symbol> symbols) {
  SymbolTable table;
  table.m_symbols = std::move(symbols);
  std::sort(table.m_symbols.begin(), table.m_symbols.end(), [](const Symbol& a, const Symbol& b) {
    if (a.start != b.start) {
      return a.start < b.start;
    }
    if ((a.size == 0) != (b.size == 0)) {
      return a.size != 0; // a sized symbol over a label at the same address
    }
    if (a.rank != b.rank) {
      return a.rank > b.rank;
    }
    // Local aliases of one glibc function (clone3, __clone3, __GI___clone3): the plainest name, and
    // always the same one.
    std::string_view x(a.name);
    std::string_view y(b.name);
    size_t ux = x.find_first_not_of('_');
    size_t uy = y.find_first_not_of('_');
    if (ux != uy) {
      return ux < uy;
    }
    return x.size() != y.size() ? x.size() < y.size() : x < y;
  });
  return table;
}

const SymbolTable::Symbol* SymbolTable::find(Dwarf_Addr addr) const {
  auto it = std::upper_bound(m_symbols.begin(), m_symbols.end(), addr,
                             [](Dwarf_Addr a, const Symbol& s) { return a < s.start; });
  // Walk down from the last symbol at or below addr. The first sized symbol seen either contains
  // addr or ends below it; a label is taken only when no sized symbol ends between it and addr.
  const Symbol* label = nullptr;
  constexpr int k_max_steps = 64; // aliases and nested labels; a real table never needs more
  for (int steps = 0; it != m_symbols.begin() && steps < k_max_steps; ++steps) {
    --it;
    if (it->size == 0) {
      // Walking down, aliases at one address come worst rank first: the last one wins.
      if (label == nullptr || it->start == label->start) {
        label = &*it;
      }
      continue;
    }
    if (addr < it->start + it->size) {
      // Among aliases at this start the sort put the best rank first.
      while (it != m_symbols.begin() && std::prev(it)->start == it->start &&
             std::prev(it)->size != 0) {
        --it;
      }
      return &*it;
    }
    return label != nullptr && label->start >= it->start + it->size ? label : nullptr;
  }
  return label;
}

} // namespace crashpilot::symbolize
