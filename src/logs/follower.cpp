// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <logs/follower.hpp>
#include <logs/inotify.hpp>
#include <logs/stream_follow.hpp>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <mutex>

namespace crashpilot::logs {

namespace {

using Clock = std::chrono::system_clock;
constexpr auto k_tick = std::chrono::seconds(1);
// Bytes read per source per turn of the loop, so one busy source cannot starve the others.
constexpr size_t k_turn_budget = size_t{4} << 20;

struct Slot {
  SourceSpec spec;
  Matcher matcher;
  std::unique_ptr<Intake> intake;
  std::unique_ptr<FileFollow> file;     // file sources
  std::unique_ptr<StreamFollow> stream; // stream sources, once attached
};

struct Published {
  bool following = false;
  std::string problem;
  FileCounters file;
  uint64_t tee_dropped = 0;
};

struct Attach {
  size_t slot;
  std::unique_ptr<StreamFollow> stream;
};

} // namespace

struct Follower::State {
  Options options;
  Inotify inotify;                          // before the slots: their files release watches
  std::vector<std::unique_ptr<Slot>> slots; // fixed at create()
  uint64_t seq = 0;                         // the thread's line counter
  util::Fd wake;                            // eventfd: stop, attach, sync

  mutable std::mutex mutex; // everything below
  std::condition_variable cv;
  std::vector<Attach> attaches;
  std::vector<Published> published;
  uint64_t sync_requested = 0;
  uint64_t sync_done = 0;
  bool flush_requested = false;
  bool started = false;
  bool exited = false;
  std::atomic<bool> stop{false};
  std::optional<FreezeEvent> last_freeze;
  uint64_t freezes = 0;
  std::function<void(const FreezeEvent&)> on_freeze;

  void signal() const {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake.get(), &one, sizeof one);
  }

  void run();
  void publish();
  void drain_inotify(Clock::time_point now);
  void take_freezes();
  void sync_all(bool flush);
};

void Follower::State::publish() {
  std::vector<Published> p(slots.size());
  for (size_t i = 0; i < slots.size(); ++i) {
    const Slot& s = *slots[i];
    if (s.file) {
      p[i].following = s.file->following();
      p[i].problem = s.file->problem();
      p[i].file = s.file->counters();
    } else if (s.stream) {
      p[i].following = s.stream->open();
      p[i].problem = s.stream->problem();
      p[i].tee_dropped = s.stream->tee().dropped();
    } else {
      p[i].problem = "no stream attached";
    }
  }
  std::lock_guard lock(mutex);
  published = std::move(p);
}

void Follower::State::drain_inotify(Clock::time_point now) {
  bool ok = inotify.drain([&](int wd, uint32_t mask, std::string_view name) {
    if (mask & IN_Q_OVERFLOW) {
      for (auto& s : slots) {
        if (s->file) {
          s->file->tick(now); // events were lost: look at everything again
        }
      }
      return;
    }
    for (auto& s : slots) {
      if (!s->file) {
        continue;
      }
      s->file->on_directory_event(wd, mask, name, now);
      s->file->on_inode_event(wd, mask);
    }
  });
  (void)ok; // a failing inotify read leaves the once-a-second check to do the work
}

void Follower::State::take_freezes() {
  for (auto& s : slots) {
    auto events = s->intake->take_freezes();
    if (events.empty()) {
      continue;
    }
    std::function<void(const FreezeEvent&)> callback;
    {
      std::lock_guard lock(mutex);
      freezes += events.size();
      last_freeze = events.back();
      callback = on_freeze;
    }
    if (callback) {
      for (const auto& e : events) {
        callback(e);
      }
    }
  }
}

