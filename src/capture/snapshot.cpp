// SPDX-License-Identifier: MIT
#include <capture/locks.hpp>
#include <capture/proc.hpp>
#include <capture/snapshot.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace crashpilot::capture {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::microseconds since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t);
}

} // namespace

util::Expected<Snapshot> take_snapshot(Frozen& frozen, pid_t focus_tid,
                                       const SnapshotOptions& options) {
  Snapshot snap;
  snap.pid = frozen.pid();
  snap.focus_tid = focus_tid;
  snap.problems = frozen.problems();

  // While stopped: registers and stacks (unwind), names and blocking syscalls.
  auto unwind_start = Clock::now();
  auto session = symbolize::Session::attach_stopped(
      frozen.pid(), symbolize::SessionOptions{options.debug_dirs, options.debug_cache_dir});
  if (!session) {
    frozen.release();
    return util::error(fmt::format("cannot read process {}: {}", frozen.pid(), session.error()));
  }
  auto raw = session->unwind(options.limits);
  std::map<pid_t, WaitFacts> waits;
  std::map<pid_t, std::string> names;
  for (pid_t tid : frozen.threads()) {
    names[tid] = thread_name(frozen.pid(), tid);
    waits[tid] = wait_facts(frozen.pid(), tid);
  }
  if (raw) {
    session->prepare_for_release(*raw);
  }
  snap.unwind = since(unwind_start);
  snap.frozen = frozen.release();
  if (!raw) {
    return util::error(fmt::format("cannot unwind process {}: {}", frozen.pid(), raw.error()));
  }

  // Released: the process runs on (or dies) while we read DWARF.
  auto symbolize_start = Clock::now();
  std::vector<pid_t> tids;
  for (const auto& rt : *raw) {
    model::Thread t = session->symbolize(rt);
    t.name = names.count(rt.tid) ? names[rt.tid] : std::string();
    t.crashing = rt.tid == focus_tid;
    if (!rt.error.empty()) {
      snap.problems.push_back(fmt::format("thread {}: {}", rt.tid, rt.error));
    }
    if (rt.truncated) {
      snap.problems.push_back(
          fmt::format("thread {}: stack cut at {} frames", rt.tid, options.limits.max_frames));
    }
    classify_wait(t, waits[rt.tid]);
    snap.threads.push_back(std::move(t));
  }
  std::stable_sort(snap.threads.begin(), snap.threads.end(),
                   [](const model::Thread& a, const model::Thread& b) {
                     if (a.crashing != b.crashing) {
                       return a.crashing;
                     }
                     return std::stol(a.id) < std::stol(b.id);
                   });
  for (auto& t :
       snap.threads) { // an owner read from memory counts only when it is one of the threads
    bool known = std::any_of(snap.threads.begin(), snap.threads.end(),
                             [&](const model::Thread& o) { return o.id == t.lock_owner; });
    if (!known) {
      t.lock_owner.clear();
    }
  }
  snap.modules = session->modules();
  snap.build_id = session->main_build_id();
  snap.symbolize = since(symbolize_start);
  return snap;
}

} // namespace crashpilot::capture
