// SPDX-License-Identifier: MIT
#include <model/json.hpp>

#include <capture/watch.hpp>
#include <fix/build.hpp>
#include <fix/land.hpp>
#include <fix/verify.hpp>
#include <fmt/format.h>
#include <loop/attempt.hpp>
#include <loop/loop.hpp>
#include <loop/record.hpp>

#include <chrono>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace crashpilot::loop {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string_view to_string(Mode m) {
  switch (m) {
  case Mode::capture:
    return "capture";
  case Mode::review:
    return "review";
  case Mode::auto_merge:
    return "auto";
  }
  return "review";
}

namespace {

std::string uptimes_key(const std::string& bucket) {
  return "uptimes:" + bucket;
}

std::vector<double> read_uptimes(const store::Store& s, const std::string& bucket) {
  std::vector<double> out;
  auto v = s.get_state(uptimes_key(bucket));
  if (v && *v) {
    json j = json::parse(**v, nullptr, false);
    if (j.is_array()) {
      for (const auto& x : j) {
        if (x.is_number()) {
          out.push_back(x.get<double>());
        }
      }
    }
  }
  return out;
}

// One more time-to-crash for the bucket's rate (the soak plan) and the early-crash rule.
void append_uptime(store::Store& s, const std::string& bucket, double seconds) {
  auto ups = read_uptimes(s, bucket);
  ups.push_back(seconds);
  (void)s.set_state(uptimes_key(bucket), json(ups).dump(), store::now_seconds());
}

// The thread events come from never matters to the caller: one at a time.
class Emitter {
public:
  explicit Emitter(EventSink sink) : m_sink(std::move(sink)) {}
  void operator()(const Event& e) {
    if (m_sink) {
      std::lock_guard lock(m_mutex);
      m_sink(e);
    }
  }

private:
  EventSink m_sink;
  std::mutex m_mutex;
};

struct SeenCrash {
  model::Crash crash;
};

// The user's server on its last good build, in a thread: captures are recorded and queued there
// (with the thread's own store and queue handles), and handed to the main thread.
class ServerThread {
public:
  ServerThread(const LoopSetup& setup, Emitter& emit) : m_setup(setup), m_emit(emit) {}
  ~ServerThread() { stop(); }

