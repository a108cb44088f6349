// SPDX-License-Identifier: MIT
#include <capture/server_output.hpp>
#include <fmt/format.h>
#include <logs/context.hpp>
#include <logs/follower.hpp>
#include <unistd.h>

#include <algorithm>

namespace crashpilot::capture {

namespace {

constexpr size_t k_output_tail_lines = 40;

} // namespace

struct ServerOutput::State {
  std::optional<logs::Follower> follower;
  int hang_seconds = 0;
  int tee_stdout = STDOUT_FILENO;
  int tee_stderr = STDERR_FILENO;
  std::chrono::system_clock::time_point run_started;
  uint64_t freezes_at_start = 0;
};

ServerOutput::ServerOutput(std::unique_ptr<State> state) : m_state(std::move(state)) {}
ServerOutput::~ServerOutput() {
  stop();
}

util::Expected<std::unique_ptr<ServerOutput>>
ServerOutput::from_config(const config::Config& cfg, int hang_seconds, int tee_stdout,
                          int tee_stderr, const std::string& cwd) {
  auto options = logs::from_config(cfg, cwd.empty() ? cfg.get_string("server.cwd") : cwd);
  if (!options) {
    return util::error(options.error());
  }
  auto follower = logs::Follower::create(std::move(*options));
  if (!follower) {
    return util::error(follower.error());
  }
  auto st = std::make_unique<State>();
  st->follower.emplace(std::move(*follower));
  st->hang_seconds = hang_seconds;
  st->tee_stdout = tee_stdout;
  st->tee_stderr = tee_stderr;
  if (auto ok = st->follower->start(); !ok) {
    return util::error(ok.error());
  }
  return std::unique_ptr<ServerOutput>(new ServerOutput(std::move(st)));
}

bool ServerOutput::captures_output() const {
  return m_state->follower->follows_stream("stdout") && m_state->follower->follows_stream("stderr");
}

void ServerOutput::attach(Launched& launched) {
  m_state->run_started = std::chrono::system_clock::now();
  m_state->freezes_at_start = m_state->follower->freeze_count();
  if (launched.out.valid()) {
    if (auto ok = m_state->follower->attach_stream("stdout", std::move(launched.out),
                                                   m_state->tee_stdout);
        !ok) {
      fmt::print(stderr, "crashpilot: warning: the server's stdout is not followed: {}\n",
                 ok.error());
    }
  }
  if (launched.err.valid()) {
    if (auto ok = m_state->follower->attach_stream("stderr", std::move(launched.err),
                                                   m_state->tee_stderr);
        !ok) {
      fmt::print(stderr, "crashpilot: warning: the server's stderr is not followed: {}\n",
                 ok.error());
    }
  }
}

std::optional<std::string> ServerOutput::hung() {
  auto& f = *m_state->follower;
  if (f.freeze_count() > m_state->freezes_at_start) {
    auto ev = f.last_freeze();
    return fmt::format("the server's freeze detector fired{}",
                       ev ? ": " + ev->text : std::string());
  }
  if (m_state->hang_seconds <= 0) {
    return std::nullopt;
  }
  auto now = std::chrono::system_clock::now();
  auto limit = std::chrono::seconds(m_state->hang_seconds);
  for (const auto& src : f.options().sources) {
    if (src.heartbeat.empty()) {
      continue;
    }
    // Before the first heartbeat the run's start counts: a server that hangs during start-up hangs.
    auto last = f.last_match_time(src.name).value_or(m_state->run_started);
    last = std::max(last, m_state->run_started);
    if (now - last > limit) {
      return fmt::format("no line matching '{}' in {} for {} s", src.heartbeat, src.name,
                         m_state->hang_seconds);
    }
  }
  return std::nullopt;
}

void ServerOutput::fill(Incident& incident) {
  auto& f = *m_state->follower;
  f.sync(std::chrono::milliseconds(500), true); // what the server printed up to its death
  incident.context = logs::crash_context(f, incident.time);
  std::vector<logs::Line> lines;
  for (const char* stream : {"stdout", "stderr"}) {
    auto part = f.snapshot(stream);
    lines.insert(lines.end(), part.begin(), part.end());
  }
  // This run's lines only, in reading order; the last few.
  std::erase_if(lines, [&](const logs::Line& l) { return l.arrival < m_state->run_started; });
  std::sort(lines.begin(), lines.end(),
            [](const logs::Line& a, const logs::Line& b) { return a.seq < b.seq; });
  size_t from = lines.size() > k_output_tail_lines ? lines.size() - k_output_tail_lines : 0;
  incident.output_tail.clear();
  for (size_t i = from; i < lines.size(); ++i) {
    incident.output_tail.push_back(lines[i].text);
  }
}

void ServerOutput::stop() {
  if (m_state && m_state->follower) {
    m_state->follower->stop();
  }
}

} // namespace crashpilot::capture
