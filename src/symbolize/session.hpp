// SPDX-License-Identifier: MIT
#pragma once

// The symbolize stage: all-thread stacks of a stopped process or a core file with elfutils'
// libdwfl. Unwinding (CFI only, about a millisecond) is split from symbolizing (DWARF, the slow
// part) so the capture stage can release a frozen process in between. Symbolizing reads as little
// DWARF as it can: the CU from .debug_aranges, then one pruned descent from that CU's DIE to the
// pc, with caches per CU and per pc, so a second thread through the same code costs next to
// nothing.
//
// Debug information comes from the binary itself, from separate files by build-id
// (/usr/lib/debug/.build-id/xx/yyyy.debug) or `.gnu_debuglink`, and from extra directories the
// caller names. Never from the network: debuginfod is not queried (see callbacks.hpp for how).

#include <model/crash.hpp>
#include <util/expected.hpp>

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crashpilot::symbolize {

struct RawFrame {
  uint64_t pc = 0;
  // The pc is exact (the innermost frame, or the frame a signal interrupted); otherwise it is a
  // return address and the call is at pc - 1.
  bool activation = false;
};

struct RawThread {
  pid_t tid = 0;
  std::vector<RawFrame> frames;
  std::string error;      // why unwinding stopped early; the frames before it are kept
  bool truncated = false; // cut at Limits::max_frames
};

struct Module {
  std::string name;     // basename as the process or core names it (libc.so.6, worldserver)
  std::string path;     // the file read for it, "" when none was found
  std::string build_id; // hex, "" when the module has none
  uint64_t start = 0, end = 0;
  bool has_debuginfo = false; // DWARF in the file itself or a separate debug file was found
};

struct SessionOptions {
  std::vector<std::string> debug_dirs; // extra directories searched for separate debug files
  // Where uncompressed copies of compressed separate debug files (distribution debug packages) are
  // kept by build-id, so later sessions skip inflating them (debug_cache.hpp); "" = none.
  std::string debug_cache_dir;
};

struct Limits {
  size_t max_threads = 4096;
  size_t max_frames = 256;
};

// What a core file's notes say about the crash.
struct CoreInfo {
  pid_t pid = 0;
  pid_t crashing_tid = 0; // the first NT_PRSTATUS: the thread that took the signal
  int signal = 0;
  int si_code = 0;
  std::optional<uint64_t> fault_address; // SIGSEGV/SIGBUS/SIGILL/SIGFPE raised by the kernel
  std::string exe_name;                  // NT_PRPSINFO pr_fname (at most 15 characters)
  std::string args;                      // NT_PRPSINFO pr_psargs (the first 80 bytes)
};

// One Session per process or core, used from one thread at a time.
class Session {
public:
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  // Every thread of `pid` is already ptrace-stopped by the caller; nothing here attaches or
  // detaches ptrace. `debug_dirs`: extra directories searched for separate debug files.
  static util::Expected<Session> attach_stopped(pid_t pid,
                                                const std::vector<std::string>& debug_dirs = {});
  static util::Expected<Session> attach_stopped(pid_t pid, const SessionOptions& options);
  // A core file plus its executable ("" = the path the core's file notes give).
  static util::Expected<Session> open_core(const std::string& core, const std::string& exe,
                                           const std::vector<std::string>& debug_dirs = {});
  static util::Expected<Session> open_core(const std::string& core, const std::string& exe,
                                           const SessionOptions& options);

  // Unwinds all threads (CFI only). Call while the process is stopped. A thread that cannot be
  // unwound keeps its error; the others are unaffected.
  util::Expected<std::vector<RawThread>> unwind(const Limits& limits = {});
  // True when the last unwind() stopped at Limits::max_threads.
  bool threads_truncated() const;

  // After this returns the process may be released or die: every module that holds a frame has its
  // ELF (and separate debug file) open, so symbolize() works without the process.
  void prepare_for_release(const std::vector<RawThread>& threads);

  // One raw frame -> one or more frames, innermost inline frame first (inlined = true for all but
  // the last, the out-of-line function): function (demangled, qualified), file, line, column,
  // module (basename), address (= pc), offset (pc - symbol start; for a frame without a symbol,
  // pc - load bias, the address `addr2line -e MODULE` takes). Index is left at -1.
  std::vector<model::Frame> symbolize(const RawFrame& frame);
  // id = tid in decimal; frames indexed 0..n.
  model::Thread symbolize(const RawThread& thread);

  std::vector<Module> modules();
  std::string main_build_id();               // hex, "" if none
  std::optional<CoreInfo> core_info() const; // only for open_core
  // Things the user may want to know: a module whose file was not found, an --exe whose build-id
  // does not match the core. Plain sentences.
  const std::vector<std::string>& notes() const;

  struct State; // session_state.hpp

private:
  explicit Session(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

} // namespace crashpilot::symbolize
