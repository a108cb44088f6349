// SPDX-License-Identifier: MIT
// Ingest throughput and store size against the sqlite3 shell inserting the same rows, in the same
// run.
//
// Input (generated, deterministic): N reports (--reports N, default 10,000) made from the fixture
// reports in tests/data/crashes, varied so they form many buckets with repeats (variants.cpp).
//
//   crashpilot ingest (in process): per report parse + triage, then per crash Store::record
//   (is_near
//     = triage::is_near at the configured threshold) and Queue::enqueue, into a fresh store and
//     queue directory; the WAL checkpoint at the end is timed too. Reports/s, store bytes (db + wal
//     after the checkpoint) per report, queue directory bytes.
//   sqlite3 (process): `sqlite3 DB < script.sql` inserting one row per recorded crash (signature
//     id, time, the crash JSON as the store keeps it, the raw report text) into one table, with the
//     store's pragmas (WAL, synchronous=NORMAL); once with the whole script in one transaction,
//     once with a transaction per row. Store::record commits each crash in its own transaction, so
//     the per-row variant is the like-for-like one; the single transaction is the floor.
//
// Google Benchmark runs each of the three once (Iterations(1), UseManualTime): one run is 10,000
// reports and many seconds long, so repetitions would only multiply the run time. The ratios are
// printed after the table.
#include <config/config.hpp>
#include <model/json.hpp>
#include <parse/parser.hpp>
#include <triage/signature.hpp>
#include <triage/triage.hpp>
#include <util/temp_dir.hpp>

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <queue/policy.hpp>
#include <queue/queue.hpp>
#include <spawn.h>
#include <store/store.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string_view>

#include "variants.hpp"

extern char** environ;

namespace {

using namespace crashpilot;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

const config::Config& configuration() {
  static std::unique_ptr<config::Config> cfg = [] {
    config::LoadOptions o;
    o.search_default_file = false;
    auto c = config::Config::load(o);
    if (!c) {
      fmt::print(stderr, "config: {}\n", c.error());
      std::exit(1);
    }
    return std::make_unique<config::Config>(std::move(*c));
  }();
  return *cfg;
}

const triage::Rules& rules() {
  static triage::Rules compiled = [] {
    auto r = triage::Rules::from_config(configuration());
    if (!r) {
      fmt::print(stderr, "rules: {}\n", r.error());
      std::exit(1);
    }
    return std::move(r.value());
  }();
  return compiled;
}

// One row of the sqlite3 reference: what Store::record keeps of one crash, uncompressed.
struct Row {
  std::string signature;
  store::Time time = 0;
  std::string crash_json;
  const std::string* raw = nullptr; // the report's text
};

struct World {
  std::string dir; // scratch root for everything the run writes
  std::vector<bench::Report> reports;
  std::vector<Row> rows;
  size_t report_bytes = 0;
  size_t buckets_expected = 0; // distinct signatures among the rows
  size_t max_bucket_count = 0;
  std::string script_one_tx;
  std::string script_per_row;
  bool have_sqlite3 = false;
};

World& world() {
  static World w;
  return w;
}

uint64_t tree_bytes(const std::string& path, size_t* files = nullptr) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(path, ec)) {
    if (e.is_regular_file(ec)) {
      total += e.file_size(ec);
      if (files) {
        ++*files;
      }
    }
  }
  return total;
}

uint64_t file_bytes(const std::string& path) {
  std::error_code ec;
  auto n = fs::file_size(path, ec);
  return ec ? 0 : n;
}

// The db file plus its WAL (after a TRUNCATE checkpoint the WAL is empty or gone).
uint64_t db_bytes(const std::string& path) {
  return file_bytes(path) + file_bytes(path + "-wal");
}

std::string sql_text(std::string_view s) {
  if (s.find('\0') != std::string_view::npos) { // a NUL would end the literal: store it as a blob
    std::string out = "X'";
    for (char ch : s) {
      out += fmt::format("{:02x}", static_cast<unsigned char>(ch));
    }
    return out + "'";
  }
  std::string out = "'";
  for (char ch : s) {
    out += ch;
    if (ch == '\'') {
      out += '\'';
    }
  }
  return out + "'";
}

