// SPDX-License-Identifier: MIT
#include <dwarf.h>
#include <symbolize/dwarf_index.hpp>

#include <algorithm>

namespace crashpilot::symbolize {

namespace {

constexpr int k_max_depth = 32; // namespaces in classes in namespaces...

template <typename Range>
void add_ranges(Dwarf_Die* die, std::vector<Range>& out) {
  Dwarf_Addr base = 0;
  Dwarf_Addr low = 0;
  Dwarf_Addr high = 0;
  for (ptrdiff_t off = 0; (off = dwarf_ranges(die, off, &base, &low, &high)) > 0;) {
    if (high > low) {
      out.push_back({low, high, dwarf_dieoffset(die)});
    }
  }
}

// Function definitions sit at the CU's top level or inside namespaces (GCC and clang put member
// function definitions there, with DW_AT_specification pointing into the class). Only the deep
// pass, run when the shallow one found nothing, also enters classes and function bodies (local
// classes, nested functions): a CU's classes hold thousands of declarations that have no code.
template <typename Range>
void collect_functions(Dwarf_Die* parent, std::vector<Range>& out, bool deep, int depth) {
  Dwarf_Die child;
  if (depth > k_max_depth || dwarf_child(parent, &child) != 0) {
    return;
  }
  do {
    switch (dwarf_tag(&child)) {
    case DW_TAG_subprogram:
      add_ranges(&child, out);
      if (deep) {
        collect_functions(&child, out, deep, depth + 1);
      }
      break;
    case DW_TAG_namespace:
      collect_functions(&child, out, deep, depth + 1);
      break;
    case DW_TAG_class_type:
    case DW_TAG_structure_type:
    case DW_TAG_union_type:
    case DW_TAG_lexical_block:
      if (deep) {
        collect_functions(&child, out, deep, depth + 1);
      }
      break;
    default:
      break;
    }
  } while (dwarf_siblingof(&child, &child) == 0);
}

} // namespace

bool DwarfIndex::find(const std::vector<Range>& ranges, Dwarf_Addr addr, Dwarf_Off* die) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), addr,
                             [](Dwarf_Addr a, const Range& r) { return a < r.low; });
  if (it != ranges.begin() && addr < std::prev(it)->high) {
    *die = std::prev(it)->die;
    return true;
  }
  // Ranges overlap only in odd DWARF (a nested function inside its parent's range): look at all.
  for (auto r = ranges.rbegin(); r != ranges.rend(); ++r) {
    if (r->low <= addr && addr < r->high) {
      *die = r->die;
      return true;
    }
  }
  return false;
}

bool DwarfIndex::cu_for(Dwfl_Module* mod, Dwarf_Addr pc, Dwarf_Die* cu, Dwarf_Addr* bias) {
  if (Dwarf_Die* d = dwfl_module_addrdie(mod, pc, bias); d != nullptr) {
    // libdwfl treats .debug_aranges as gapless and returns the CU below any address in a gap
    // (_start after main's CU), so the CU's own ranges decide.
    *cu = *d;
    return cu_contains(cu, pc - *bias);
  }
  Dwarf* dw = dwfl_module_getdwarf(mod, bias);
  if (dw == nullptr) {
    return false;
  }
  auto [it, fresh] = m_module_cus.try_emplace(mod);
  if (fresh) {
    // Only binaries without .debug_aranges (clang's default) need this; with the section a miss
    // means code without DWARF (crt files, assembly), and walking every CU would not help.
    Dwarf_Aranges* aranges = nullptr;
    size_t naranges = 0;
    if (dwarf_getaranges(dw, &aranges, &naranges) != 0 || naranges == 0) {
      Dwarf_CU* unit = nullptr;
      Dwarf_CU* next = nullptr;
      Dwarf_Half version = 0;
      uint8_t unit_type = 0;
      Dwarf_Die cudie;
      for (; dwarf_get_units(dw, unit, &next, &version, &unit_type, &cudie, nullptr) == 0;
           unit = next) {
        if (unit_type == DW_UT_compile || unit_type == DW_UT_skeleton) {
          add_ranges(&cudie, it->second);
        }
      }
      std::sort(it->second.begin(), it->second.end(),
                [](const Range& a, const Range& b) { return a.low < b.low; });
    }
  }
  Dwarf_Off off = 0;
  return find(it->second, pc - *bias, &off) && dwarf_offdie(dw, off, cu) != nullptr;
}

DwarfIndex::CuData& DwarfIndex::cu_data(Dwarf_Die* cu) {
  return m_cus[{dwarf_cu_getdwarf(cu->cu), dwarf_dieoffset(cu)}];
}

bool DwarfIndex::cu_contains(Dwarf_Die* cu, Dwarf_Addr addr) {
  CuData& data = cu_data(cu);
  if (!data.ranges_read) {
    data.ranges_read = true;
    add_ranges(cu, data.ranges);
    std::sort(data.ranges.begin(), data.ranges.end(),
              [](const Range& a, const Range& b) { return a.low < b.low; });
  }
  Dwarf_Off off = 0;
  return find(data.ranges, addr, &off);
}

const std::vector<DwarfIndex::Range>& DwarfIndex::functions(Dwarf_Die* cu, bool deep) {
  CuData& data = cu_data(cu);
  if (!data.functions_read || (deep && !data.deep)) {
    data.functions.clear();
    collect_functions(cu, data.functions, deep, 0);
    std::sort(data.functions.begin(), data.functions.end(),
              [](const Range& a, const Range& b) { return a.low < b.low; });
    data.functions_read = true;
    data.deep = deep;
  }
  return data.functions;
}

bool DwarfIndex::function_for(Dwarf_Die* cu, Dwarf_Addr addr, Dwarf_Die* function) {
  Dwarf_Off off = 0;
  bool found = find(functions(cu, false), addr, &off);
  if (!found && !cu_data(cu).deep) {
    found = find(functions(cu, true), addr, &off);
  }
  return found && dwarf_offdie(dwarf_cu_getdwarf(cu->cu), off, function) != nullptr;
}

std::string DwarfIndex::file_name(Dwarf_Die* cu, Dwarf_Word index) {
  CuData& data = cu_data(cu);
  if (!data.files_read) {
    data.files_read = true;
    if (dwarf_getsrcfiles(cu, &data.files, &data.nfiles) != 0) {
      data.files = nullptr;
      data.nfiles = 0;
    }
  }
  if (data.files == nullptr || index >= data.nfiles) {
    return {};
  }
  const char* name = dwarf_filesrc(data.files, index, nullptr, nullptr);
  return name != nullptr ? name : "";
}

} // namespace crashpilot::symbolize