void Follower::State::sync_all(bool flush) {
  auto now = Clock::now();
  for (auto& s : slots) {
    if (s->file) {
      s->file->tick(now);
    }
  }
  // Read until every source is at its end; a writer faster than the reading cannot keep this
  // going for ever, the rounds are bounded.
  for (int round = 0; round < 64; ++round) {
    bool more = false;
    now = Clock::now();
    for (auto& s : slots) {
      if (s->file) {
        more |= s->file->read(k_turn_budget, now);
      } else if (s->stream) {
        more |= s->stream->read(k_turn_budget, now);
      }
    }
    if (!more) {
      break;
    }
  }
  if (flush) {
    for (auto& s : slots) {
      if (s->file) {
        s->file->flush_partial();
      } else if (s->stream) {
        s->stream->flush_partial();
      }
    }
  }
  take_freezes();
}

void Follower::State::run() {
  // A tee target whose reader went away must give EPIPE here, not kill crashpilot.
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);
  pthread_setname_np(pthread_self(), "crashpilot-logs"); // for top -H, perf, gdb

  auto now = Clock::now();
  for (auto& s : slots) {
    if (s->file) {
      s->file->attach(now);
    }
  }
  publish();
  auto next_tick = now + k_tick;
  bool more = true; // files followed from their start have lines to read right away
  std::vector<pollfd> fds;
  std::vector<size_t> fd_slot;
  while (!stop.load()) {
    {
      std::vector<Attach> fresh;
      {
        std::lock_guard lock(mutex);
        fresh.swap(attaches);
      }
      for (auto& a : fresh) {
        Slot& s = *slots[a.slot];
        if (s.stream) {
          s.stream->read(SIZE_MAX, Clock::now()); // the old pipe's last words
          s.stream->flush_partial();
        }
        s.stream = std::move(a.stream);
      }
      if (!fresh.empty()) {
        publish();
      }
    }
    fds.clear();
    fd_slot.clear();
    fds.push_back({wake.get(), POLLIN, 0});
    fds.push_back({inotify.fd(), POLLIN, 0});
    for (size_t i = 0; i < slots.size(); ++i) {
      StreamFollow* st = slots[i]->stream.get();
      if (st == nullptr) {
        continue;
      }
      short events = 0;
      if (st->open()) {
        events |= POLLIN;
      }
      if (st->tee().pending()) {
        events |= POLLOUT;
      }
      if (events == 0) {
        continue;
      }
      // A stream and its tee are two descriptors; the tee's POLLOUT is polled on its own entry.
      if (st->open()) {
        fds.push_back({st->fd(), POLLIN, 0});
        fd_slot.push_back(i);
      }
      if (st->tee().pending()) {
        fds.push_back({st->tee().fd(), POLLOUT, 0});
        fd_slot.push_back(i);
      }
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - Clock::now());
    int timeout = more ? 0 : static_cast<int>(std::clamp<int64_t>(wait.count() + 1, 0, 1000));
    int ready = ::poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno != EINTR) {
      break; // cannot happen with valid descriptors; leave rather than spin
    }
    if (fds[0].revents & POLLIN) {
      uint64_t count = 0;
      [[maybe_unused]] ssize_t n = ::read(wake.get(), &count, sizeof count);
    }
    if (stop.load()) {
      break;
    }
    now = Clock::now();
    if (fds[1].revents & POLLIN) {
      drain_inotify(now);
    }
    more = false;
    for (size_t k = 2; k < fds.size(); ++k) {
      Slot& s = *slots[fd_slot[k - 2]];
      if (!s.stream) {
        continue;
      }
      if ((fds[k].events & POLLIN) && (fds[k].revents & (POLLIN | POLLHUP | POLLERR))) {
        more |= s.stream->read(k_turn_budget, now);
      }
      if ((fds[k].events & POLLOUT) && (fds[k].revents & (POLLOUT | POLLERR | POLLHUP))) {
        s.stream->tee().flush();
      }
    }
    for (auto& s : slots) {
      if (s->file) {
        more |= s->file->read(k_turn_budget, now);
      }
    }
    take_freezes();

    bool flush = false;
    uint64_t requested = 0;
    {
      std::lock_guard lock(mutex);
      requested = sync_requested;
      flush = flush_requested;
    }
    if (requested > sync_done) {
      sync_all(flush);
      publish();
      std::lock_guard lock(mutex);
      sync_done = requested;
      flush_requested = false;
      cv.notify_all();
    }
    if (now >= next_tick) {
      for (auto& s : slots) {
        if (s->file) {
          s->file->tick(now);
        }
        s->intake->expire(now);
      }
      publish();
      next_tick = now + k_tick;
      more = true; // tick() marked the files: read them
    }
  }
  std::lock_guard lock(mutex);
  exited = true;
  cv.notify_all();
}