// The reference table holds what the store's occurrences table plus raw_reports hold for one crash,
// with an index on the signature like the store's bucket lookup.
std::string make_script(const std::vector<Row>& rows, bool one_transaction) {
  std::string s = "PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\n"
                  "CREATE TABLE occurrences(id INTEGER PRIMARY KEY, signature TEXT NOT NULL, "
                  "time INTEGER NOT NULL, crash_json TEXT NOT NULL, raw TEXT);\n"
                  "CREATE INDEX occurrences_signature ON occurrences(signature, time);\n";
  if (one_transaction) {
    s += "BEGIN;\n";
  }
  for (const auto& r : rows) {
    std::string insert = fmt::format(
        "INSERT INTO occurrences(signature, time, crash_json, raw) VALUES ({}, {}, {}, {});\n",
        sql_text(r.signature), r.time, sql_text(r.crash_json), sql_text(*r.raw));
    if (one_transaction) {
      s += insert;
    } else {
      s += "BEGIN;\n" + insert + "COMMIT;\n";
    }
  }
  if (one_transaction) {
    s += "COMMIT;\n";
  }
  s += "PRAGMA wal_checkpoint(TRUNCATE);\n";
  return s;
}

// Runs argv with stdin from `input` and stdout/stderr to /dev/null; the exit status.
int run_process(const std::vector<std::string>& argv, const std::string& input) {
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, input.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    return -1;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Untimed: parse and triage every report once for the reference rows and the expected bucket count.
void build_rows(World& w) {
  std::map<std::string, size_t> counts;
  model::JsonOptions jo;
  jo.include_raw = false; // as Store::record keeps it; the text is its own column
  for (const auto& r : w.reports) {
    auto parsed = parse::parse_text(r.text);
    for (auto& c : parsed.crashes) {
      triage::triage(c, rules());
      ++counts[c.signature.id];
      w.rows.push_back({c.signature.id, r.time, model::to_json(c, jo).dump(), &r.text});
    }
    w.report_bytes += r.text.size();
  }
  w.buckets_expected = counts.size();
  for (const auto& [id, n] : counts) {
    w.max_bucket_count = std::max(w.max_bucket_count, n);
  }
}

struct IngestFigures {
  double seconds = 0;
  double parse_triage = 0, record = 0, enqueue = 0, checkpoint = 0;
  size_t crashes = 0, new_buckets = 0, requests_created = 0, links = 0, raw_inserted = 0;
  uint64_t store_bytes = 0, queue_bytes = 0;
  size_t queue_files = 0;
};

IngestFigures ingest_once() {
  World& w = world();
  IngestFigures f;
  std::string root =
      fmt::format("{}/crashpilot-{}", w.dir, Clock::now().time_since_epoch().count());
  fs::create_directories(root);
  store::Options so;
  const double threshold = rules().similarity_threshold;
  so.is_near = [threshold](const model::Signature& a, const model::Signature& b) {
    return triage::is_near(a, b, threshold);
  };
  auto st = store::Store::open(root + "/store.db", so);
  if (!st) {
    fmt::print(stderr, "store: {}\n", st.error());
    std::exit(1);
  }
  queue::QueueOptions qo = queue::queue_options_from_config(configuration(), root + "/queue");
  auto q = queue::Queue::open(qo);
  if (!q) {
    fmt::print(stderr, "queue: {}\n", q.error());
    std::exit(1);
  }
  // The same steps as the CLI's ingest (src/cli/ingest.cpp): record, read the bucket back for the
  // request's first/last seen, enqueue with the configured policy and without the report text. No
  // source snippets: the default config names no repository.
  const queue::Policy policy = queue::policy_from_config(configuration());
  size_t n = 0;
  const auto start = Clock::now();
  for (const auto& r : w.reports) {
    auto t0 = Clock::now();
    auto parsed = parse::parse_text(r.text);
    for (auto& c : parsed.crashes) {
      triage::triage(c, rules());
    }
    f.parse_triage += seconds_since(t0);
    for (auto& c : parsed.crashes) {
      auto t1 = Clock::now();
      store::OccurrenceInfo info;
      info.time = r.time;
      info.host = r.host;
      info.report_path = r.path;
      info.raw = r.text;
      auto rec = st->record(c, info);
      if (!rec) {
        fmt::print(stderr, "record: {}\n", rec.error());
        std::exit(1);
      }
      f.record += seconds_since(t1);
      auto t2 = Clock::now();
      if (rec->status == store::BucketStatus::ignored) {
        continue; // no request for an ignored bucket (none here: every bucket is new)
      }
      auto detail = st->get_bucket(rec->bucket, 1);
      if (!detail || !*detail) {
        fmt::print(stderr, "get_bucket {}: {}\n", rec->bucket, detail ? "missing" : detail.error());
        std::exit(1);
      }
      queue::RequestInput in;
      in.bucket = {rec->bucket, c.signature.text, rec->count, (*detail)->bucket.first_seen,
                   (*detail)->bucket.last_seen};
      in.crash = std::move(c);
      in.crash.raw.clear();
      in.policy = policy;
      auto e = q->enqueue(in, r.time);
      if (!e) {
        fmt::print(stderr, "enqueue: {}\n", e.error());
        std::exit(1);
      }
      f.enqueue += seconds_since(t2);
      ++f.crashes;
      f.new_buckets += rec->new_bucket ? 1U : 0U;
      f.links += rec->linked.size();
      f.raw_inserted += rec->raw_inserted ? 1U : 0U;
      f.requests_created += e->created ? 1U : 0U;
    }
    if (++n % 1000 == 0) {
      fmt::print(stderr, "  crashpilot: {}/{} reports, {:.1f} s\n", n, w.reports.size(),
                 seconds_since(start));
    }
  }
  auto t3 = Clock::now();
  if (auto r = st->db().exec("PRAGMA wal_checkpoint(TRUNCATE)"); !r) {
    fmt::print(stderr, "checkpoint: {}\n", r.error());
    std::exit(1);
  }
  f.checkpoint = seconds_since(t3);
  f.seconds = seconds_since(start);
  f.store_bytes = db_bytes(root + "/store.db");
  f.queue_bytes = tree_bytes(root + "/queue", &f.queue_files);
  return f;
}

IngestFigures& ingest_figures() {
  static IngestFigures f;
  return f;
}

void bm_crashpilot(benchmark::State& state) {
  for (auto _ : state) {
    ingest_figures() = ingest_once();
    state.SetIterationTime(ingest_figures().seconds);
  }
  const IngestFigures& f = ingest_figures();
  const auto reports = static_cast<double>(world().reports.size());
  state.counters["reports/s"] = reports / f.seconds;
  state.counters["crashes"] = static_cast<double>(f.crashes);
  state.counters["B/report"] = static_cast<double>(f.store_bytes) / reports;
}

struct SqliteFigures {
  double seconds = 0;
  uint64_t db_bytes = 0;
  int status = 0;
};

std::map<bool, SqliteFigures>& sqlite_figures() {
  static std::map<bool, SqliteFigures> f;
  return f;
}

void bm_sqlite3(benchmark::State& state, bool one_transaction) {
  World& w = world();
  if (!w.have_sqlite3) {
    state.SkipWithError("sqlite3 not found on PATH (scripts/setup-debian installs it)");
    return;
  }
  const std::string script =
      fmt::format("{}/{}.sql", w.dir, one_transaction ? "one_tx" : "per_row");
  SqliteFigures& f = sqlite_figures()[one_transaction];
  for (auto _ : state) {
    const std::string db = fmt::format("{}/ref-{}-{}.db", w.dir, one_transaction ? "one" : "per",
                                       Clock::now().time_since_epoch().count());
    const auto start = Clock::now();
    f.status = run_process({"sqlite3", db}, script);
    f.seconds = seconds_since(start);
    state.SetIterationTime(f.seconds);
    f.db_bytes = db_bytes(db);
  }
  if (f.status != 0) {
    state.SkipWithError(fmt::format("sqlite3 exited with {}", f.status).c_str());
    return;
  }
  const auto rows = static_cast<double>(w.rows.size());
  state.counters["rows/s"] = rows / f.seconds;
  state.counters["B/row"] = static_cast<double>(f.db_bytes) / rows;
}

// Strips `--reports N` / `--reports=N` from argv (Google Benchmark rejects unknown flags).
size_t take_reports_option(int& argc, char** argv) {
  size_t reports = 10000;
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    std::string value;
    if (a == "--reports" && i + 1 < argc) {
      value = argv[++i];
    } else if (a.rfind("--reports=", 0) == 0) {
      value = std::string(a.substr(10));
    } else {
      argv[out++] = argv[i];
      continue;
    }
    char* end = nullptr;
    unsigned long long n = std::strtoull(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0' || n == 0) {
      fmt::print(stderr, "--reports wants a positive number, not '{}'\n", value);
      std::exit(2);
    }
    reports = static_cast<size_t>(n);
  }
  argc = out;
  return reports;
}

