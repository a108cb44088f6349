// SPDX-License-Identifier: MIT
#pragma once

// The two shapes most store queries take, shared by the files that write and read rows.

#include <fmt/format.h>
#include <store/sqlite.hpp>

#include <string_view>
#include <vector>

namespace crashpilot::store {

// Runs a write statement in its own transaction; fails when it changed no row (an unknown id).
template <typename Bind>
util::Expected<void> write_one(const Db& db, std::string_view sql, Bind bind,
                               std::string_view missing) {
  auto stmt = db.prepare(sql);
  if (!stmt) {
    return util::error(stmt.error());
  }
  bind(*stmt);
  if (auto r = stmt->run(); !r) {
    return r;
  }
  if (db.changes() == 0) {
    return util::error(fmt::format("store {}: {}", db.path(), missing));
  }
  return {};
}

template <typename T, typename Read>
util::Expected<std::vector<T>> read_all(Statement& stmt, Read read) {
  std::vector<T> out;
  while (true) {
    auto row = stmt.step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      return out;
    }
    out.push_back(read(stmt));
  }
}

} // namespace crashpilot::store
