// SPDX-License-Identifier: MIT
#include <capture/settings.hpp>
#include <fmt/format.h>
#include <symbolize/debug_cache.hpp>

namespace crashpilot::capture {

namespace {

util::Expected<int64_t> non_negative(const config::Config& cfg, const char* key, int64_t fallback) {
  int64_t v = cfg.get_int(key, fallback);
  if (v < 0) {
    return util::error(fmt::format("configuration: {} must be 0 or more, not {} (from {})", key, v,
                                   cfg.origin(key)));
  }
  return v;
}

} // namespace

util::Expected<SnapshotOptions> snapshot_settings(const config::Config& cfg) {
  SnapshotOptions o;
  auto frames = non_negative(cfg, "capture.max_frames", 256);
  if (!frames) {
    return util::error(frames.error());
  }
  if (*frames == 0) {
    return util::error("configuration: capture.max_frames must be at least 1");
  }
  o.limits.max_frames = static_cast<size_t>(*frames);
  o.debug_dirs = cfg.get_strings("capture.debug_dirs");
  std::string cache = cfg.get_string("capture.debug_cache", "");
  o.debug_cache_dir = cache == "off"  ? ""
                      : cache.empty() ? symbolize::default_debug_cache_dir()
                                      : cache;
  return o;
}

util::Expected<CaptureSettings> capture_settings(const config::Config& cfg,
                                                 const SettingsOverrides& over) {
  CaptureSettings s;
  auto& sup = s.supervisor;
  sup.launch.argv = over.command.empty() ? cfg.get_strings("server.command") : over.command;
  if (sup.launch.argv.empty()) {
    return util::error("no server command: give it after `--` (crashpilot run -- ./worldserver -c "
                       "worldserver.conf) "
                       "or set [server] command in crashpilot.toml");
  }
  sup.launch.cwd = cfg.get_string("server.cwd");
  std::string method = cfg.get_string("capture.method", "ptrace");
  if (method != "ptrace" && method != "core") {
    return util::error(fmt::format(
        "configuration: capture.method must be \"ptrace\" or \"core\", not \"{}\"", method));
  }
  sup.launch.trace = method == "ptrace";
  sup.allow_core_fallback = cfg.get_bool("capture.core_fallback", true);

  std::string restart =
      over.restart.empty() ? cfg.get_string("capture.restart", "on-failure") : over.restart;
  if (restart == "never") {
    sup.restart.mode = RestartMode::never;
  } else if (restart == "on-failure") {
    sup.restart.mode = RestartMode::on_failure;
  } else if (restart == "always") {
    sup.restart.mode = RestartMode::always;
  } else {
    return util::error(fmt::format(
        "configuration: capture.restart must be never, on-failure or always, not \"{}\"", restart));
  }
  struct Key {
    const char* name;
    int64_t fallback;
    int64_t* out;
  };
  int64_t initial = 0, max_delay = 0, stable = 0, loop_count = 0, loop_window = 0, stop_grace = 0,
          exit_grace = 0, startup = 0, hang = 0, stall = 0;
  for (Key k : {Key{"capture.backoff_initial_ms", 1000, &initial},
                Key{"capture.backoff_max_ms", 60000, &max_delay},
                Key{"capture.stable_seconds", 300, &stable},
                Key{"capture.crash_loop_count", 3, &loop_count},
                Key{"capture.crash_loop_window_seconds", 600, &loop_window},
                Key{"capture.stop_grace_seconds", 30, &stop_grace},
                Key{"capture.exit_grace_seconds", 10, &exit_grace},
                Key{"capture.startup_seconds", 5, &startup}, Key{"capture.hang_seconds", 0, &hang},
                Key{"capture.cpu_stall_seconds", 0, &stall}}) {
    auto v = non_negative(cfg, k.name, k.fallback);
    if (!v) {
      return util::error(v.error());
    }
    *k.out = *v;
  }
  sup.restart.initial_delay = std::chrono::milliseconds(initial);
  sup.restart.max_delay = std::chrono::milliseconds(std::max(initial, max_delay));
  sup.restart.stable_after = std::chrono::seconds(stable);
  sup.restart.loop_count = static_cast<int>(loop_count);
  sup.restart.loop_window = std::chrono::seconds(loop_window);
  sup.stop_grace = std::chrono::seconds(stop_grace);
  sup.exit_grace = std::chrono::seconds(exit_grace);
  sup.startup_window = std::chrono::seconds(startup);
  s.hang_seconds = over.hang_seconds >= 0 ? over.hang_seconds : static_cast<int>(hang);
  s.cpu_stall_seconds = static_cast<int>(stall);
  sup.max_crashes = over.max_crashes;
  auto snap = snapshot_settings(cfg);
  if (!snap) {
    return util::error(snap.error());
  }
  sup.snapshot = *snap;
  s.crash_dir = over.crash_dir.empty() ? cfg.get_string("capture.crash_dir", ".crashpilot/crashes")
                                       : over.crash_dir;
  s.record = cfg.get_bool("capture.record", true);
  return s;
}

} // namespace crashpilot::capture
