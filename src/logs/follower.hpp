// SPDX-License-Identifier: MIT
#pragma once

// Follows a server's logs while it runs: the configured files (file_follow.hpp) and the server's
// stdout/stderr pipes (stream_follow.hpp), on one background thread that sleeps in poll(2) over
// the inotify descriptor, the pipes and a wake-up eventfd. Every line lands in its source's rings
// (intake.hpp); at a crash, sync() then snapshot() (or crash_context(), context.hpp) give the last
// lines before it.
//
// The capture watchdog asks last_match_time() when the heartbeat line was last seen ("no line
// matching R in L for N seconds" = hung) and freeze_count() whether the server's own freeze
// detector spoke. stop() never waits on a stuck source (a hung network file system) longer than
// its grace period: the thread is then left to finish on its own.

#include <util/expected.hpp>
#include <util/fd.hpp>

#include <logs/file_follow.hpp>
#include <logs/intake.hpp>
#include <logs/line.hpp>
#include <logs/options.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace crashpilot::logs {

struct SourceStatus {
  SourceSpec spec;
  bool following = false; // a file is open, or a stream is attached and not at its end
  std::string problem;    // why not, or a read error; "" when all is well
  IntakeCounters lines;
  FileCounters file;
  uint64_t tee_dropped = 0; // output bytes the terminal could not take in time
  std::optional<TimePoint> last_line;
  std::optional<TimePoint> last_heartbeat;
};

class Follower {
public:
  // Compiles each source's patterns; errors name the configuration key.
  static util::Expected<Follower> create(Options options);

  Follower(Follower&&) noexcept;
  Follower& operator=(Follower&&) noexcept;
  ~Follower(); // stop()

  // Starts the thread: files are opened (at their end unless `start = "start"`) and followed.
  util::Expected<void> start();
  // Stops the thread; waits at most `grace` for it.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));
  bool running() const;

  // Whether a source is declared for the server's "stdout" / "stderr".
  bool follows_stream(std::string_view stream) const;
  // Follows the read end of the server's "stdout" or "stderr" pipe with the source declared for
  // it, copying the bytes to `tee_fd` (-1: no copy; the descriptor is duplicated). A second call
  // replaces the first pipe (a restarted server); lines already kept stay.
  util::Expected<void> attach_stream(std::string_view stream, util::Fd fd, int tee_fd = -1);

  // Reads everything there is to read now, and with `flush_partial_lines` hands out unfinished
  // last lines too (after a crash nothing will finish them). False when the thread did not
  // answer within `timeout` or is not running.
  bool sync(std::chrono::milliseconds timeout, bool flush_partial_lines = false);

  // Kept lines of every source (per source oldest first, sources in configuration order), or of
  // one source.
  std::vector<Line> snapshot() const;
  std::vector<Line> snapshot(std::string_view source) const;
  std::vector<SourceStatus> status() const;
  const Options& options() const;

  // When a line matching the source's heartbeat expression last arrived; nullopt when none has
  // (or the source has no heartbeat, or does not exist).
  std::optional<TimePoint> last_match_time(std::string_view source) const;
  // Lines matching freeze_regex so far, and the last one.
  uint64_t freeze_count() const;
  std::optional<FreezeEvent> last_freeze() const;
  // Called on the follower thread for each freeze line: keep it short. Set before start().
  void on_freeze(std::function<void(const FreezeEvent&)> callback);

  struct State;

private:
  explicit Follower(std::shared_ptr<State> state);

  std::shared_ptr<State> m_state;
  std::jthread m_thread;
};

} // namespace crashpilot::logs
