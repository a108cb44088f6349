// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/string.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <queue/clock.hpp>
#include <queue/id_lock.hpp>
#include <queue/ids.hpp>
#include <queue/queue.hpp>
#include <queue/queue_files.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

namespace crashpilot::queue {

using nlohmann::json;
using namespace detail;
namespace fs = std::filesystem;

util::Expected<std::optional<std::string>>
Queue::find_open_for_bucket(const std::string& bucket_id) const {
  // The bucket's index file names the request enqueue last made for it (written under the bucket
  // lock): one small read instead of parsing every open request, which made enqueue O(open
  // requests).
  auto text = util::read_file(bucket_index_path(bucket_id), {256});
  if (!text) {
    return std::optional<std::string>(); // never enqueued
  }
  std::string id(util::trim(*text));
  if (!is_valid_id(id)) {
    return std::optional<std::string>();
  }
  for (auto name : {k_requests, k_in_progress}) {
    if (exists(request_path(name, id))) {
      return std::optional<std::string>(id);
    }
  }
  return std::optional<std::string>(); // completed or rejected: the next occurrence opens a new one
}

std::string Queue::bucket_index_path(const std::string& bucket_id) const {
  return lock_path("bucket_" + bucket_id) + ".request";
}

util::Expected<EnqueueResult> Queue::enqueue(const RequestInput& input) {
  return enqueue(input, now_unix());
}

util::Expected<EnqueueResult> Queue::enqueue(const RequestInput& input, int64_t now) {
  if (!is_valid_id(input.bucket.id)) {
    return util::error(fmt::format("bucket id '{}' is not a safe token", input.bucket.id));
  }
  // One enqueuer per bucket at a time, so two occurrences arriving together make one request.
  auto bucket_lock = IdLock::acquire(lock_path("bucket_" + input.bucket.id));
  if (!bucket_lock) {
    return util::error(bucket_lock.error());
  }
  auto open_id = find_open_for_bucket(input.bucket.id);
  if (!open_id) {
    return util::error(open_id.error());
  }
  if (*open_id) {
    const std::string& id = **open_id;
    auto lock = IdLock::acquire(lock_path(id));
    if (!lock) {
      return util::error(lock.error());
    }
    // Under the request's lock the file cannot move; look again in case it moved before we locked.
    for (auto name : {k_in_progress, k_requests}) {
      std::string path = request_path(name, id);
      if (!exists(path)) {
        continue;
      }
      auto j = read_json(path);
      if (!j) {
        return util::error(j.error());
      }
      update_occurrences(*j, input.bucket, now);
      add_previous(*j, input.previous);
      if (auto w = write_json(path, *j); !w) {
        return util::error(w.error());
      }
      return EnqueueResult{id, false, path};
    }
    // It completed meanwhile: the new occurrence opens a new request below.
  }
  std::string id;
  do {
    id = random_hex(4); // the seed's 8-hex ids
  } while (exists(request_path(k_requests, id)) || exists(request_path(k_in_progress, id)) ||
           exists(request_path(k_completed, id)));
  json request = build_request(input, id, response_path(id), now, m_options.limits);
  std::string path = request_path(k_requests, id);
  if (auto w = write_json(path, request); !w) {
    return util::error(w.error());
  }
  if (auto w = util::write_file_atomic(bucket_index_path(input.bucket.id), id + "\n", 0600); !w) {
    return util::error(w.error());
  }
  return EnqueueResult{id, true, path};
}

} // namespace crashpilot::queue
