// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <store/raw_report.hpp>
#include <store/schema.hpp>
#include <store/store.hpp>

#include <chrono>
#include <thread>

namespace crashpilot::store {

std::string_view to_string(BucketStatus status) {
  switch (status) {
  case BucketStatus::open:
    return "open";
  case BucketStatus::fixing:
    return "fixing";
  case BucketStatus::fixed:
    return "fixed";
  case BucketStatus::regressed:
    return "regressed";
  case BucketStatus::ignored:
    return "ignored";
  }
  return "open";
}

std::optional<BucketStatus> bucket_status_from_string(std::string_view s) {
  for (BucketStatus st : {BucketStatus::open, BucketStatus::fixing, BucketStatus::fixed,
                          BucketStatus::regressed, BucketStatus::ignored}) {
    if (to_string(st) == s) {
      return st;
    }
  }
  return std::nullopt;
}

Time now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

util::Expected<Store> Store::open(const std::string& path, Options options) {
  auto opened = Db::open(path);
  if (!opened) {
    return util::error(opened.error());
  }
  auto db = std::make_unique<Db>(std::move(*opened));
  // First, so that even the pragmas below wait for another process's lock instead of failing.
  db->set_busy_timeout(options.busy_timeout_ms);
  if (auto r = db->exec("PRAGMA foreign_keys = ON"); !r) {
    return util::error(r.error());
  }
  // The first statement that reads the file: a file that is not a SQLite database (or whose header
  // is damaged) fails here, and the message names the path.
  if (auto probe = db->query_int("SELECT count(*) FROM sqlite_master"); !probe) {
    return util::error(db->error("cannot read it as a crashpilot store"));
  }
  // WAL lets readers (the CLI, the dashboard) run while a writer records. Switching the mode needs
  // the database to itself and SQLite does not call the busy handler for it, so when several
  // processes open a new store at once, retry within the busy timeout ourselves.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
  while (true) {
    auto mode = db->query_int("PRAGMA journal_mode = WAL");
    if (mode) {
      break;
    }
    if (mode.error().find("locked") == std::string::npos || std::chrono::steady_clock::now() >= deadline) {
      return util::error(mode.error());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // NORMAL is safe in WAL mode (no corruption on power loss; at worst the last commits are lost).
  if (auto r = db->exec("PRAGMA synchronous = NORMAL"); !r) {
    return util::error(r.error());
  }
  if (auto r = migrate(*db); !r) {
    return util::error(r.error());
  }
  return Store(std::move(db), std::move(options));
}

util::Expected<std::string> Store::raw_report(const std::string& sha1) const {
  return get_raw_report(*m_db, sha1);
}

} // namespace crashpilot::store
