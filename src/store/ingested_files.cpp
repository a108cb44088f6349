// SPDX-License-Identifier: MIT
// The report files `crashpilot watch` has ingested. Kept in the store, beside the crashes they
// produced, so "ingested once, also across a restart" holds as long as the history does.
#include <store/store.hpp>

namespace crashpilot::store {

util::Expected<bool> Store::file_ingested(const std::string& path, int64_t size,
                                          int64_t mtime_ns) const {
  auto stmt = m_db->prepare(
      "SELECT count(*) FROM ingested_files WHERE path = ? AND size = ? AND mtime_ns = ?");
  if (!stmt) {
    return util::error(stmt.error());
  }
  auto row = stmt->bind(1, path).bind(2, size).bind(3, mtime_ns).step();
  if (!row) {
    return util::error(row.error());
  }
  return *row && stmt->column_int(0) > 0;
}

util::Expected<void> Store::mark_file_ingested(const std::string& path, int64_t size,
                                               int64_t mtime_ns, int64_t crashes, Time now) {
  auto stmt = m_db->prepare(
      "INSERT INTO ingested_files(path, size, mtime_ns, crashes, time) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
      "crashes = excluded.crashes, time = excluded.time");
  if (!stmt) {
    return util::error(stmt.error());
  }
  return stmt->bind(1, path).bind(2, size).bind(3, mtime_ns).bind(4, crashes).bind(5, now).run();
}

} // namespace crashpilot::store
