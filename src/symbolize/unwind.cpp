// SPDX-License-Identifier: MIT
// The part that runs while the process is stopped: unwinding every thread with CFI, then opening
// what symbolizing will need later, so the process can go.
#include <elf.h>
#include <fmt/format.h>
#include <symbolize/session.hpp>
#include <symbolize/session_state.hpp>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include <cerrno>
#include <cstring>
#include <set>

namespace crashpilot::symbolize {

namespace {

struct ThreadsContext {
  const Limits& limits;
  bool live = false;
  std::vector<RawThread> threads;
  bool truncated = false;
};

struct FramesContext {
  RawThread& thread;
  size_t max_frames;
};

int on_frame(Dwfl_Frame* state, void* arg) {
  auto& ctx = *static_cast<FramesContext*>(arg);
  Dwarf_Addr pc = 0;
  bool activation = false;
  if (!dwfl_frame_pc(state, &pc, &activation)) {
    ctx.thread.error =
        fmt::format("no pc after frame #{}: {}", ctx.thread.frames.size(), dwfl_errmsg(-1));
    return DWARF_CB_ABORT;
  }
  if (ctx.thread.frames.size() >= ctx.max_frames) {
    ctx.thread.truncated = true;
    return DWARF_CB_ABORT;
  }
  ctx.thread.frames.push_back({pc, activation});
  return DWARF_CB_OK;
}

// libdwfl 0.188 cannot recover from a thread whose registers it fails to read under
// assume_ptrace_stopped: it leaves that thread marked attached and aborts (an assertion) on the
// next one. So a thread is unwound only once reading its registers is known to work: a thread that
// appeared after the caller froze the process, or one the caller never stopped, gets an error.
bool ptrace_stopped(pid_t tid) {
  user_regs_struct regs;
  iovec io{&regs, sizeof regs};
  return ::ptrace(PTRACE_GETREGSET, tid, reinterpret_cast<void*>(NT_PRSTATUS), &io) == 0;
}

int on_thread(Dwfl_Thread* thread, void* arg) {
  auto& ctx = *static_cast<ThreadsContext*>(arg);
  if (ctx.threads.size() >= ctx.limits.max_threads) {
    ctx.truncated = true;
    return DWARF_CB_ABORT;
  }
  RawThread& t = ctx.threads.emplace_back();
  t.tid = dwfl_thread_tid(thread);
  if (ctx.live && !ptrace_stopped(t.tid)) {
    t.error =
        fmt::format("thread {} is not stopped under ptrace by this process ({}), so its registers "
                    "cannot be read",
                    t.tid, std::strerror(errno));
    return DWARF_CB_OK;
  }
  FramesContext frames{t, ctx.limits.max_frames};
  // libdwfl reports the last error of any earlier call (a missing debug file, say) as this
  // thread's unwinding error unless it is cleared first.
  dwfl_errno();
  if (dwfl_thread_getframes(thread, on_frame, &frames) == -1 && t.error.empty()) {
    t.error =
        fmt::format("unwinding stopped after {} frame(s): {}", t.frames.size(), dwfl_errmsg(-1));
  }
  return DWARF_CB_OK;
}

} // namespace

util::Expected<std::vector<RawThread>> Session::unwind(const Limits& limits) {
  ThreadsContext ctx{limits, m_state->context.pid > 0, {}, false};
  dwfl_errno();
  int rc = dwfl_getthreads(m_state->dwfl, on_thread, &ctx);
  m_state->threads_truncated = ctx.truncated;
  if (rc == -1 && ctx.threads.empty()) {
    return util::error(fmt::format("cannot list the threads: {}", dwfl_errmsg(-1)));
  }
  if (rc == -1) {
    m_state->notes.push_back(
        fmt::format("listing threads stopped after {}: {}", ctx.threads.size(), dwfl_errmsg(-1)));
  }
  return std::move(ctx.threads);
}

void Session::prepare_for_release(const std::vector<RawThread>& threads) {
  State& s = *m_state;
  std::set<Dwfl_Module*> seen;
  for (const auto& t : threads) {
    for (const auto& f : t.frames) {
      Dwarf_Addr lookup = f.activation || f.pc == 0 ? f.pc : f.pc - 1;
      Dwfl_Module* mod = dwfl_addrmodule(s.dwfl, lookup);
      if (mod == nullptr || !seen.insert(mod).second) {
        continue;
      }
      // The ELF: the vDSO and deleted binaries can only be read while the process exists.
      GElf_Addr bias = 0;
      Elf* elf = dwfl_module_getelf(mod, &bias);
      if (elf == nullptr || has_own_dwarf(elf) || s.context.debug_files.count(mod) != 0) {
        continue;
      }
      // A separate debug file is only opened, not read: reading DWARF (and inflating compressed
      // sections, tens of milliseconds for libc6-dbg) waits until the process is released. Holding
      // the file open keeps a rebuild that replaces it now from handing us another build's file.
      const char* main_file = nullptr;
      const char* debug_file = nullptr;
      dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, &main_file, &debug_file);
      if (debug_file != nullptr) {
        continue;
      }
      std::string path;
      if (int fd = open_debug_file(mod, s.context, main_file, &path); fd >= 0) {
        s.context.debug_files[mod] = {fd, path};
      }
    }
  }
}

} // namespace crashpilot::symbolize