  void start() {
    m_stop = false;
    m_running = true;
    m_thread = std::thread([this] { run(); });
  }
  void stop() {
    m_stop = true;
    if (m_thread.joinable()) {
      m_thread.join();
    }
    m_running = false;
  }
  bool running() const { return m_running; }
  std::vector<SeenCrash> take() {
    std::lock_guard lock(m_mutex);
    std::vector<SeenCrash> out(m_seen.begin(), m_seen.end());
    m_seen.clear();
    return out;
  }
  int captures() const { return m_captures; }
  Clock::time_point last_activity() const {
    std::lock_guard lock(m_mutex);
    return m_last;
  }

private:
  void run() {
    auto st = store::Store::open(m_setup.store_path, m_setup.store_options);
    auto q = queue::Queue::open(m_setup.queue);
    if (!st || !q) {
      m_emit({"capture", "error", "", 0,
              fmt::format("the server is not started: {}", !st ? st.error() : q.error())});
      m_running = false;
      return;
    }
    RecordTarget target{&*st, &*q, m_setup.policy, m_setup.host, ""};
    capture::WatchOptions wo;
    wo.settings = m_setup.capture;
    wo.settings.supervisor.own_signals = false;
    wo.settings.supervisor.stop = &m_stop;
    wo.config = m_setup.config;
    wo.rules = m_setup.rules;
    wo.tee_stdout = m_setup.tee_stdout;
    wo.tee_stderr = m_setup.tee_stderr;
    capture::WatchHooks hooks;
    hooks.started = [&](const capture::Launched& l) {
      m_emit({"capture", "started", "", 0,
              fmt::format("server started (pid {}{})", l.pid, l.traced ? "" : ", no ptrace")});
    };
    hooks.note = [&](std::string_view event, std::string_view detail) {
      m_emit({"capture", std::string(event), "", 0, std::string(detail)});
    };
    hooks.exited = [&](const capture::Incident& in) {
      m_emit({"capture", "exited", "", 0,
              fmt::format("server exited cleanly (pid {})", in.process.pid)});
    };
    hooks.captured = [&](capture::Captured& c) {
      auto t = Clock::now();
      const capture::Incident& in = c.incident;
      std::string text = c.report ? capture::report_text(in, c.crash) : std::string();
      OccurrenceExtras extras{
          in.context, in.snapshot ? in.snapshot->build_id : std::string(),
          std::chrono::duration_cast<std::chrono::seconds>(in.time.time_since_epoch()).count(), ""};
      auto rec =
          record_crash(target, c.crash, text, c.report ? c.report->json : std::string(), extras);
      std::string request = rec && rec->request ? rec->request->request_id : std::string();
      double uptime = static_cast<double>(in.uptime.count()) / 1000.0;
      if (rec) {
        append_uptime(*st, rec->record.bucket, uptime);
        (void)st->add_audit("captured", rec->record.bucket, std::nullopt,
                            c.report ? c.report->json : c.report_error, store::now_seconds());
      }
      ++m_captures;
      json data = {{"report", c.report ? c.report->text : std::string()},
                   {"request_id", request},
                   {"uptime_s", uptime},
                   {"category", c.crash.crash_category},
                   {"severity", c.crash.severity},
                   {"function", c.crash.crash_function},
                   {"location", c.crash.crash_location},
                   {"new_bucket", rec && rec->record.new_bucket},
                   {"capture_ms", in.snapshot ? capture::as_ms(in.snapshot->frozen) +
                                                    capture::as_ms(in.snapshot->symbolize)
                                              : 0.0}};
      std::string where = c.crash.crash_function.empty() ? "?" : c.crash.crash_function;
      m_emit({"capture", std::string(capture::to_string(in.outcome)), c.crash.signature.id, 0,
              fmt::format("{} {} in {} ({}) [{} {}] after {:.1f} s{}{}",
                          capture::to_string(in.outcome), c.crash.exception_code, where,
                          c.crash.crash_location, c.crash.crash_category, c.crash.severity, uptime,
                          rec ? (rec->record.new_bucket
                                     ? ", new bucket"
                                     : fmt::format(", seen {} times", rec->record.count))
                              : ", NOT recorded: " + rec.error(),
                          request.empty() ? "" : ", queued " + request),
              std::chrono::duration<double>(Clock::now() - t).count(), data});
      std::lock_guard lock(m_mutex);
      m_seen.push_back({c.crash});
      m_last = Clock::now();
    };
    auto summary = capture::watch(wo, hooks);
    if (!summary) {
      m_emit({"capture", "error", "", 0, summary.error()});
    } else if (summary->crash_loop) {
      m_emit({"capture", "crash_loop", "", 0,
              summary->stop_reason + "; it restarts once a fix lands"});
    }
    m_running = false;
  }

  const LoopSetup& m_setup;
  Emitter& m_emit;
  std::thread m_thread;
  std::atomic<bool> m_stop{false};
  std::atomic<bool> m_running{false};
  std::atomic<int> m_captures{0};
  mutable std::mutex m_mutex;
  std::deque<SeenCrash> m_seen;
  Clock::time_point m_last = Clock::now();
};

// The crash a request is about, from the request itself (what the agent saw).
model::Crash request_crash(const json& request) {
  if (auto it = request.find("crash"); it != request.end()) {
    if (auto c = model::crash_from_json(*it)) {
      return *c;
    }
  }
  return {};
}

} // namespace