double safe_div(double a, double b) {
  return b > 0 ? a / b : 0.0;
}

} // namespace

int main(int argc, char** argv) {
  const size_t n = take_reports_option(argc, argv);
  World& w = world();
  auto tmp = util::TempDir::create("crashpilot-bench-queue-");
  if (!tmp) {
    fmt::print(stderr, "{}\n", tmp.error());
    return 1;
  }
  w.dir = tmp->path();
  w.have_sqlite3 = std::system("command -v sqlite3 >/dev/null 2>&1") == 0;
  if (!w.have_sqlite3) {
    fmt::print(stderr, "sqlite3 is not on PATH: the reference runs are skipped and no ratios are "
                       "printed (scripts/setup-debian installs it: apt-get install sqlite3)\n");
  }

  auto fixtures = bench::load_fixtures(std::string(CRASHPILOT_TEST_DATA) + "/crashes", rules());
  if (fixtures.empty()) {
    fmt::print(stderr, "no fixture reports under {}/crashes\n", CRASHPILOT_TEST_DATA);
    return 1;
  }
  w.reports = bench::make_reports(fixtures, n);
  build_rows(w);
  for (bool one : {true, false}) {
    std::string path = fmt::format("{}/{}.sql", w.dir, one ? "one_tx" : "per_row");
    std::ofstream(path, std::ios::binary) << make_script(w.rows, one);
  }
  size_t renamed = 0;
  for (const auto& f : fixtures) {
    renamed += f.rename_token.empty() ? 0U : 1U;
  }
  fmt::print("input: {} reports ({:.1f} MB) from {} fixtures ({} with a renamable crash function), "
             "{} crashes, {} distinct signatures, largest bucket {}\n",
             w.reports.size(), static_cast<double>(w.report_bytes) / 1e6, fixtures.size(), renamed,
             w.rows.size(), w.buckets_expected, w.max_bucket_count);

  benchmark::RegisterBenchmark("crashpilot ingest (in process)", bm_crashpilot)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  benchmark::RegisterBenchmark("sqlite3 script, one transaction", bm_sqlite3, true)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  benchmark::RegisterBenchmark("sqlite3 script, transaction per row", bm_sqlite3, false)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  const IngestFigures& f = ingest_figures();
  if (f.seconds <= 0) {
    return 0; // filtered out
  }
  const auto reports = static_cast<double>(w.reports.size());
  const auto crashes = static_cast<double>(f.crashes);
  fmt::print("\ncrashpilot ingest: {} reports, {} crashes in {:.2f} s = {:.0f} reports/s ({:.0f} "
             "crashes/s)\n",
             w.reports.size(), f.crashes, f.seconds, reports / f.seconds, crashes / f.seconds);
  fmt::print("  time: parse+triage {:.2f} s, Store::record {:.2f} s, get_bucket + Queue::enqueue "
             "{:.2f} s, "
             "checkpoint {:.2f} s\n",
             f.parse_triage, f.record, f.enqueue, f.checkpoint);
  fmt::print(
      "  {} buckets ({} near links), {} report texts stored (the rest deduplicated), {} requests\n",
      f.new_buckets, f.links, f.raw_inserted, f.requests_created);
  fmt::print(
      "  store {:.2f} MB = {:.0f} B/report; queue dir {:.2f} MB in {} files = {:.0f} B/report "
      "(input {:.0f} B/report)\n",
      static_cast<double>(f.store_bytes) / 1e6, static_cast<double>(f.store_bytes) / reports,
      static_cast<double>(f.queue_bytes) / 1e6, f.queue_files,
      static_cast<double>(f.queue_bytes) / reports, static_cast<double>(w.report_bytes) / reports);
  if (!w.have_sqlite3) {
    fmt::print("\nno ratios: sqlite3 is not on PATH\n");
    return 0;
  }
  fmt::print("\nratios against sqlite3 inserting the same {} rows (one per crash), same run:\n",
             w.rows.size());
  fmt::print("  {:<28} {:>10} {:>12} {:>12} {:>14}\n", "reference", "rows/s", "speed ratio",
             "B/row", "bytes ratio");
  for (bool one : {false, true}) {
    auto it = sqlite_figures().find(one);
    if (it == sqlite_figures().end() || it->second.seconds <= 0 || it->second.status != 0) {
      continue;
    }
    const SqliteFigures& s = it->second;
    const auto rows = static_cast<double>(w.rows.size());
    fmt::print("  {:<28} {:>10.0f} {:>11.3f}x {:>12.0f} {:>13.3f}x\n",
               one ? "one transaction" : "transaction per row", rows / s.seconds,
               safe_div(crashes / f.seconds, rows / s.seconds),
               static_cast<double>(s.db_bytes) / rows,
               safe_div(static_cast<double>(f.store_bytes) / crashes,
                        static_cast<double>(s.db_bytes) / rows));
  }
  fmt::print(
      "  speed ratio = crashpilot crashes/s / sqlite3 rows/s (>1: crashpilot faster); "
      "bytes ratio = crashpilot store bytes per crash / sqlite3 db bytes per row (<1: smaller)\n");
  return 0;
}
