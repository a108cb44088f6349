// SPDX-License-Identifier: MIT
#include <elf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <symbolize/core_notes.hpp>
#include <symbolize/session.hpp>
#include <symbolize/session_state.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace crashpilot::symbolize {

namespace {

constexpr const char* k_system_debug_dir = "/usr/lib/debug";

util::Expected<std::unique_ptr<Session::State>> new_state(const SessionOptions& options,
                                                          bool live) {
  auto state = std::make_unique<Session::State>();
  state->context.debug_cache_dir = options.debug_cache_dir;
  for (const auto& d : options.debug_dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(d, ec)) {
      return util::error(fmt::format("debug directory {}: no such directory", d));
    }
    // libdwfl's build-id lookup takes absolute directories only.
    state->context.debug_dirs.push_back(
        std::filesystem::absolute(d, ec).lexically_normal().string());
  }
  state->context.debug_dirs.emplace_back(k_system_debug_dir);
  state->debuginfo_path = debuginfo_path(state->context.debug_dirs);
  state->debuginfo_path_ptr = state->debuginfo_path.data();
  state->callbacks = make_callbacks(live, &state->debuginfo_path_ptr);
  elf_version(EV_CURRENT);
  state->dwfl = dwfl_begin(&state->callbacks);
  if (state->dwfl == nullptr) {
    return util::error(fmt::format("cannot start libdwfl: {}", dwfl_errmsg(-1)));
  }
  return state;
}

std::string dwfl_error_text(int rc) {
  // libdwfl returns an errno value, or -1 with its own error set.
  return rc > 0 ? std::strerror(rc) : dwfl_errmsg(-1);
}

uint64_t auxv_entry(pid_t pid) {
  util::Fd fd(::open(fmt::format("/proc/{}/auxv", pid).c_str(), O_RDONLY | O_CLOEXEC));
  uint64_t pair[2];
  while (fd.valid() && ::read(fd.get(), pair, sizeof pair) == static_cast<ssize_t>(sizeof pair)) {
    if (pair[0] == AT_ENTRY) {
      return pair[1];
    }
    if (pair[0] == AT_NULL) {
      break;
    }
  }
  return 0;
}

// Says when the core's executable was not found, or when --exe is another build than the core's.
void check_main_module(Session::State& s, const std::string& exe) {
  Dwfl_Module* main = s.entry != 0 ? dwfl_addrmodule(s.dwfl, s.entry) : nullptr;
  if (main == nullptr) {
    return;
  }
  const char* name =
      dwfl_module_info(main, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
  std::string id = build_id_bytes(main);
  GElf_Addr bias = 0;
  if (dwfl_module_getelf(main, &bias) == nullptr) {
    s.notes.push_back(fmt::format(
        "the core's executable {} was not found{}: its frames have no names; pass "
        "--exe BINARY (the same build)",
        name != nullptr ? name : "?", id.empty() ? "" : " (build-id " + to_hex(id) + ")"));
    return;
  }
  if (!exe.empty() && !id.empty()) {
    std::string exe_id = file_build_id(exe);
    if (exe_id != id) {
      s.notes.push_back(
          fmt::format("{} is another build (build-id {}) than the core's executable (build-id {}); "
                      "it was not used",
                      exe, exe_id.empty() ? "none" : to_hex(exe_id), to_hex(id)));
    }
  }
}

} // namespace

