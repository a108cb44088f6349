// SPDX-License-Identifier: MIT
#pragma once

// The store's schema as an ordered list of migrations. A database records the last one applied in
// `schema_version`; opening applies the missing ones, each in its own transaction, and refuses a
// database written by a newer crashpilot (its tables may mean things this version does not know).

#include <util/expected.hpp>

#include <store/sqlite.hpp>

#include <span>
#include <string_view>

namespace crashpilot::store {

struct Migration {
  int version;          // 1, 2, ... in order
  std::string_view sql; // statements run inside the migration's transaction
};

// Every migration this build knows, oldest first. Never edit one that has shipped: append a new
// one.
std::span<const Migration> migrations();
int latest_schema_version();

// The version recorded in `db` (0 for a new, empty database).
util::Expected<int> schema_version(const Db& db);

// Brings `db` to latest_schema_version(). Safe when several processes open a new database at once:
// each migration re-reads the version under the write lock before applying.
util::Expected<void> migrate(const Db& db);

} // namespace crashpilot::store
