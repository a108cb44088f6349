// SPDX-License-Identifier: MIT
// `crashpilot snapshot --pid PID`: every thread of a running process, symbolized, without killing
// it; prints how long it was stopped.
#include <cli/commands.hpp>
#include <cli/terminal.hpp>
#include <model/json.hpp>
#include <model/symbol.hpp>

#include <capture/freeze.hpp>
#include <capture/report.hpp>
#include <capture/settings.hpp>
#include <capture/snapshot.hpp>
#include <fmt/format.h>

namespace crashpilot::cli {

int run_snapshot(const Invocation& inv, const config::Config& config) {
  auto options = capture::snapshot_settings(config);
  if (!options) {
    print_error(options.error());
    return exit_code::usage;
  }
  auto frozen = capture::freeze_foreign(inv.snapshot.pid);
  if (!frozen) {
    print_error(frozen.error());
    return exit_code::failure;
  }
  auto snap = capture::take_snapshot(*frozen, 0, *options);
  if (!snap) {
    print_error(snap.error());
    return exit_code::failure;
  }
  if (inv.global.json) {
    nlohmann::json threads = nlohmann::json::array();
    model::Crash c;
    c.kind = model::Kind::freeze;
    c.threads = snap->threads;
    nlohmann::json j = model::to_json(c, {.include_raw = false, .include_all_threads = true});
    fmt::print("{}\n", nlohmann::json{{"pid", snap->pid},
                                      {"build_id", snap->build_id},
                                      {"threads", j["threads"]},
                                      {"problems", snap->problems},
                                      {"timing_us",
                                       {{"frozen", snap->frozen.count()},
                                        {"unwind", snap->unwind.count()},
                                        {"symbolize", snap->symbolize.count()}}}}
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return exit_code::ok;
  }
  Terminal term = Terminal::detect(inv.global.color);
  for (const auto& t : snap->threads) {
    std::string state = t.state.empty() ? "" : " " + t.state;
    if (!t.lock_owner.empty()) {
      state += ", lock held by " + t.lock_owner;
    }
    fmt::print("{}\n", term.bold(fmt::format("Thread {} \"{}\"{}", t.id, t.name,
                                             state.empty() ? "" : " [" + state.substr(1) + "]")));
    for (size_t i = 0; i < t.frames.size(); ++i) {
      const auto& f = t.frames[i];
      std::string where = !f.file.empty()     ? fmt::format(" at {}:{}", f.file, f.line)
                          : !f.module.empty() ? " from " + f.module
                                              : "";
      fmt::print("  #{:<2} {}{}{}\n", i,
                 f.function.empty() ? "??" : std::string(model::function_name_part(f.function)),
                 term.dim(where), f.inlined ? term.dim(" [inlined]") : "");
    }
  }
  for (const auto& p : snap->problems) {
    print_warning(p);
  }
  fmt::print(stderr,
             "process {} was stopped for {:.2f} ms ({} threads; unwind {:.2f} ms, symbolize {:.1f} "
             "ms after release)\n",
             snap->pid, capture::as_ms(snap->frozen), snap->threads.size(),
             capture::as_ms(snap->unwind), capture::as_ms(snap->symbolize));
  return exit_code::ok;
}

} // namespace crashpilot::cli
