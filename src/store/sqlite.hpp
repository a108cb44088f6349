// SPDX-License-Identifier: MIT
#pragma once

// A small RAII layer over the sqlite3 C API: a connection, prepared statements, transactions.
// Why hand-written: the project takes every dependency from Debian bookworm, and none of its listed
// packages is a C++ SQLite wrapper (SQLiteCpp, sqlite_orm, sqlite_modern_cpp are not among them);
// the store needs only prepare/bind/step/column and BEGIN/COMMIT/ROLLBACK, about 200 lines.

#include <util/expected.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace crashpilot::store {

class Db;

// One prepared statement. Bind errors are remembered and reported by the next step()/run(), so call
// sites read as a chain of binds followed by one checked step. Parameter indexes start at 1.
class Statement {
public:
  Statement(sqlite3_stmt* stmt, const Db* db) : m_stmt(stmt), m_db(db) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept
      : m_stmt(std::exchange(other.m_stmt, nullptr)), m_db(other.m_db),
        m_bind_error(std::move(other.m_bind_error)) {}
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, int64_t{value}); }
  Statement& bind(int index, bool value) { return bind(index, int64_t{value ? 1 : 0}); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, const std::optional<int64_t>& value);
  Statement& bind(int index, const std::optional<double>& value);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);

  // true: a row is ready to read; false: the statement is done.
  util::Expected<bool> step();
  // Steps until done, for statements without results.
  util::Expected<void> run();
  // Makes the statement reusable with new bindings.
  void reset();

  int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::string column_blob(int column) const;
  bool column_is_null(int column) const;
  std::optional<int64_t> column_opt_int(int column) const;
  std::optional<double> column_opt_double(int column) const;
  std::optional<std::string> column_opt_text(int column) const;

private:
  void note_bind(int rc, int index);

  sqlite3_stmt* m_stmt = nullptr;
  const Db* m_db = nullptr;
  std::string m_bind_error;
};

struct OpenFlags {
  bool create = true;
  bool read_only = false;
};

// One connection. Not for concurrent use from several threads: give each thread its own Db
// (SQLite's file locks then serialize writers across threads and processes alike).
class Db {
public:
  static util::Expected<Db> open(const std::string& path, OpenFlags flags = {});

  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  Db(Db&& other) noexcept
      : m_db(std::exchange(other.m_db, nullptr)), m_path(std::move(other.m_path)) {}
  Db& operator=(Db&& other) noexcept;
  ~Db();

  util::Expected<Statement> prepare(std::string_view sql) const;
  // Runs one or more statements without parameters (schema, pragmas).
  util::Expected<void> exec(std::string_view sql) const;
  // A single-integer query such as "PRAGMA user_version" or "SELECT count(*) ...".
  util::Expected<int64_t> query_int(std::string_view sql) const;

  int64_t last_insert_rowid() const;
  int64_t changes() const;
  void set_busy_timeout(int milliseconds) const;

  // "store <path>: <what>: <sqlite message>" — every error names the database file.
  std::string error(std::string_view what) const;
  const std::string& path() const { return m_path; }
  sqlite3* handle() const { return m_db; }

private:
  Db(sqlite3* db, std::string path) : m_db(db), m_path(std::move(path)) {}

  sqlite3* m_db = nullptr;
  std::string m_path;
};

// BEGIN ... COMMIT; rolled back on destruction unless commit() succeeded, so an early `return
// error` anywhere inside a stage function leaves the database as it was.
class Transaction {
public:
  enum class Mode {
    deferred,
    // Takes the write lock at BEGIN. Writers use it: in WAL mode a read transaction that later
    // tries to write fails with SQLITE_BUSY_SNAPSHOT at once, without waiting for the busy timeout.
    immediate,
  };

  static util::Expected<Transaction> begin(const Db& db, Mode mode = Mode::immediate);

  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction(Transaction&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  util::Expected<void> commit();

private:
  explicit Transaction(const Db* db) : m_db(db) {}

  const Db* m_db = nullptr; // null once committed or rolled back
};

} // namespace crashpilot::store
