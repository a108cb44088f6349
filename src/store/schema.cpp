// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <store/schema.hpp>

#include <array>

namespace crashpilot::store {

namespace {

// Times are Unix seconds (UTC): cheap to compare and to bucket by day in SQL.
constexpr std::string_view k_v1 = R"sql(
CREATE TABLE buckets (
  signature_id     TEXT PRIMARY KEY,
  signature_text   TEXT NOT NULL,
  signature_frames TEXT NOT NULL,           -- JSON array, for near-signature comparison
  kind             TEXT NOT NULL,
  category         TEXT NOT NULL,
  severity         TEXT NOT NULL,
  crash_function   TEXT NOT NULL,
  crash_location   TEXT NOT NULL,
  is_bot_related   INTEGER NOT NULL,
  status           TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'fixing', 'fixed', 'regressed', 'ignored')),
  first_seen       INTEGER NOT NULL,
  last_seen        INTEGER NOT NULL,
  count            INTEGER NOT NULL,         -- every occurrence ever recorded, trimmed or not
  fixed_by_attempt INTEGER                   -- attempts(id); a plain column, attempts came in v2
);
CREATE INDEX buckets_last_seen ON buckets(last_seen);

-- Near signatures (the same bug seen through a slightly different stack), stored once with a < b.
CREATE TABLE bucket_links (
  a TEXT NOT NULL REFERENCES buckets(signature_id) ON DELETE CASCADE,
  b TEXT NOT NULL REFERENCES buckets(signature_id) ON DELETE CASCADE,
  PRIMARY KEY (a, b),
  CHECK (a < b)
);
CREATE INDEX bucket_links_b ON bucket_links(b);

-- Report texts, content-addressed by the SHA-1 of the full text, zlib-compressed, capped.
CREATE TABLE raw_reports (
  sha1            TEXT PRIMARY KEY,
  original_size   INTEGER NOT NULL,          -- bytes before the cap
  stored_size     INTEGER NOT NULL,          -- bytes after the cap, before compression
  compressed_size INTEGER NOT NULL,
  truncated       INTEGER NOT NULL,
  created         INTEGER NOT NULL,
  data            BLOB NOT NULL
);

CREATE TABLE occurrences (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  bucket      TEXT NOT NULL REFERENCES buckets(signature_id) ON DELETE CASCADE,
  time        INTEGER NOT NULL,
  build_id    TEXT NOT NULL,
  revision    TEXT NOT NULL,
  host        TEXT NOT NULL,
  report_path TEXT NOT NULL,
  raw_sha1    TEXT REFERENCES raw_reports(sha1) ON DELETE SET NULL,  -- NULL once retention dropped it
  crash_json  TEXT NOT NULL,                 -- model::to_json without raw
  log_context TEXT NOT NULL                  -- JSON
);
CREATE INDEX occurrences_bucket_time ON occurrences(bucket, time);
CREATE INDEX occurrences_time ON occurrences(time);
CREATE INDEX occurrences_raw ON occurrences(raw_sha1);

-- Crashes per UTC day (Unix day number), counted at record time: retention trims occurrences, and
-- the history of how often the server crashed must survive that.
CREATE TABLE daily_counts (
  day   INTEGER PRIMARY KEY,
  count INTEGER NOT NULL
);
)sql";

constexpr std::string_view k_v2 = R"sql(
CREATE TABLE analysis_requests (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  bucket   TEXT NOT NULL REFERENCES buckets(signature_id) ON DELETE CASCADE,
  status   TEXT NOT NULL,
  priority INTEGER NOT NULL,
  created  INTEGER NOT NULL,
  updated  INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX analysis_requests_bucket ON analysis_requests(bucket);

CREATE TABLE attempts (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  request  INTEGER NOT NULL REFERENCES analysis_requests(id) ON DELETE CASCADE,
  agent    TEXT NOT NULL,
  started  INTEGER NOT NULL,
  finished INTEGER,
  outcome  TEXT,
  detail   TEXT NOT NULL DEFAULT '',
  cost     REAL
);
CREATE INDEX attempts_request ON attempts(request);

CREATE TABLE responses (
  attempt        INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
  schema_version INTEGER NOT NULL,
  json           TEXT NOT NULL
);

CREATE TABLE patches (
  attempt INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
  diff    TEXT NOT NULL,
  files   TEXT NOT NULL,                     -- JSON array of paths
  lines   INTEGER NOT NULL
);

CREATE TABLE verdicts (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  attempt INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
  verdict TEXT NOT NULL,
  detail  TEXT NOT NULL,
  time    INTEGER NOT NULL
);
CREATE INDEX verdicts_attempt ON verdicts(attempt);
)sql";

