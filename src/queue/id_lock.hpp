// SPDX-License-Identifier: MIT
#pragma once

// A per-request exclusive lock (flock on in_progress/.lock_{id}). Every change to one request's
// files (claim's lease write, enqueue's count update, reclaim, release, complete) holds it, so a
// count update cannot resurrect a request a claimer just moved, and two reclaimers of one expired
// lease cannot both win. The kernel drops an flock when its holder dies, even by SIGKILL, so a dead
// process never leaves the request locked. Claim itself is still arbitrated by rename(2).

#include <util/expected.hpp>
#include <util/fd.hpp>

#include <string>

namespace crashpilot::queue {

class IdLock {
public:
  // Blocks until the lock on `lock_path` is held.
  static util::Expected<IdLock> acquire(const std::string& lock_path);
  IdLock() = default;
  IdLock(IdLock&&) noexcept = default;
  IdLock& operator=(IdLock&&) noexcept = default;
  ~IdLock() = default; // closing the descriptor releases the flock

private:
  util::Fd m_fd;
};

} // namespace crashpilot::queue
