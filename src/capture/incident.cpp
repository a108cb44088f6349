// SPDX-License-Identifier: MIT
#include <parse/parser.hpp>
#include <util/string.hpp>

#include <capture/incident.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <map>

namespace crashpilot::capture {

std::string_view to_string(Outcome o) {
  switch (o) {
  case Outcome::crash:
    return "crash";
  case Outcome::abort:
    return "abort";
  case Outcome::hang:
    return "hang";
  case Outcome::killed:
    return "killed";
  case Outcome::abnormal_exit:
    return "abnormal_exit";
  case Outcome::clean_exit:
    return "clean_exit";
  case Outcome::startup_failure:
    return "startup_failure";
  }
  return "unknown";
}

bool is_failure(Outcome o) {
  return o != Outcome::clean_exit;
}

std::string signal_name(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev ? fmt::format("SIG{}", abbrev) : fmt::format("signal {}", signal);
}

std::string signal_description(int signal) {
  const char* d = sigdescr_np(signal);
  return d ? d : "";
}

std::string si_code_name(int signal, int code) {
  switch (code) {
  case SI_USER:
    return "SI_USER";
  case SI_KERNEL:
    return "SI_KERNEL";
  case SI_QUEUE:
    return "SI_QUEUE";
  case SI_TKILL:
    return "SI_TKILL";
  default:
    break;
  }
  if (signal == SIGSEGV) {
    switch (code) {
    case SEGV_MAPERR:
      return "SEGV_MAPERR";
    case SEGV_ACCERR:
      return "SEGV_ACCERR";
    default:
      break;
    }
  } else if (signal == SIGBUS) {
    switch (code) {
    case BUS_ADRALN:
      return "BUS_ADRALN";
    case BUS_ADRERR:
      return "BUS_ADRERR";
    case BUS_OBJERR:
      return "BUS_OBJERR";
    default:
      break;
    }
  } else if (signal == SIGFPE) {
    switch (code) {
    case FPE_INTDIV:
      return "FPE_INTDIV";
    case FPE_INTOVF:
      return "FPE_INTOVF";
    case FPE_FLTDIV:
      return "FPE_FLTDIV";
    default:
      break;
    }
  } else if (signal == SIGILL) {
    switch (code) {
    case ILL_ILLOPC:
      return "ILL_ILLOPC";
    case ILL_PRVOPC:
      return "ILL_PRVOPC";
    default:
      break;
    }
  } else if (signal == SIGTRAP) {
    switch (code) {
    case TRAP_BRKPT:
      return "TRAP_BRKPT";
    case TRAP_TRACE:
      return "TRAP_TRACE";
    default:
      break;
    }
  }
  return fmt::format("{}", code);
}

namespace {

// A SIGSEGV at the end of a deep stack that repeats one function: the guard page of a runaway
// recursion. Deep and repetitive, because one of the two alone is ordinary (deep template code,
// a short recursion that hit a bad pointer).
bool looks_like_stack_overflow(const model::Crash& c) {
  const auto& frames = c.crashing_frames();
  if (frames.size() < 128) {
    return false;
  }
  std::map<std::string, int> counts;
  int best = 0;
  for (size_t i = 0; i < 64; ++i) {
    best = std::max(best, ++counts[frames[i].function]);
  }
  return best >= 32;
}

} // namespace

model::Crash to_crash(const Incident& in) {
  model::Crash c;
  c.timestamp = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                            fmt::gmtime(std::chrono::system_clock::to_time_t(in.time)));
  c.formats.push_back("crashpilot-capture");
  switch (in.outcome) {
  case Outcome::crash:
  case Outcome::abort:
  case Outcome::killed:
    c.kind = in.outcome == Outcome::abort ? model::Kind::abort : model::Kind::signal;
    c.signal = in.signal ? in.signal : in.term_signal;
    c.exception_code = signal_name(c.signal);
    c.exception_name = signal_description(c.signal);
    c.fault_address = in.fault_address;
    c.error_message = fmt::format("{} ({}, {})", c.exception_name, c.exception_code,
                                  si_code_name(c.signal, in.si_code));
    if (in.sender_pid > 0) {
      c.error_message += fmt::format(", sent by process {}", in.sender_pid);
    }
    break;
  case Outcome::hang:
    c.kind = model::Kind::freeze;
    c.exception_code = "HANG";
    c.exception_name = "Server hang";
    c.error_message = in.hang_reason;
    break;
  case Outcome::abnormal_exit:
  case Outcome::startup_failure:
    c.kind = model::Kind::unknown;
    c.exception_code = in.exit_code >= 0 ? fmt::format("EXIT {}", in.exit_code) : "START";
    c.error_message = in.startup_error.empty()
                          ? fmt::format("the server exited with status {}", in.exit_code)
                          : in.startup_error;
    break;
  case Outcome::clean_exit:
    return c;
  }
  if (in.snapshot) {
    c.threads = in.snapshot->threads;
  }
  // The server's own words: an assertion printed before an abort, a freeze detector's message.
  if (!in.output_tail.empty()) {
    std::string text = util::join(in.output_tail, "\n");
    auto parsed = parse::parse_text(text);
    for (const auto& pc : parsed.crashes) {
      if (pc.assertion) {
        c.assertion = pc.assertion;
        if (c.kind == model::Kind::abort) {
          c.kind = model::Kind::assertion;
        }
        break;
      }
    }
  }
  if (c.signal == SIGSEGV && looks_like_stack_overflow(c)) {
    c.exception_name = "Stack overflow";
    c.error_message =
        fmt::format("stack-overflow: {} (the crashing thread's stack repeats one function to the "
                    "frame cap)",
                    c.error_message);
  }
  if (c.threads.empty() || c.crashing_frames().empty()) {
    c.add_problem(model::problem::no_frames);
  }
  return c;
}

} // namespace crashpilot::capture