// Report files `crashpilot watch` has ingested, so a restart does not ingest them again. A file is
// the same report while its path, size and modification time are unchanged.
constexpr std::string_view k_v3 = R"sql(
CREATE TABLE ingested_files (
  path     TEXT PRIMARY KEY,
  size     INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  crashes  INTEGER NOT NULL,                 -- crashes recorded from it (0: it held none)
  time     INTEGER NOT NULL
);
)sql";

// The fix loop's state, so `crashpilot run` killed at any point resumes where it was: one row per
// attempt that produced a patch (its stage, branch, worktree, verdict), an audit trail of every
// action, and the loop's own key/value state.
constexpr std::string_view k_v4 = R"sql(
CREATE TABLE fixes (
  attempt        INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
  bucket         TEXT NOT NULL,
  stage          TEXT NOT NULL,
  branch         TEXT NOT NULL DEFAULT '',
  worktree       TEXT NOT NULL DEFAULT '',
  base_commit    TEXT NOT NULL DEFAULT '',
  commit_hash    TEXT NOT NULL DEFAULT '',
  verdict        TEXT NOT NULL DEFAULT '',
  risk           TEXT NOT NULL DEFAULT '',
  needs_approval INTEGER NOT NULL DEFAULT 0,
  landed_commit  TEXT NOT NULL DEFAULT '',
  detail         TEXT NOT NULL DEFAULT '{}',   -- JSON: gate findings, build errors, runs, timings
  created        INTEGER NOT NULL,
  updated        INTEGER NOT NULL
);
CREATE INDEX fixes_bucket ON fixes(bucket);
CREATE INDEX fixes_stage ON fixes(stage);

CREATE TABLE audit (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  time    INTEGER NOT NULL,
  action  TEXT NOT NULL,
  bucket  TEXT NOT NULL DEFAULT '',
  attempt INTEGER,
  detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_time ON audit(time);

CREATE TABLE loop_state (
  key     TEXT PRIMARY KEY,
  value   TEXT NOT NULL,
  updated INTEGER NOT NULL
);
)sql";

constexpr std::array k_migrations{
    Migration{1, k_v1},
    Migration{2, k_v2},
    Migration{3, k_v3},
    Migration{4, k_v4},
};

util::Expected<bool> has_version_table(const Db& db) {
  auto n = db.query_int(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!n) {
    return util::error(n.error());
  }
  return *n > 0;
}

util::Expected<void> set_version(const Db& db, int version) {
  auto r = db.exec("DELETE FROM schema_version");
  if (!r) {
    return r;
  }
  auto stmt = db.prepare("INSERT INTO schema_version(version) VALUES (?)");
  if (!stmt) {
    return util::error(stmt.error());
  }
  return stmt->bind(1, version).run();
}

} // namespace

std::span<const Migration> migrations() {
  return k_migrations;
}

int latest_schema_version() {
  return k_migrations.back().version;
}

util::Expected<int> schema_version(const Db& db) {
  auto has = has_version_table(db);
  if (!has) {
    return util::error(has.error());
  }
  if (!*has) {
    return 0;
  }
  auto v = db.query_int("SELECT coalesce(max(version), 0) FROM schema_version");
  if (!v) {
    return util::error(v.error());
  }
  return static_cast<int>(*v);
}

util::Expected<void> migrate(const Db& db) {
  // The common case, a database already current, costs one read and takes no write lock.
  if (auto v = schema_version(db); v && *v == latest_schema_version()) {
    return {};
  }
  for (const Migration& m : k_migrations) {
    // The version is read inside the write transaction, so two processes opening a new database at
    // once apply each migration once: the second waits for the lock, then sees it done.
    auto tx = Transaction::begin(db);
    if (!tx) {
      return util::error(tx.error());
    }
    auto current = schema_version(db);
    if (!current) {
      return util::error(current.error());
    }
    if (*current > latest_schema_version()) {
      return util::error(
          fmt::format("store {}: schema version {} is newer than this crashpilot knows ({}); "
                      "use a newer crashpilot or another store file",
                      db.path(), *current, latest_schema_version()));
    }
    if (*current >= m.version) {
      continue; // the transaction rolls back: nothing was written
    }
    if (*current == 0) {
      auto r = db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      if (!r) {
        return r;
      }
    }
    if (auto r = db.exec(m.sql); !r) {
      return util::error(fmt::format("{} (migration to schema version {})", r.error(), m.version));
    }
    if (auto r = set_version(db, m.version); !r) {
      return r;
    }
    if (auto r = tx->commit(); !r) {
      return r;
    }
  }
  return {};
}

} // namespace crashpilot::store
