// SPDX-License-Identifier: MIT
// The fix loop's state: where each attempt's patch is in the fix stage, the audit trail, and the
// loop's key/value state. Written so a `crashpilot run` killed at any point finds its work again.
#include <store/rows.hpp>
#include <store/store.hpp>

namespace crashpilot::store {

namespace {

constexpr std::string_view k_fix_columns =
    "attempt, bucket, stage, branch, worktree, base_commit, commit_hash, verdict, risk, "
    "needs_approval, landed_commit, detail, created, updated";

Fix read_fix(const Statement& s) {
  Fix f;
  f.attempt = s.column_int(0);
  f.bucket = s.column_text(1);
  f.stage = s.column_text(2);
  f.branch = s.column_text(3);
  f.worktree = s.column_text(4);
  f.base_commit = s.column_text(5);
  f.commit = s.column_text(6);
  f.verdict = s.column_text(7);
  f.risk = s.column_text(8);
  f.needs_approval = s.column_int(9) != 0;
  f.landed_commit = s.column_text(10);
  f.detail_json = s.column_text(11);
  f.created = s.column_int(12);
  f.updated = s.column_int(13);
  return f;
}

} // namespace

util::Expected<void> Store::put_fix(const Fix& f) {
  return write_one(
      *m_db,
      fmt::format("INSERT OR REPLACE INTO fixes({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                  "?, ?)",
                  k_fix_columns),
      [&](Statement& s) {
        s.bind(1, f.attempt)
            .bind(2, f.bucket)
            .bind(3, f.stage)
            .bind(4, f.branch)
            .bind(5, f.worktree)
            .bind(6, f.base_commit)
            .bind(7, f.commit)
            .bind(8, f.verdict)
            .bind(9, f.risk)
            .bind(10, f.needs_approval)
            .bind(11, f.landed_commit)
            .bind(12, f.detail_json)
            .bind(13, f.created)
            .bind(14, f.updated);
      },
      "fix not stored");
}

util::Expected<std::optional<Fix>> Store::get_fix(int64_t attempt) const {
  auto stmt = m_db->prepare(fmt::format("SELECT {} FROM fixes WHERE attempt = ?", k_fix_columns));
  if (!stmt) {
    return util::error(stmt.error());
  }
  auto all = read_all<Fix>(stmt->bind(1, attempt), read_fix);
  if (!all) {
    return util::error(all.error());
  }
  return all->empty() ? std::nullopt : std::optional<Fix>(all->front());
}

util::Expected<std::vector<Fix>> Store::list_fixes(const std::string& bucket,
                                                   const std::vector<std::string>& stages) const {
  std::string sql =
      fmt::format("SELECT {} FROM fixes WHERE (?1 = '' OR bucket = ?1)", k_fix_columns);
  if (!stages.empty()) {
    sql += " AND stage IN (";
    for (size_t i = 0; i < stages.size(); ++i) {
      sql += fmt::format("{}?{}", i ? ", " : "", i + 2);
    }
    sql += ")";
  }
  sql += " ORDER BY attempt DESC";
  auto stmt = m_db->prepare(sql);
  if (!stmt) {
    return util::error(stmt.error());
  }
  stmt->bind(1, bucket);
  for (size_t i = 0; i < stages.size(); ++i) {
    stmt->bind(static_cast<int>(i + 2), stages[i]);
  }
  return read_all<Fix>(*stmt, read_fix);
}

util::Expected<int64_t> Store::add_audit(const std::string& action, const std::string& bucket,
                                         std::optional<int64_t> attempt, const std::string& detail,
                                         Time now) {
  auto r = write_one(
      *m_db, "INSERT INTO audit(time, action, bucket, attempt, detail) VALUES (?, ?, ?, ?, ?)",
      [&](Statement& s) {
        s.bind(1, now).bind(2, action).bind(3, bucket).bind(4, attempt).bind(5, detail);
      },
      "audit entry not stored");
  if (!r) {
    return util::error(r.error());
  }
  return m_db->last_insert_rowid();
}

util::Expected<std::vector<AuditEntry>> Store::list_audit(int64_t limit) const {
  auto stmt = m_db->prepare(
      "SELECT id, time, action, bucket, attempt, detail FROM audit ORDER BY id DESC LIMIT ?");
  if (!stmt) {
    return util::error(stmt.error());
  }
  return read_all<AuditEntry>(stmt->bind(1, limit), [](const Statement& s) {
    return AuditEntry{s.column_int(0),  s.column_int(1),     s.column_text(2),
                      s.column_text(3), s.column_opt_int(4), s.column_text(5)};
  });
}

util::Expected<void> Store::set_state(const std::string& key, const std::string& value, Time now) {
  return write_one(
      *m_db, "INSERT OR REPLACE INTO loop_state(key, value, updated) VALUES (?, ?, ?)",
      [&](Statement& s) { s.bind(1, key).bind(2, value).bind(3, now); }, "state not stored");
}

util::Expected<std::optional<std::string>> Store::get_state(const std::string& key) const {
  auto stmt = m_db->prepare("SELECT value FROM loop_state WHERE key = ?");
  if (!stmt) {
    return util::error(stmt.error());
  }
  auto all = read_all<std::string>(stmt->bind(1, key),
                                   [](const Statement& s) { return s.column_text(0); });
  if (!all) {
    return util::error(all.error());
  }
  return all->empty() ? std::nullopt : std::optional<std::string>(all->front());
}

util::Expected<int64_t> Store::attempts_since(Time since) const {
  auto stmt = m_db->prepare("SELECT count(*) FROM attempts WHERE started >= ?");
  if (!stmt) {
    return util::error(stmt.error());
  }
  auto all =
      read_all<int64_t>(stmt->bind(1, since), [](const Statement& s) { return s.column_int(0); });
  if (!all) {
    return util::error(all.error());
  }
  return all->empty() ? 0 : all->front();
}

} // namespace crashpilot::store
