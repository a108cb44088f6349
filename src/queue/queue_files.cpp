// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/string.hpp>

#include <fcntl.h>
#include <fmt/format.h>
#include <queue/clock.hpp>
#include <queue/ids.hpp>
#include <queue/queue_files.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace crashpilot::queue::detail {

namespace fs = std::filesystem;

void fsync_dir(const std::string& dir) {
  util::Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) {
    ::fsync(fd.get()); // best effort, as in AtomicFile
  }
}

std::string parent_of(const std::string& path) {
  return fs::path(path).parent_path().string();
}

// rename(2) plus fsync of both directories, so the move survives a power cut.
util::Expected<void> move_file(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return util::error(fmt::format("{}: cannot move to {}: {}", from, to, std::strerror(errno)));
  }
  fsync_dir(parent_of(to));
  if (parent_of(to) != parent_of(from)) {
    fsync_dir(parent_of(from));
  }
  return {};
}

util::Expected<json> read_json(const std::string& path) {
  auto text = util::read_file(path, {.max_bytes = size_t{64} << 20});
  if (!text) {
    return util::error(text.error());
  }
  try {
    return json::parse(*text);
  } catch (const json::exception& e) {
    return util::error(fmt::format("{}: {}", path, e.what()));
  }
}

util::Expected<void> write_json(const std::string& path, const json& j) {
  return util::write_file_atomic(path, j.dump(2) + "\n");
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

util::Expected<void> check_id(const std::string& id) {
  if (!is_valid_id(id)) {
    return util::error(fmt::format("'{}' is not a valid request id ([A-Za-z0-9_-]{{1,64}})", id));
  }
  return {};
}

// request_{id}.json -> id; "" for anything else (leases, temporary files, other names).
std::string request_id_of(const std::string& name) {
  constexpr std::string_view prefix = "request_";
  constexpr std::string_view suffix = ".json";
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return "";
  }
  std::string id = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  return is_valid_id(id) ? id : "";
}

// Seed requests have no `attempt` object: they are attempt 1.
int64_t attempt_number(const json& request) {
  auto it = request.find("attempt");
  return it != request.end() && it->is_object() ? it->value("number", int64_t{1}) : int64_t{1};
}

json claim_record(const Lease& l) {
  return {{"lease_id", l.lease_id},
          {"holder", l.holder},
          {"pid", l.pid},
          {"host", l.host},
          {"claimed_at", iso_utc(l.claimed_at)},
          {"expires_at", iso_utc(l.expires_at)}};
}

} // namespace crashpilot::queue::detail