Follower::Follower(std::shared_ptr<State> state) : m_state(std::move(state)) {}
Follower::Follower(Follower&&) noexcept = default;

Follower& Follower::operator=(Follower&& other) noexcept {
  if (this != &other) {
    stop();
    m_state = std::move(other.m_state);
    m_thread = std::move(other.m_thread);
  }
  return *this;
}

Follower::~Follower() {
  stop();
}

util::Expected<Follower> Follower::create(Options options) {
  auto inotify = Inotify::create();
  if (!inotify) {
    return util::error(inotify.error());
  }
  auto state = std::make_shared<State>();
  state->inotify = std::move(*inotify);
  state->wake.reset(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!state->wake.valid()) {
    return util::error(fmt::format("cannot follow logs: eventfd: {}", std::strerror(errno)));
  }
  state->options = std::move(options);
  const Options& o = state->options;
  for (size_t i = 0; i < o.sources.size(); ++i) {
    auto slot = std::make_unique<Slot>();
    slot->spec = o.sources[i];
    std::vector<TaggedPattern> tagged;
    for (size_t k = 0; k < o.error_patterns.size(); ++k) {
      tagged.push_back({o.error_patterns[k], tag_error, fmt::format("logs.error_patterns[{}]", k)});
    }
    for (size_t k = 0; k < o.warn_patterns.size(); ++k) {
      tagged.push_back({o.warn_patterns[k], tag_warn, fmt::format("logs.warn_patterns[{}]", k)});
    }
    tagged.push_back({o.freeze_regex, tag_freeze, "logs.freeze_regex"});
    tagged.push_back(
        {slot->spec.heartbeat, tag_heartbeat, fmt::format("logs.source[{}].heartbeat", i)});
    auto matcher = Matcher::compile(tagged);
    if (!matcher) {
      return util::error(matcher.error());
    }
    slot->matcher = std::move(*matcher);
    slot->intake = std::make_unique<Intake>(slot->spec.name, &slot->matcher, o.limits, &state->seq);
    if (slot->spec.kind == SourceKind::file) {
      slot->file = std::make_unique<FileFollow>(slot->spec, *slot->intake, state->inotify,
                                                o.read_bytes, o.limits.max_line_bytes);
    }
    state->slots.push_back(std::move(slot));
  }
  state->published.resize(state->slots.size());
  return Follower(std::move(state));
}

util::Expected<void> Follower::start() {
  {
    std::lock_guard lock(m_state->mutex);
    if (m_state->started) {
      return util::error("the log follower is already running");
    }
    m_state->started = true;
  }
  std::shared_ptr<State> state = m_state;
  try {
    m_thread = std::jthread([state] { state->run(); });
  } catch (const std::system_error& e) {
    return util::error(fmt::format("cannot start the log follower thread: {}", e.what()));
  }
  return {};
}

void Follower::stop(std::chrono::milliseconds grace) {
  if (!m_state || !m_thread.joinable()) {
    return;
  }
  m_state->stop = true;
  m_state->signal();
  std::unique_lock lock(m_state->mutex);
  bool exited = m_state->cv.wait_for(lock, grace, [&] { return m_state->exited; });
  lock.unlock();
  if (exited) {
    m_thread.join();
  } else {
    // Stuck in a read(2) of a hung file system: it owns a reference to the state and ends on its
    // own.
    m_thread.detach();
  }
}

