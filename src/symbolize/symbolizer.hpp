// SPDX-License-Identifier: MIT
#pragma once

// Raw frames to model frames, with a cache per pc: the same code on several threads (a pool of
// workers waiting in one place) is read once.

#include <model/crash.hpp>

#include <elfutils/libdwfl.h>
#include <symbolize/dwarf_index.hpp>
#include <symbolize/session.hpp>
#include <symbolize/symbol_table.hpp>

#include <unordered_map>
#include <vector>

namespace crashpilot::symbolize {

class Symbolizer {
public:
  const std::vector<model::Frame>& frames(Dwfl* dwfl, const RawFrame& frame);

private:
  std::vector<model::Frame> build(Dwfl* dwfl, const RawFrame& frame);

  struct Key {
    uint64_t pc;
    bool activation;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<uint64_t>()(k.pc) ^ (k.activation ? 1 : 0);
    }
  };
  std::unordered_map<Key, std::vector<model::Frame>, KeyHash> m_cache;
  DwarfIndex m_index;
  std::unordered_map<Dwfl_Module*, SymbolTable> m_symbols;
};

// The name a frame shows for a module: the basename, "[vdso]" for the vDSO.
std::string module_display_name(const char* name);

} // namespace crashpilot::symbolize