Session::Session(std::unique_ptr<State> state) : m_state(std::move(state)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

util::Expected<Session> Session::attach_stopped(pid_t pid,
                                                const std::vector<std::string>& debug_dirs) {
  return attach_stopped(pid, SessionOptions{debug_dirs, ""});
}

util::Expected<Session> Session::open_core(const std::string& core, const std::string& exe,
                                           const std::vector<std::string>& debug_dirs) {
  return open_core(core, exe, SessionOptions{debug_dirs, ""});
}

util::Expected<Session> Session::attach_stopped(pid_t pid, const SessionOptions& options) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH)) {
    return util::error(fmt::format("process {}: no such process", pid));
  }
  auto state = new_state(options, true);
  if (!state) {
    return util::error(state.error());
  }
  State& s = **state;
  s.context.pid = pid;
  if (int rc = dwfl_linux_proc_report(s.dwfl, pid); rc != 0) {
    return util::error(fmt::format("process {}: cannot read its mappings (/proc/{}/maps): {}", pid,
                                   pid, dwfl_error_text(rc)));
  }
  if (dwfl_report_end(s.dwfl, nullptr, nullptr) != 0) {
    return util::error(fmt::format("process {}: {}", pid, dwfl_errmsg(-1)));
  }
  bind_modules(s.dwfl, &s.context);
  // assume_ptrace_stopped: the caller froze every thread; libdwfl must neither attach nor detach.
  if (int rc = dwfl_linux_proc_attach(s.dwfl, pid, true); rc != 0) {
    return util::error(
        fmt::format("process {}: cannot read its threads: {}", pid, dwfl_error_text(rc)));
  }
  s.entry = auxv_entry(pid);
  return Session(std::move(*state));
}

util::Expected<Session> Session::open_core(const std::string& core, const std::string& exe,
                                           const SessionOptions& options) {
  auto state = new_state(options, false);
  if (!state) {
    return util::error(state.error());
  }
  State& s = **state;
  s.core_fd.reset(::open(core.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st;
  if (!s.core_fd.valid() || ::fstat(s.core_fd.get(), &st) != 0) {
    return util::error(fmt::format("{}: cannot open: {}", core, std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) {
    return util::error(fmt::format("{}: not a regular file, so not a core dump", core));
  }
  s.core_elf = elf_begin(s.core_fd.get(), ELF_C_READ_MMAP, nullptr);
  if (auto ok = check_core(s.core_elf, core, static_cast<uint64_t>(st.st_size)); !ok) {
    return util::error(ok.error());
  }
  auto notes = read_core_notes(s.core_elf, core);
  if (!notes) {
    return util::error(notes.error());
  }
  if (!exe.empty()) {
    util::Fd fd(::open(exe.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) {
      return util::error(fmt::format("{}: cannot open: {}", exe, std::strerror(errno)));
    }
    Elf* elf = elf_begin(fd.get(), ELF_C_READ_MMAP, nullptr);
    GElf_Ehdr eh;
    bool is_elf = elf != nullptr && elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &eh) != nullptr;
    bool is_core = is_elf && eh.e_type == ET_CORE;
    elf_end(elf);
    if (!is_elf || is_core) {
      return util::error(fmt::format("{}: {}, not an executable", exe,
                                     is_core ? "a core dump" : "not an ELF file"));
    }
    s.context.exe = exe;
  }
  if (int rc = dwfl_core_file_report(s.dwfl, s.core_elf, exe.empty() ? nullptr : exe.c_str());
      rc < 0) {
    return util::error(
        fmt::format("{}: cannot read the modules of the core: {}", core, dwfl_errmsg(-1)));
  }
  if (dwfl_report_end(s.dwfl, nullptr, nullptr) != 0) {
    return util::error(fmt::format("{}: {}", core, dwfl_errmsg(-1)));
  }
  bind_modules(s.dwfl, &s.context);
  if (int rc = dwfl_core_file_attach(s.dwfl, s.core_elf); rc < 0) {
    return util::error(
        fmt::format("{}: cannot read the threads of the core: {}", core, dwfl_errmsg(-1)));
  }
  s.entry = notes->entry;
  s.core = notes->info;
  if (!notes->native_layout) {
    s.core->pid = dwfl_pid(s.dwfl);
    s.notes.push_back(
        "the core comes from another machine type: signal, fault address and crashing thread "
        "were not read from its notes");
  }
  check_main_module(s, exe);
  return Session(std::move(*state));
}

bool Session::threads_truncated() const {
  return m_state->threads_truncated;
}

std::optional<CoreInfo> Session::core_info() const {
  return m_state->core;
}

const std::vector<std::string>& Session::notes() const {
  return m_state->notes;
}

} // namespace crashpilot::symbolize
