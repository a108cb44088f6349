// SPDX-License-Identifier: MIT
#include <gelf.h>
#include <symbolize/demangle.hpp>
#include <symbolize/inline_chain.hpp>
#include <symbolize/session_state.hpp>
#include <symbolize/symbolizer.hpp>

#include <string_view>

namespace crashpilot::symbolize {

namespace {

struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

Location line_at(Dwarf_Die* cu, Dwarf_Addr addr) {
  Location loc;
  Dwarf_Line* line = dwarf_getsrc_die(cu, addr);
  if (line == nullptr) {
    return loc;
  }
  if (const char* file = dwarf_linesrc(line, nullptr, nullptr); file != nullptr) {
    loc.file = file;
  }
  dwarf_lineno(line, &loc.line);
  dwarf_linecol(line, &loc.column);
  return loc;
}

} // namespace

std::string module_display_name(const char* name) {
  std::string_view n = name != nullptr ? name : "";
  if (n.starts_with("[vdso")) {
    return "[vdso]";
  }
  size_t slash = n.rfind('/');
  return std::string(slash == std::string_view::npos ? n : n.substr(slash + 1));
}

const std::vector<model::Frame>& Symbolizer::frames(Dwfl* dwfl, const RawFrame& frame) {
  Key key{frame.pc, frame.activation};
  auto it = m_cache.find(key);
  if (it == m_cache.end()) {
    it = m_cache.emplace(key, build(dwfl, frame)).first;
  }
  return it->second;
}

std::vector<model::Frame> Symbolizer::build(Dwfl* dwfl, const RawFrame& frame) {
  // A return address points after the call; the call itself (and its inline context and line) is
  // at pc - 1.
  Dwarf_Addr lookup = frame.activation || frame.pc == 0 ? frame.pc : frame.pc - 1;
  model::Frame outer;
  outer.address = frame.pc;
  Dwfl_Module* mod = dwfl_addrmodule(dwfl, lookup);
  if (mod == nullptr) {
    return {outer}; // not in any mapped file: JIT code, a wild jump
  }
  Dwarf_Addr start = 0;
  outer.module = module_display_name(
      dwfl_module_info(mod, nullptr, &start, nullptr, nullptr, nullptr, nullptr, nullptr));

  auto table = m_symbols.find(mod);
  if (table == m_symbols.end()) {
    table = m_symbols.emplace(mod, SymbolTable::read(mod)).first;
  }
  const SymbolTable::Symbol* symbol = table->second.find(lookup);
  if (symbol != nullptr) {
    // Versioned names of glibc's symbol table ("__libc_start_main@@GLIBC_2.34") lose the version.
    std::string_view name(symbol->name);
    outer.function = demangle(name.substr(0, name.find('@')));
    outer.offset = frame.pc - symbol->start;
  }

  std::vector<model::Frame> out;
  Dwarf_Die cu;
  Dwarf_Addr bias = 0;
  if (m_index.cu_for(mod, lookup, &cu, &bias)) {
    Dwarf_Addr addr = lookup - bias;
    Dwarf_Die function;
    std::vector<Dwarf_Die> chain;
    bool have_function = m_index.function_for(&cu, addr, &function);
    if (have_function) {
      chain = inline_chain(&function, addr);
    }
    // The line table gives the innermost location; each inlined call gives its caller's.
    Location loc = line_at(&cu, addr);
    for (size_t i = chain.size(); i-- > 0;) {
      model::Frame f;
      f.address = frame.pc;
      f.module = outer.module;
      f.function = die_function_name(&chain[i]);
      f.file = std::move(loc.file);
      f.line = loc.line;
      f.column = loc.column;
      f.inlined = true;
      out.push_back(std::move(f));
      CallSite cs = call_site(&chain[i]);
      loc = Location{cs.has_file ? m_index.file_name(&cu, cs.file) : std::string(), cs.line,
                     cs.column};
    }
    outer.file = std::move(loc.file);
    outer.line = loc.line;
    outer.column = loc.column;
    if (symbol == nullptr && have_function) {
      outer.function = die_function_name(&function);
      Dwarf_Addr low = 0;
      if (dwarf_lowpc(&function, &low) == 0 && low <= addr) {
        outer.offset = addr - low + (frame.pc - lookup);
      }
    }
  }
  if (!outer.offset) {
    // No symbol: the module-relative address, as addr2line -e MODULE takes it.
    GElf_Addr elf_bias = 0;
    Dwarf_Addr base = dwfl_module_getelf(mod, &elf_bias) != nullptr ? elf_bias : start;
    outer.offset = frame.pc - base;
  }
  out.push_back(std::move(outer));
  return out;
}

std::vector<model::Frame> Session::symbolize(const RawFrame& frame) {
  return m_state->symbolizer.frames(m_state->dwfl, frame);
}

model::Thread Session::symbolize(const RawThread& thread) {
  model::Thread out;
  out.id = std::to_string(thread.tid);
  for (const auto& raw : thread.frames) {
    for (const auto& f : m_state->symbolizer.frames(m_state->dwfl, raw)) {
      out.frames.push_back(f);
      out.frames.back().index = static_cast<int>(out.frames.size() - 1);
    }
  }
  return out;
}

} // namespace crashpilot::symbolize
