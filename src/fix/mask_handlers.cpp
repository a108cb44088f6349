// SPDX-License-Identifier: MIT
#include <fix/mask_rules.hpp>
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <set>

namespace crashpilot::fix::mask {

namespace {

// Signals whose handler cannot hide a crash: installing one is ordinary server plumbing.
bool harmless_signal(std::string_view name) {
  static const std::set<std::string_view> names{
      "SIGPIPE", "SIGINT",   "SIGTERM",   "SIGHUP",  "SIGCHLD", "SIGUSR1", "SIGUSR2",
      "SIGALRM", "SIGWINCH", "SIGCONT",   "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
      "SIGIO",   "SIGPROF",  "SIGVTALRM", "SIGPOLL", "SIGCLD"};
  return names.count(name) > 0;
}

} // namespace

void check_signal_handlers(const File& f, std::vector<MaskFinding>& out) {
  static const std::vector<std::string_view> posix{"signal", "sigaction", "bsd_signal",
                                                   "sysv_signal"};
  static const std::vector<std::string_view> always{"SetUnhandledExceptionFilter",
                                                    "AddVectoredExceptionHandler",
                                                    "AddVectoredContinueHandler",
                                                    "_set_se_translator",
                                                    "set_terminate",
                                                    "set_unexpected",
                                                    "_set_invalid_parameter_handler",
                                                    "_set_purecall_handler",
                                                    "__except"};
  for (const auto& h : f.hunks) {
    for (const auto& l : h.lines) {
      if (!l.added()) {
        continue;
      }
      for (std::string_view name : always) {
        if (find_call(l.code, name) != std::string_view::npos) {
          out.push_back(finding(
              "signal_handler", f, l,
              fmt::format("adds {}: a handler that catches the fault hides the crash from "
                          "crashpilot and from the server's own crash reports; fix the faulting "
                          "code instead",
                          name)));
          break;
        }
      }
      for (std::string_view name : posix) {
        size_t open = find_call(l.code, name);
        // obj.signal(...) / obj->signal(...) are methods (Qt, boost), not the C function.
        if (open == std::string_view::npos) {
          continue;
        }
        size_t at = l.code.rfind(name, open);
        std::string_view before = util::trim_right(std::string_view(l.code).substr(0, at));
        if (ends_with(before, ".") || ends_with(before, "->")) {
          continue;
        }
        std::vector<std::string> named;
        for (const auto& id : identifiers(l.code)) {
          if (id.rfind("SIG", 0) == 0 && id != "SIG_IGN" && id != "SIG_ERR" && id != "SIG_DFL" &&
              id.size() > 3 && id[3] != '_') {
            named.push_back(id);
          }
        }
        bool restores_default = find_call(l.code, "SIG_DFL") != std::string_view::npos ||
                                l.code.find("SIG_DFL") != std::string::npos;
        bool harmless =
            !named.empty() && std::all_of(named.begin(), named.end(),
                                          [](const std::string& s) { return harmless_signal(s); });
        if (restores_default || harmless) {
          continue;
        }
        out.push_back(finding(
            "signal_handler", f, l,
            fmt::format("installs a signal handler with {}() {}: a handler for SIGSEGV/SIGABRT and "
                        "friends turns the crash into silent corruption; fix the faulting code "
                        "instead",
                        name,
                        named.empty() ? std::string("for a signal chosen at run time")
                                      : fmt::format("for {}", fmt::join(named, ", ")))));
        break;
      }
    }
  }
}

void check_catches(const File& f, const GateContext& ctx, std::vector<MaskFinding>& out) {
  static const RE2 any(R"(\bcatch\s*\(\s*\.\.\.\s*\))");
  static const RE2 std_exception(
      R"(\bcatch\s*\(\s*(?:const\s+)?(std\s*::\s*(?:exception|\w+_error|out_of_range|invalid_argument|bad_\w+)|exception)\s*(?:const\s*)?&?\s*\w*\s*\))");
  for (const auto& h : f.hunks) {
    for (size_t i = 0; i < h.lines.size(); ++i) {
      const Line& l = h.lines[i];
      if (!l.added()) {
        continue;
      }
      std::string type;
      bool is_any = RE2::PartialMatch(l.code, any);
      bool is_std = !is_any && RE2::PartialMatch(l.code, std_exception, &type);
      if (!is_any && !is_std) {
        continue;
      }
      size_t at = l.code.find("catch");
      size_t close = l.code.find(')', at);
      std::string text = new_side_text(h, i, k_max_catch_body_lines, close + 1);
      auto body = body_of(text);
      if (is_any) {
        // Rethrowing (or turning it into another exception, or aborting) does not swallow.
        if (body && stops(*body, ctx)) {
          continue;
        }
        out.push_back(finding("catch_all", f, l,
                              "adds catch (...), which swallows every exception, including the "
                              "one behind the crash; catch the specific exception you can handle "
                              "or let it propagate"));
        continue;
      }
      bool logs = false;
      std::string_view b = body ? util::trim(*body) : std::string_view("?");
      bool empty_body = body && b.empty();
      if (empty_body || (body && exit_only(b, logs) && !logs)) {
        out.push_back(
            finding("catch_all", f, l,
                    fmt::format("adds a catch of {} that {}: the error is dropped without a trace; "
                                "handle it or let it propagate",
                                squeeze(type), empty_body ? "does nothing" : "only returns")));
      }
    }
  }
}

} // namespace crashpilot::fix::mask