bool Follower::running() const {
  if (!m_state || !m_thread.joinable()) {
    return false;
  }
  std::lock_guard lock(m_state->mutex);
  return !m_state->exited && !m_state->stop.load();
}

bool Follower::follows_stream(std::string_view stream) const {
  for (const auto& s : m_state->slots) {
    if (s->spec.kind == SourceKind::stream && s->spec.stream == stream) {
      return true;
    }
  }
  return false;
}

util::Expected<void> Follower::attach_stream(std::string_view stream, util::Fd fd, int tee_fd) {
  if (!fd.valid()) {
    return util::error(fmt::format("attach {}: not an open descriptor", stream));
  }
  for (size_t i = 0; i < m_state->slots.size(); ++i) {
    Slot& s = *m_state->slots[i];
    if (s.spec.kind != SourceKind::stream || s.spec.stream != stream) {
      continue;
    }
    auto follow = std::make_unique<StreamFollow>(std::move(fd), tee_fd, *s.intake,
                                                 m_state->options.read_bytes,
                                                 m_state->options.limits.max_line_bytes);
    {
      std::lock_guard lock(m_state->mutex);
      m_state->attaches.push_back({i, std::move(follow)});
    }
    m_state->signal();
    return {};
  }
  return util::error(fmt::format(
      "no [[logs.source]] follows the server's {} (add one with stream = \"{}\")", stream, stream));
}

bool Follower::sync(std::chrono::milliseconds timeout, bool flush_partial_lines) {
  if (!running()) {
    return false;
  }
  std::unique_lock lock(m_state->mutex);
  uint64_t ticket = ++m_state->sync_requested;
  m_state->flush_requested = m_state->flush_requested || flush_partial_lines;
  lock.unlock();
  m_state->signal();
  lock.lock();
  return m_state->cv.wait_for(lock, timeout, [&] {
    return m_state->sync_done >= ticket || m_state->exited;
  }) && m_state->sync_done >= ticket;
}

std::vector<Line> Follower::snapshot() const {
  std::vector<Line> out;
  for (const auto& s : m_state->slots) {
    s->intake->copy_lines(out);
  }
  return out;
}

std::vector<Line> Follower::snapshot(std::string_view source) const {
  std::vector<Line> out;
  for (const auto& s : m_state->slots) {
    if (s->spec.name == source) {
      s->intake->copy_lines(out);
    }
  }
  return out;
}

std::vector<SourceStatus> Follower::status() const {
  std::vector<SourceStatus> out;
  std::lock_guard lock(m_state->mutex);
  for (size_t i = 0; i < m_state->slots.size(); ++i) {
    const Slot& s = *m_state->slots[i];
    SourceStatus st;
    st.spec = s.spec;
    const Published& p = m_state->published[i];
    st.following = p.following;
    st.problem = p.problem;
    st.file = p.file;
    st.tee_dropped = p.tee_dropped;
    st.lines = s.intake->counters();
    st.last_line = s.intake->last_line();
    st.last_heartbeat = s.intake->last_heartbeat();
    out.push_back(std::move(st));
  }
  return out;
}

const Options& Follower::options() const {
  return m_state->options;
}

std::optional<TimePoint> Follower::last_match_time(std::string_view source) const {
  for (const auto& s : m_state->slots) {
    if (s->spec.name == source) {
      return s->intake->last_heartbeat();
    }
  }
  return std::nullopt;
}

uint64_t Follower::freeze_count() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->freezes;
}

std::optional<FreezeEvent> Follower::last_freeze() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->last_freeze;
}

void Follower::on_freeze(std::function<void(const FreezeEvent&)> callback) {
  std::lock_guard lock(m_state->mutex);
  m_state->on_freeze = std::move(callback);
}

} // namespace crashpilot::logs
