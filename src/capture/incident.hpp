// SPDX-License-Identifier: MIT
#pragma once

// How one run of the server ended, with everything a report needs: the exit classification, the
// signal and its origin, the all-thread snapshot, process facts, and the logs just before.

#include <model/crash.hpp>
#include <model/log_context.hpp>

#include <capture/snapshot.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::capture {

enum class Outcome {
  crash,  // a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGSYS, SIGTRAP)
  abort,  // SIGABRT: abort(), assert(), std::terminate
  hang,   // the watchdog declared it hung; snapshot taken, then killed
  killed, // ended by a signal crashpilot did not see as a crash (SIGKILL from the OOM killer...)
  abnormal_exit,   // exit status != 0
  clean_exit,      // exit status 0
  startup_failure, // could not start, or exited non-zero before the start-up window passed
};

std::string_view to_string(Outcome o);
bool is_failure(Outcome o); // everything but clean_exit

struct ProcessInfo {
  pid_t pid = 0;
  std::string exe;
  std::vector<std::string> argv;
  std::string cwd;
  std::chrono::system_clock::time_point started;
};

struct Incident {
  Outcome outcome = Outcome::clean_exit;
  ProcessInfo process;
  std::chrono::system_clock::time_point time; // of the signal / hang / exit
  std::chrono::milliseconds uptime{0};

  int signal = 0; // the fatal signal
  int si_code = 0;
  std::optional<uint64_t> fault_address; // SIGSEGV/SIGBUS/SIGFPE/SIGILL: si_addr
  pid_t sender_pid = 0;                  // a signal sent by kill(2): who sent it
  pid_t crashing_tid = 0;
  std::string crashing_thread_name;

  std::optional<Snapshot> snapshot; // crash, abort, hang
  std::string snapshot_error;       // why there is no snapshot
  std::string hang_reason;
  std::string startup_error;

  int exit_code = -1;  // -1: ended by a signal
  int term_signal = 0; // the signal that ended it
  bool core_dumped = false;
  std::string core_path; // the core file found (the fallback path), "" otherwise

  model::LogContext context;            // the logs just before `time`
  std::vector<std::string> output_tail; // the server's last stdout/stderr lines (assertion texts)
};

// The crash model of an incident (kind, exception code and name, signal, fault address, threads,
// assertion text from the server's output), ready for triage. Clean exits give an empty crash.
model::Crash to_crash(const Incident& incident);

// "SIGSEGV" / "Segmentation fault" / "SEGV_MAPERR" for a signal and si_code.
std::string signal_name(int signal);
std::string signal_description(int signal);
std::string si_code_name(int signal, int si_code);

} // namespace crashpilot::capture
