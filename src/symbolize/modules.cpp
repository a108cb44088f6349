// SPDX-License-Identifier: MIT
// The modules of a session, for the report: what was loaded, from which file, which build.
#include <symbolize/session.hpp>
#include <symbolize/session_state.hpp>
#include <unistd.h>

#include <algorithm>

namespace crashpilot::symbolize {

namespace {

struct ModulesContext {
  Session::State& state;
  std::vector<Module> out;
};

bool debug_info_found(Dwfl_Module* mod, Session::State& s, Elf* elf, const char* main_file,
                      const char* debug_file) {
  if (debug_file != nullptr || has_own_dwarf(elf) || s.context.debug_files.count(mod) != 0) {
    return true;
  }
  std::string path;
  int fd = elf != nullptr ? open_debug_file(mod, s.context, main_file, &path) : -1;
  if (fd >= 0) {
    ::close(fd);
    return true;
  }
  return false;
}

int on_module(Dwfl_Module* mod, void**, const char* name, Dwarf_Addr, void* arg) {
  auto& ctx = *static_cast<ModulesContext*>(arg);
  Module m;
  m.name = module_display_name(name);
  GElf_Addr bias = 0;
  Elf* elf = dwfl_module_getelf(mod, &bias);
  const char* main_file = nullptr;
  const char* debug_file = nullptr;
  dwfl_module_info(mod, nullptr, &m.start, &m.end, nullptr, nullptr, &main_file, &debug_file);
  // Files libdwfl opened itself from a core's file notes have no name of their own; the module's
  // name is then that path.
  m.path = main_file != nullptr ? main_file
                                : (elf != nullptr && name != nullptr && name[0] == '/' ? name : "");
  m.build_id = to_hex(build_id_bytes(mod));
  m.has_debuginfo = debug_info_found(mod, ctx.state, elf, main_file, debug_file);
  ctx.out.push_back(std::move(m));
  return DWARF_CB_OK;
}

} // namespace

std::vector<Module> Session::modules() {
  ModulesContext ctx{*m_state, {}};
  dwfl_getmodules(m_state->dwfl, on_module, &ctx, 0);
  std::sort(ctx.out.begin(), ctx.out.end(),
            [](const Module& a, const Module& b) { return a.start < b.start; });
  return std::move(ctx.out);
}

std::string Session::main_build_id() {
  Dwfl_Module* main =
      m_state->entry != 0 ? dwfl_addrmodule(m_state->dwfl, m_state->entry) : nullptr;
  return main != nullptr ? to_hex(build_id_bytes(main)) : std::string();
}

} // namespace crashpilot::symbolize