util::Expected<LoopSummary> run_loop(const LoopSetup& setup) {
  LoopSummary summary;
  Emitter emit(setup.on_event);
  auto st = store::Store::open(setup.store_path, setup.store_options);
  if (!st) {
    return util::error(st.error());
  }
  auto q = queue::Queue::open(setup.queue);
  if (!q) {
    return util::error(q.error());
  }
  auto stopped = [&] { return setup.stop && setup.stop->load(); };
  (void)st->set_state(
      "loop",
      json{{"mode", to_string(setup.mode)}, {"pid", ::getpid()}, {"stage", "starting"}}.dump(),
      store::now_seconds());
  auto set_stage = [&](const std::string& stage, const std::string& bucket) {
    (void)st->set_state("loop",
                        json{{"mode", to_string(setup.mode)},
                             {"pid", ::getpid()},
                             {"stage", stage},
                             {"bucket", bucket}}
                            .dump(),
                        store::now_seconds());
  };

  AttemptContext actx;
  actx.config = setup.config;
  actx.rules = setup.rules;
  actx.capture = setup.capture;
  actx.fix = setup.fix;
  actx.policy = setup.policy;
  actx.verify_server_command = setup.verify_server_command;
  actx.repo = setup.repo;
  actx.auto_merge = setup.mode == Mode::auto_merge;
  actx.store = &*st;
  actx.is_near = setup.store_options.is_near;
  actx.cancel = setup.stop;
  actx.emit = [&](const Event& e) { emit(e); };
  RecordTarget verify_target{&*st, &*q, setup.policy, setup.host, ""};
  actx.record = [&](capture::Captured& c, const std::string& revision) {
    std::string text = c.report ? capture::report_text(c.incident, c.crash) : std::string();
    RecordTarget at = verify_target;
    at.base_commit = revision;
    OccurrenceExtras extras;
    extras.revision = revision;
    extras.context = c.incident.context;
    auto rec = record_crash(at, c.crash, text, c.report ? c.report->json : "", extras);
    if (rec) {
      append_uptime(*st, rec->record.bucket,
                    static_cast<double>(c.incident.uptime.count()) / 1000.0);
      emit({"verify", "recorded", rec->record.bucket, 0,
            fmt::format("a different crash during verification ({} in {}) recorded as bucket {}",
                        c.crash.exception_code, c.crash.crash_function, rec->record.bucket)});
    }
  };
  actx.uptimes = [&](const std::string& bucket) { return read_uptimes(*st, bucket); };

  auto attempt_no_of = [&](const store::Fix& f) {
    // The attempt's number over the bucket's history: its position among the bucket's fixes.
    auto all = st->list_fixes(f.bucket);
    int n = 0;
    if (all) {
      for (const auto& x : *all) {
        if (x.attempt <= f.attempt) {
          ++n;
        }
      }
    }
    return std::max(1, n);
  };

  std::vector<fix::Landed> landed_this_run;
  std::map<int64_t, std::string> landed_diffs; // attempt → diff, for the auto-revert check
  std::map<int64_t, std::string> landed_bucket;

  // A failed attempt's lesson goes into a new request for the bucket, which the next iteration
  // takes (within the bucket's attempt budget, which the runner checks).
  auto requeue = [&](const store::Fix& f, const std::string& feedback, const model::Crash& crash) {
    auto detail = st->get_bucket(f.bucket, 1);
    if (!detail || !*detail) {
      return;
    }
    model::LogContext context;
    if (!(*detail)->occurrences.empty()) {
      json lc = json::parse((*detail)->occurrences.front().log_context_json, nullptr, false);
      if (auto c = model::log_context_from_json(lc)) {
        context = *c;
      }
    }
    std::vector<std::string> warnings;
    auto input = make_request_input(verify_target, crash, (*detail)->bucket, context, warnings);
    auto earlier = st->list_fixes(f.bucket);
    if (earlier) {
      for (auto it = earlier->rbegin(); it != earlier->rend(); ++it) {
        json d = json::parse(it->detail_json, nullptr, false);
        std::string tail = d.is_object() ? d.value("feedback", std::string()) : std::string();
        input.previous.push_back({std::to_string(it->attempt), it->stage, tail});
      }
    }
    if (input.previous.empty()) {
      input.previous.push_back({std::to_string(f.attempt), f.stage, feedback});
    }
    auto e = q->enqueue(input);
    if (e) {
      emit(
          {"analyze", "requeued", f.bucket, f.attempt,
           fmt::format("asked again with the {} attempt's feedback ({})", f.stage, e->request_id)});
    }
  };

  auto run_fix = [&](store::Fix f, const model::Crash& crash) {
    set_stage(f.stage, f.bucket);
    AttemptResult r = advance_attempt(actx, f, crash, attempt_no_of(f));
    AttemptSummary as{r.fix.bucket, r.fix.attempt, attempt_no_of(r.fix),
                      r.fix.branch, r.fix.stage,   r.fix.verdict,
                      "",           r.seconds};
    json d = json::parse(r.fix.detail_json, nullptr, false);
    if (d.is_object() && d.contains("verify")) {
      as.detail = d["verify"].value("detail", std::string());
    }
    summary.attempts.push_back(as);
    if (r.landed) {
      landed_diffs[r.fix.attempt] = d.is_object() ? d.value("diff", std::string()) : "";
      landed_bucket[r.fix.attempt] = r.fix.bucket;
    }
    if (wants_retry(r.fix.stage) && !stopped()) {
      requeue(r.fix, r.feedback, crash);
    }
    return r;
  };

  // The server runs the last good build; after a land it is rebuilt and restarted.
  ServerThread server(setup, emit);
  auto rebuild_and_restart = [&]() {
    if (!setup.start_server) {
      return;
    }
    server.stop();
    // Crashes of the old build say nothing about the new one (nor about the revert check).
    (void)server.take();
    if (!setup.fix.fix.build.empty()) {
      auto t = Clock::now();
      std::error_code ec;
      fs::create_directories(".crashpilot/builds", ec);
      auto spec =
          fix::build_spec(setup.fix.fix, setup.repo, setup.repo,
                          fmt::format(".crashpilot/builds/main-{}.log", store::now_seconds()));
      auto built = fix::run_build(spec, setup.stop);
      double secs = std::chrono::duration<double>(Clock::now() - t).count();
      if (!built || !built->ok) {
        emit({"build", "failed", "", 0,
              "your tree did not build after the merge: " +
                  (built ? built->message : built.error()) +
                  "; the server restarts on the old binary if it is still there"});
      } else {
        emit({"build", "rebuilt", "", 0, fmt::format("rebuilt your tree in {:.1f} s", secs), secs});
      }
    }
    server.start();
  };

  bool progressed = false; // a fix reached a branch or was merged
  // The request names the signature; its frames (for the near-signature test) are the store's.
  auto with_store_signature = [&](model::Crash& crash, const std::string& bucket) {
    if (auto b = st->get_bucket(bucket, 0); b && *b) {
      crash.signature.id = (*b)->bucket.signature_id;
      crash.signature.text = (*b)->bucket.signature_text;
      crash.signature.frames = (*b)->bucket.signature_frames;
    }
  };
  // Resume: attempts a killed run left half-way.
  if (!setup.repo.empty() && setup.mode != Mode::capture) {
    auto open = st->list_fixes("", {"answered", "gated", "applied", "built", "verified"});
    if (open) {
      for (auto it = open->rbegin(); it != open->rend() && !stopped(); ++it) {
        emit({"loop", "resume", it->bucket, it->attempt,
              fmt::format("resuming attempt {} at stage {}", it->attempt, it->stage)});
        json d = json::parse(it->detail_json, nullptr, false);
        model::Crash crash;
        if (d.is_object() && d.contains("crash")) {
          if (auto c = model::crash_from_json(d["crash"])) {
            crash = *c;
          }
        }
        with_store_signature(crash, it->bucket);
        auto r = run_fix(*it, crash);
        progressed = progressed || r.fix.stage == "ready" || r.fix.stage == "landed" ||
                     r.fix.stage == "awaiting_approval";
        if (r.landed) {
          // The server starts below on the merged tree; build it first.
          if (!setup.fix.fix.build.empty()) {
            auto spec = fix::build_spec(setup.fix.fix, setup.repo, setup.repo,
                                        ".crashpilot/builds/main-resume.log");
            (void)fix::run_build(spec, setup.stop);
          }
        }
      }
    }
  }

  if (setup.start_server) {
    server.start();
  }
  if (setup.mode == Mode::capture) {
    while (!stopped() && server.running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    server.stop();
    summary.captures = server.captures();
    summary.interrupted = stopped();
    summary.stop_reason = stopped() ? "stopped" : "the server stopped";
    return summary;
  }

  analyze::Runner runner(setup.runner);
  std::set<std::string> exhausted; // requests the runner skipped (budget, claimed elsewhere)
  std::set<std::string> notified;  // buckets whose skip was already said
  auto idle_since = Clock::now();
  auto crash_loop_at = std::optional<Clock::time_point>();
  while (!stopped()) {
    // Auto mode: a landed fix whose bucket comes back, or whose own lines crash, is reverted.
    for (const auto& seen : server.take()) {
      idle_since = Clock::now();
      for (auto& [attempt, bucket] : landed_bucket) {
        bool same = seen.crash.signature.id == bucket;
        bool inside = !same && fix::crash_inside(seen.crash, landed_diffs[attempt]);
        if (!same && !inside) {
          continue;
        }
        auto f = st->get_fix(attempt);
        if (!f || !*f || (*f)->stage != "landed") {
          continue;
        }
        auto reverted =
            fix::revert(setup.repo, (*f)->landed_commit,
                        fmt::format("crashpilot: revert the fix of {} (attempt {}): {}", bucket,
                                    attempt, same ? "the crash came back" : "it crashes itself"));
        store::Fix nf = **f;
        nf.stage = reverted ? "reverted" : "landed";
        nf.verdict = "regressed";
        nf.updated = store::now_seconds();
        (void)st->put_fix(nf);
        (void)st->add_verdict(attempt, "regressed",
                              same ? "the bucket reappeared after the merge"
                                   : "a new crash in the merged lines",
                              store::now_seconds());
        emit({"land", reverted ? "reverted" : "revert_failed", bucket, attempt,
              reverted ? fmt::format("the fix regressed in production; reverted ({})",
                                     reverted->substr(0, 12))
                       : "the fix regressed but could not be reverted: " + reverted.error()});
        if (reverted) {
          rebuild_and_restart();
        }
      }
    }
    if (setup.max_iterations > 0 && summary.iterations >= setup.max_iterations) {
      summary.stop_reason =
          fmt::format("{} iteration(s) done (--max-iterations)", summary.iterations);
      break;
    }
    if (setup.start_server && !server.running()) {
      // A crash loop stopped it: give the fix a chance, then try again after the backoff cap.
      if (!crash_loop_at) {
        crash_loop_at = Clock::now();
      } else if (Clock::now() - *crash_loop_at > setup.capture.supervisor.restart.max_delay) {
        crash_loop_at.reset();
        server.stop();
        server.start();
      }
    }
    auto pending = analyze::pending_request_ids(*q);
    std::string next;
    if (pending) {
      for (const auto& id : *pending) {
        if (!exhausted.count(id)) {
          next = id;
          break;
        }
      }
    }
    if (next.empty()) {
      if (setup.idle_exit_seconds > 0 && progressed &&
          Clock::now() - std::max(idle_since, server.last_activity()) >
              std::chrono::seconds(setup.idle_exit_seconds)) {
        summary.stop_reason =
            fmt::format("idle for {} s with nothing left to fix", setup.idle_exit_seconds);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    // Per-day budget over every bucket.
    auto today = st->attempts_since(store::now_seconds() - 86400);
    if (today && *today >= setup.fix.fix.max_attempts_per_day) {
      emit({"analyze", "budget", "", 0,
            fmt::format("the day's attempt budget is used up ({} of {}); waiting", *today,
                        setup.fix.fix.max_attempts_per_day)});
      exhausted.insert(next);
      continue;
    }
    auto entry = q->find(next);
    model::Crash crash = entry ? request_crash(entry->request) : model::Crash{};
    std::string bucket =
        entry ? entry->request.value("bucket", json::object()).value("id", "") : std::string();
    // The bucket's own budget, over every attempt the loop made on it, and no new analysis while
    // a fix waits for the user or is merged.
    if (auto earlier = st->list_fixes(bucket); earlier && !bucket.empty()) {
      bool waiting = false;
      for (const auto& f : *earlier) {
        waiting = waiting || f.stage == "ready" || f.stage == "awaiting_approval" ||
                  f.stage == "landed" || f.stage == "applied_by_user";
      }
      int budget = setup.runner.options.max_attempts_per_bucket;
      if (waiting || static_cast<int>(earlier->size()) >= budget) {
        exhausted.insert(next);
        if (notified.insert(bucket).second) {
          emit({"analyze", "skipped", bucket, 0,
                waiting ? "a fix for this bucket is ready or merged: not analyzed again"
                        : fmt::format("the bucket's attempt budget is used up ({} of {}; raise "
                                      "[analyze] max_attempts_per_bucket)",
                                      earlier->size(), budget)});
        }
        continue;
      }
    }
    with_store_signature(crash, bucket);
    set_stage("analyze", bucket);
    emit({"analyze", "started", bucket, 0, fmt::format("analysis of {} by {}", next, setup.agent)});
    auto t = Clock::now();
    analyze::RequestResult rr = runner.run_request(next);
    double secs = std::chrono::duration<double>(Clock::now() - t).count();
    if (!rr.skipped.empty()) {
      exhausted.insert(next);
      emit({"analyze", "skipped", bucket, 0, fmt::format("{}: {}", next, rr.skipped)});
      continue;
    }
    ++summary.iterations;
    idle_since = Clock::now();
    if (rr.result.outcome != analyze::Outcome::answered || !rr.store_attempt) {
      emit({"analyze", std::string(analyze::to_string(rr.result.outcome)), bucket, 0,
            fmt::format("{}: {}", analyze::to_string(rr.result.outcome), rr.result.reason), secs});
      continue;
    }
    emit({"analyze", "answered", bucket, *rr.store_attempt,
          fmt::format("answered by {} in {:.1f} s{}", rr.agent, secs,
                      rr.turns ? fmt::format(", {} turns", *rr.turns) : std::string()),
          secs});
    store::Fix f;
    f.attempt = *rr.store_attempt;
    f.bucket = bucket;
    f.stage = "answered";
    json d = {
        {"request_id", next},
        {"crash", model::to_json(crash, {.include_raw = false, .include_all_threads = false})},
        {"analysis_seconds", secs}};
    if (auto resp = st->get_response(f.attempt); resp && *resp) {
      json rj = json::parse((*resp)->json, nullptr, false);
      if (rj.is_object() && rj.contains("patch") && rj["patch"].is_object()) {
        d["diff"] = rj["patch"].value("diff", std::string());
      }
    }
    f.detail_json = d.dump();
    f.created = f.updated = store::now_seconds();
    if (auto ok = st->put_fix(f); !ok) {
      emit({"loop", "error", bucket, f.attempt, ok.error()});
      continue;
    }
    auto r = run_fix(f, crash);
    summary.attempts.back().seconds["analyze"] = secs;
    if (r.fix.stage == "landed" || r.fix.stage == "ready" || r.fix.stage == "awaiting_approval") {
      progressed = true;
    }
    if (r.landed) {
      rebuild_and_restart();
    }
  }
  server.stop();
  summary.captures = server.captures();
  summary.interrupted = stopped();
  if (summary.stop_reason.empty()) {
    summary.stop_reason = stopped() ? "stopped" : "done";
  }
  set_stage("stopped", "");
  return summary;
}

} // namespace crashpilot::loop
