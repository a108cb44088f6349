// SPDX-License-Identifier: MIT
#pragma once

// What /proc says about a process and its threads: the facts a report carries (command line, cwd,
// executable, thread names) and the ones a freeze needs (thread ids, the syscall a thread sits in).

#include <util/expected.hpp>

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crashpilot::capture {

// Thread ids of `pid`, ascending; empty when the process is gone.
std::vector<pid_t> list_threads(pid_t pid);
// /proc/PID/task/TID/comm without the newline; "" when gone.
std::string thread_name(pid_t pid, pid_t tid);
std::vector<std::string> process_cmdline(pid_t pid);
std::string process_cwd(pid_t pid);
std::string process_exe(pid_t pid);

// The syscall a stopped thread is blocked in, from /proc/PID/task/TID/syscall: number and the first
// argument; nullopt when it is running user code (or the file says nothing).
struct Syscall {
  long number = -1;
  uint64_t arg0 = 0;
};
std::optional<Syscall> thread_syscall(pid_t pid, pid_t tid);

// CPU time (user + system) of one thread in clock ticks, from /proc/PID/task/TID/stat.
std::optional<uint64_t> thread_cpu_ticks(pid_t pid, pid_t tid);

// Reads `size` bytes of the process's memory (process_vm_readv); false when not readable.
bool read_memory(pid_t pid, uint64_t address, void* out, size_t size);

} // namespace crashpilot::capture
