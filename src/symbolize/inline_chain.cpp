// SPDX-License-Identifier: MIT
#include <dwarf.h>
#include <symbolize/demangle.hpp>
#include <symbolize/inline_chain.hpp>

namespace crashpilot::symbolize {

namespace {

constexpr int k_max_depth = 64;

// Scopes that hold code and may hold inlined calls.
bool is_code_scope(int tag) {
  return tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block ||
         tag == DW_TAG_try_block || tag == DW_TAG_catch_block;
}

int udata(Dwarf_Die* die, unsigned name, Dwarf_Word* value) {
  Dwarf_Attribute attr;
  return dwarf_attr(die, name, &attr) != nullptr ? dwarf_formudata(&attr, value) : -1;
}

} // namespace

std::vector<Dwarf_Die> inline_chain(Dwarf_Die* function, Dwarf_Addr addr) {
  std::vector<Dwarf_Die> chain;
  Dwarf_Die scope = *function;
  for (int depth = 0; depth < k_max_depth; ++depth) {
    Dwarf_Die child;
    if (dwarf_child(&scope, &child) != 0) {
      break;
    }
    bool entered = false;
    do {
      int tag = dwarf_tag(&child);
      if (is_code_scope(tag) && dwarf_haspc(&child, addr) == 1) {
        if (tag == DW_TAG_inlined_subroutine) {
          chain.push_back(child);
        }
        scope = child;
        entered = true;
        break;
      }
    } while (dwarf_siblingof(&child, &child) == 0);
    if (!entered) {
      break;
    }
  }
  return chain;
}

std::string die_function_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  // dwarf_attr_integrate follows abstract_origin and specification chains.
  if (dwarf_attr_integrate(die, DW_AT_linkage_name, &attr) != nullptr ||
      dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr) != nullptr) {
    if (const char* s = dwarf_formstring(&attr); s != nullptr) {
      return demangle(s);
    }
  }
  if (dwarf_attr_integrate(die, DW_AT_name, &attr) != nullptr) {
    if (const char* s = dwarf_formstring(&attr); s != nullptr) {
      return s;
    }
  }
  return {};
}

CallSite call_site(Dwarf_Die* inlined) {
  CallSite cs;
  Dwarf_Word v = 0;
  if (udata(inlined, DW_AT_call_file, &v) == 0) {
    cs.has_file = true;
    cs.file = v;
  }
  if (udata(inlined, DW_AT_call_line, &v) == 0) {
    cs.line = static_cast<int>(v);
  }
  if (udata(inlined, DW_AT_call_column, &v) == 0) {
    cs.column = static_cast<int>(v);
  }
  return cs;
}

} // namespace crashpilot::symbolize
