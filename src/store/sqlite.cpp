// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <sqlite3.h>
#include <store/sqlite.hpp>

#include <cstdint>

namespace crashpilot::store {

namespace {

// SQLITE_TRANSIENT is an old-style cast in sqlite3.h; the same value, spelled for -Wold-style-cast.
// SQLite then copies bound text, so temporaries may be bound safely.
sqlite3_destructor_type transient() {
  return reinterpret_cast<sqlite3_destructor_type>(intptr_t{-1});
}

std::string sql_head(std::string_view sql) {
  std::string head(sql.substr(0, 60));
  for (char& c : head) {
    if (c == '\n') {
      c = ' ';
    }
  }
  return sql.size() > 60 ? head + "..." : head;
}

} // namespace

// --- Statement -----------------------------------------------------------------------------------

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(m_stmt);
    m_stmt = std::exchange(other.m_stmt, nullptr);
    m_db = other.m_db;
    m_bind_error = std::move(other.m_bind_error);
  }
  return *this;
}

Statement::~Statement() {
  sqlite3_finalize(m_stmt);
}

void Statement::note_bind(int rc, int index) {
  if (rc != SQLITE_OK && m_bind_error.empty()) {
    m_bind_error = m_db->error(
        fmt::format("binding parameter {} of \"{}\"", index, sql_head(sqlite3_sql(m_stmt))));
  }
}

Statement& Statement::bind(int index, int64_t value) {
  note_bind(sqlite3_bind_int64(m_stmt, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  note_bind(sqlite3_bind_double(m_stmt, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  note_bind(sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), transient(), SQLITE_UTF8),
            index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<double>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  note_bind(sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), transient()), index);
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(m_stmt, index), index);
  return *this;
}

util::Expected<bool> Statement::step() {
  if (!m_bind_error.empty()) {
    return util::error(m_bind_error);
  }
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  std::string message = m_db->error(fmt::format("running \"{}\"", sql_head(sqlite3_sql(m_stmt))));
  sqlite3_reset(m_stmt); // leaves the statement reusable after an error
  return util::error(std::move(message));
}

util::Expected<void> Statement::run() {
  while (true) {
    auto row = step();
    if (!row) {
      return util::error(row.error());
    }
    if (!*row) {
      return {};
    }
  }
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
  m_bind_error.clear();
}

int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(m_stmt, column);
}

double Statement::column_double(int column) const {
  return sqlite3_column_double(m_stmt, column);
}

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(m_stmt, column);
  if (text == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::string Statement::column_blob(int column) const {
  const void* data = sqlite3_column_blob(m_stmt, column);
  if (data == nullptr) {
    return {};
  }
  return std::string(static_cast<const char*>(data),
                     static_cast<size_t>(sqlite3_column_bytes(m_stmt, column)));
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::optional<int64_t> Statement::column_opt_int(int column) const {
  return column_is_null(column) ? std::nullopt : std::optional<int64_t>(column_int(column));
}

std::optional<double> Statement::column_opt_double(int column) const {
  return column_is_null(column) ? std::nullopt : std::optional<double>(column_double(column));
}

std::optional<std::string> Statement::column_opt_text(int column) const {
  return column_is_null(column) ? std::nullopt : std::optional<std::string>(column_text(column));
}

// --- Db ------------------------------------------------------------------------------------------

util::Expected<Db> Db::open(const std::string& path, OpenFlags flags) {
  int mode = flags.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (flags.create && !flags.read_only) {
    mode |= SQLITE_OPEN_CREATE;
  }
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, mode | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(handle, path); // owns the handle even when opening failed (sqlite3 still allocates one)
  if (rc != SQLITE_OK) {
    if (handle == nullptr) {
      return util::error(fmt::format("store {}: cannot open: out of memory", path));
    }
    return util::error(db.error("cannot open"));
  }
  sqlite3_extended_result_codes(handle, 1);
  return db;
}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(m_db);
    m_db = std::exchange(other.m_db, nullptr);
    m_path = std::move(other.m_path);
  }
  return *this;
}

Db::~Db() {
  sqlite3_close_v2(m_db);
}

util::Expected<Statement> Db::prepare(std::string_view sql) const {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return util::error(error(fmt::format("preparing \"{}\"", sql_head(sql))));
  }
  return Statement(stmt, this);
}

util::Expected<void> Db::exec(std::string_view sql) const {
  std::string text(sql); // sqlite3_exec wants a NUL-terminated string
  char* message = nullptr;
  int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return util::error(fmt::format("store {}: running \"{}\": {}", m_path, sql_head(sql), detail));
  }
  return {};
}

util::Expected<int64_t> Db::query_int(std::string_view sql) const {
  auto stmt = prepare(sql);
  if (!stmt) {
    return util::error(stmt.error());
  }
  auto row = stmt->step();
  if (!row) {
    return util::error(row.error());
  }
  if (!*row) {
    return util::error(fmt::format("store {}: \"{}\" returned no row", m_path, sql_head(sql)));
  }
  return stmt->column_int(0);
}

int64_t Db::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(m_db);
}

int64_t Db::changes() const {
  return sqlite3_changes64(m_db);
}

void Db::set_busy_timeout(int milliseconds) const {
  sqlite3_busy_timeout(m_db, milliseconds);
}

std::string Db::error(std::string_view what) const {
  int code = sqlite3_extended_errcode(m_db);
  std::string detail = sqlite3_errmsg(m_db);
  if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT) {
    detail += " (the file is not a SQLite database or is damaged)";
  }
  return fmt::format("store {}: {}: {}", m_path, what, detail);
}

// --- Transaction ---------------------------------------------------------------------------------

util::Expected<Transaction> Transaction::begin(const Db& db, Mode mode) {
  auto r = db.exec(mode == Mode::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!r) {
    return util::error(r.error());
  }
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (m_db != nullptr) {
    // Nothing to report from a destructor; a failed ROLLBACK leaves SQLite to roll back on close.
    sqlite3_exec(m_db->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

util::Expected<void> Transaction::commit() {
  if (m_db == nullptr) {
    return util::error("store: commit of a transaction that is already finished");
  }
  auto r = m_db->exec("COMMIT");
  if (!r) {
    return r; // still open: the destructor rolls it back
  }
  m_db = nullptr;
  return {};
}

} // namespace crashpilot::store
