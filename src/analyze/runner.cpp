// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/string.hpp>

#include <analyze/agent_output.hpp>
#include <analyze/builtin_analyzer.hpp>
#include <analyze/prompt_template.hpp>
#include <analyze/runner.hpp>
#include <analyze/runner_history.hpp>
#include <analyze/runner_process.hpp>
#include <analyze/worktree.hpp>
#include <fmt/format.h>
#include <queue/clock.hpp>
#include <queue/ids.hpp>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <thread>

namespace crashpilot::analyze {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Not CRASHPILOT_*: crashpilot reads those as configuration, and `crashpilot mcp` runs under the
// agent.
constexpr const char* k_marker = "CRASH_AGENT_RUN";

bool exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

std::string absolute(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

const json& object_at(const json& j, const char* key) {
  static const json empty = json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : empty;
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it != j.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) {
        out.push_back(v.get<std::string>());
      }
    }
  }
  return out;
}

std::string dump(const json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

// rejected/reason_<id>.json, reason_<id>.2.json, ...: how many, and the newest one's reasons.
struct Rejections {
  int count = 0;
  std::vector<std::string> newest;
};

Rejections rejections(const queue::Queue& q, const std::string& id) {
  Rejections r;
  std::string newest;
  for (int n = 1;; ++n) {
    std::string path = q.dir("rejected") + "/reason_" + id +
                       (n == 1 ? std::string() : fmt::format(".{}", n)) + ".json";
    if (!exists(path)) {
      break;
    }
    r.count = n;
    newest = path;
  }
  if (!newest.empty()) {
    if (auto text = util::read_file(newest, {.max_bytes = size_t{1} << 20})) {
      json j = json::parse(*text, nullptr, false);
      if (j.is_object()) {
        r.newest = strings(j, "reasons");
      }
    }
  }
  return r;
}

std::string crash_line(const json& request) {
  const json& crash = object_at(request, "crash");
  std::string what = str(crash, "exception_code");
  std::string function = str(crash, "crash_function");
  std::string location = str(crash, "crash_location");
  if (what.empty() && function.empty()) {
    return str(object_at(crash, "signature"), "text");
  }
  return fmt::format("{}{}{}", what.empty() ? "crash" : what,
                     function.empty() ? "" : " in " + function,
                     location.empty() ? "" : " at " + location);
}

// What earlier attempts at the bucket left (the fix loop re-queues a failed build, a gate refusal
// or a verdict into request.attempt.previous), for the prompt: the agent hears it even without MCP.
std::string previous_attempts(const json& request) {
  const json& attempt = object_at(request, "attempt");
  auto it = attempt.find("previous");
  if (it == attempt.end() || !it->is_array()) {
    return "";
  }
  std::string out;
  for (const auto& p : *it) {
    if (!p.is_object()) {
      continue;
    }
    std::string log = str(p, "log_tail");
    out += fmt::format("- attempt {}: {}{}\n", str(p, "response_id"), str(p, "outcome"),
                       log.empty() ? "" : "\n" + log);
  }
  return out;
}

std::string tail(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(s.size() - n);
}

util::Expected<void> write_text(const std::string& path, std::string_view text) {
  return util::write_file_atomic(path, text, 0600);
}

} // namespace

// What one attempt works with and leaves behind.
struct Runner::Attempt {
  std::string id;
  queue::Claim claim;
  json request;
  int number = 1; // over the bucket's history
  std::string feedback;
  std::string run_dir;
  std::string response_json; // the accepted response, for the store
  AgentReport report;
  std::vector<std::string> warnings;
  double seconds = 0;
  int exit_code = 0;
  int term_signal = 0;
  size_t escaped_killed = 0;
  std::vector<std::string> argv;
};

nlohmann::json mcp_config(const RunnerOptions& o, const std::string& request_id) {
  std::vector<std::string> args = {"mcp", "--request", request_id};
  args.insert(args.end(), o.mcp_args.begin(), o.mcp_args.end());
  json servers = o.extra_mcp_servers.is_object() ? o.extra_mcp_servers : json::object();
  servers["crashpilot"] = {{"type", "stdio"},
                           {"command", o.crashpilot_exe.empty() ? "crashpilot" : o.crashpilot_exe},
                           {"args", args}};
  return {{"mcpServers", std::move(servers)}};
}

std::string allowed_tools(const RunnerOptions& o, bool edits) {
  std::vector<std::string> tools = {"mcp__crashpilot__*"};
  for (const auto& s : o.extra_servers) {
    tools.push_back("mcp__" + s.name + "__*");
  }
  for (const char* t : {"Read", "Grep", "Glob"}) {
    tools.emplace_back(t);
  }
  if (edits) {
    tools.emplace_back("Edit");
    tools.emplace_back("Write");
  }
  return util::join(tools, ",");
}

util::Expected<std::vector<std::string>> pending_request_ids(const queue::Queue& q) {
  auto all = q.list();
  if (!all) {
    return util::error(all.error());
  }
  std::vector<const queue::RequestEntry*> pending;
  for (const auto& e : *all) {
    if (e.state == queue::State::pending) {
      pending.push_back(&e);
    }
  }
  auto score = [](const queue::RequestEntry* e) {
    auto it = e->request.find("priority_score");
    return it != e->request.end() && it->is_number() ? it->get<double>() : 0.0;
  };
  std::stable_sort(pending.begin(), pending.end(),
                   [&](const auto* a, const auto* b) { return score(a) > score(b); });
  std::vector<std::string> ids;
  for (const auto* e : pending) {
    ids.push_back(e->request_id);
  }
  return ids;
}

Runner::Runner(RunnerSetup setup) : m_setup(std::move(setup)) {
  if (!m_setup.sleep) {
    const std::atomic<bool>* cancel = m_setup.cancel;
    m_setup.sleep = [cancel](int64_t seconds) {
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
      while (std::chrono::steady_clock::now() < until && !(cancel && cancel->load())) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    };
  }
}

std::vector<RequestResult> Runner::run(const std::vector<std::string>& ids, int parallel,
                                       const std::function<void(const RequestResult&)>& on_result) {
  std::vector<RequestResult> results(ids.size());
  if (ids.empty()) {
    return results;
  }
  std::mutex mutex;
  std::atomic<size_t> next{0};
  auto worker = [&] {
    while (true) {
      size_t i = next.fetch_add(1);
      if (i >= ids.size()) {
        return;
      }
      if (m_setup.cancel != nullptr && m_setup.cancel->load()) {
        results[i].request_id = ids[i];
        results[i].skipped = "interrupted before it started";
      } else {
        results[i] = run_request(ids[i]);
      }
      std::lock_guard lock(mutex);
      if (on_result) {
        on_result(results[i]);
      }
    }
  };
  size_t n = std::clamp<size_t>(static_cast<size_t>(std::max(parallel, 1)), 1, ids.size());
  std::vector<std::thread> threads;
  for (size_t t = 1; t < n; ++t) {
    threads.emplace_back(worker);
  }
  worker();
  for (auto& t : threads) {
    t.join();
  }
  return results;
}

RequestResult Runner::run_request(const std::string& id) {
  RequestResult out;
  out.request_id = id;
  out.agent = m_setup.preset ? m_setup.preset->name : std::string(k_builtin_agent);
  auto fail = [&](std::string why) {
    out.result.outcome = Outcome::agent_failed;
    out.result.reason = std::move(why);
    return out;
  };
  // Each request gets its own queue and store handles: a Store is one per thread.
  auto q = queue::Queue::open(m_setup.queue);
  if (!q) {
    return fail(q.error());
  }
  std::optional<store::Store> store;
  if (!m_setup.store_path.empty()) {
    auto s = store::Store::open(m_setup.store_path, m_setup.store_options);
    if (!s) {
      return fail(s.error());
    }
    store = std::move(*s);
  }
  std::string feedback;
  for (int retry = 0;; ++retry) {
    auto entry = q->find(id);
    if (!entry) {
      out.skipped = entry.error();
      return out;
    }
    const json& bucket = object_at(entry->request, "bucket");
    int64_t priority = 0;
    if (auto it = entry->request.find("priority_score");
        it != entry->request.end() && it->is_number()) {
      priority = static_cast<int64_t>(it->get<double>());
    }
    AttemptHistory history(store ? &*store : nullptr, str(bucket, "id"), priority);
    auto made = history.attempts_made();
    if (!made) {
      return fail(made.error());
    }
    if (*made >= m_setup.options.max_attempts_per_bucket) {
      std::string why = fmt::format("the bucket's attempt budget is used up ({} of {}; raise "
                                    "[analyze] max_attempts_per_bucket to try again)",
                                    *made, m_setup.options.max_attempts_per_bucket);
      if (out.attempts == 0) {
        out.skipped = why;
      } else {
        out.warnings.push_back(why);
      }
      return out;
    }
    int64_t now = queue::now_unix();
    util::Expected<queue::Claim> claim = util::error("");
    if (entry->state == queue::State::pending) {
      claim = q->claim(id, m_setup.options.holder, now);
    } else if (entry->state == queue::State::in_progress) {
      auto lease = q->current_lease(id);
      if (lease && !lease->expired(now)) {
        out.skipped =
            fmt::format("claimed by {} until {}", lease->holder, queue::iso_utc(lease->expires_at));
        return out;
      }
      claim = q->reclaim(id, m_setup.options.holder, now);
    } else {
      out.skipped = fmt::format("request is {}", queue::to_string(entry->state));
      return out;
    }
    if (!claim) {
      out.skipped = claim.error();
      return out;
    }
    Attempt a;
    a.id = id;
    a.claim = *claim;
    a.number = static_cast<int>(*made) + 1;
    a.feedback = feedback;
    if (auto fresh = q->find(id)) {
      a.request = fresh->request;
    } else {
      a.request = entry->request;
    }
    a.run_dir = absolute(fmt::format("{}/{}/{}-{}", m_setup.options.run_dir, id, a.number, now));
    std::error_code ec;
    fs::create_directories(a.run_dir, ec);
    if (ec) {
      (void)q->release(id, a.claim.lease.lease_id, "cannot create the run directory", now);
      return fail(fmt::format("{}: cannot create the run directory: {}", a.run_dir, ec.message()));
    }
    if (auto s = history.start(out.agent, now); !s) {
      out.warnings.push_back("not recorded in the store: " + s.error());
    }
    Classification c = m_setup.preset ? attempt_agent(*q, store ? &*store : nullptr, a)
                                      : attempt_builtin(*q, store ? &*store : nullptr, a);
    ++out.attempts;
    out.attempt_no = a.number;
    out.run_dir = a.run_dir;
    out.seconds += a.seconds;
    if (!a.report.session_id.empty()) {
      out.session_id = a.report.session_id;
    }
    if (a.report.cost_usd) {
      out.cost_usd = out.cost_usd.value_or(0) + *a.report.cost_usd;
    }
    if (a.report.turns) {
      out.turns = out.turns.value_or(0) + *a.report.turns;
    }
    out.warnings.insert(out.warnings.end(), a.warnings.begin(), a.warnings.end());
    now = queue::now_unix();
    if (c.outcome == Outcome::answered) {
      if (auto done = q->complete(id, a.claim.lease.lease_id, now); !done) {
        // Valid a moment ago; something changed it since (a second writer). Say so.
        c = {Outcome::rejected,
             true,
             "the response failed when the request was completed",
             {done.error()}};
      } else {
        out.response_path = q->dir("completed") + "/response_" + id + ".json";
      }
    }
    if (c.outcome != Outcome::answered) {
      std::string reason = fmt::format("{}: {}", to_string(c.outcome), c.reason);
      if (auto r = q->release(id, a.claim.lease.lease_id, reason, now); !r) {
        out.warnings.push_back("could not release the request: " + r.error());
      }
    }
    json detail = {{"request_id", id},
                   {"lease_id", a.claim.lease.lease_id},
                   {"retryable", c.retryable},
                   {"reason", c.reason},
                   {"reasons", c.reasons},
                   {"run_dir", a.run_dir},
                   {"seconds", a.seconds},
                   {"exit_code", a.exit_code},
                   {"signal", a.term_signal},
                   {"escaped_processes_killed", a.escaped_killed},
                   {"argv", a.argv}};
    if (!a.report.session_id.empty()) {
      detail["session_id"] = a.report.session_id;
    }
    if (a.report.turns) {
      detail["turns"] = *a.report.turns;
    }
    out.store_attempt = history.attempt_id();
    if (auto f =
            history.finish(std::string(to_string(c.outcome)), detail, a.report.cost_usd,
                           c.outcome == Outcome::answered ? a.response_json : std::string(), now);
        !f) {
      out.warnings.push_back("not recorded in the store: " + f.error());
    }
    json record = detail;
    record["outcome"] = to_string(c.outcome);
    (void)write_text(a.run_dir + "/outcome.json", dump(record));
    out.result = c;
    if (c.outcome == Outcome::answered || !c.retryable || retry >= m_setup.options.max_retries ||
        (m_setup.cancel != nullptr && m_setup.cancel->load())) {
      return out;
    }
    feedback = c.reason;
    for (const auto& r : c.reasons) {
      feedback += "\n- " + r;
    }
    m_setup.sleep(backoff_seconds(m_setup.options, retry + 1));
    if (m_setup.cancel != nullptr && m_setup.cancel->load()) {
      return out;
    }
  }
}

Classification Runner::attempt_builtin(queue::Queue& q, store::Store* s, Attempt& a) {
  auto start = std::chrono::steady_clock::now();
  // Frames are named by their repository paths when the request's repository is at hand.
  const json& source = object_at(a.request, "source");
  std::string repo = str(source, "repo_root");
  if (repo.empty()) {
    repo = q.options().repo_root;
  }
  std::vector<std::string> files;
  if (!repo.empty()) {
    std::string base = str(source, "base_commit");
    if (auto listed = tree_files(repo, base.empty() ? "HEAD" : base)) {
      files = std::move(*listed);
    } else {
      a.warnings.push_back(listed.error());
    }
  }
  json response = builtin_response(a.request, a.claim.lease.lease_id, s, queue::now_unix(),
                                   m_setup.version, files);
  a.response_json = response.dump(-1, ' ', false, json::error_handler_t::replace);
  RunEvidence e;
  if (auto w = write_text(q.response_path(a.id), dump(response)); !w) {
    e.started = false;
    e.start_error = w.error();
  } else {
    (void)write_text(a.run_dir + "/response.json", dump(response));
    auto check = q.check_response(a.id, queue::now_unix());
    if (!check) {
      e.started = false;
      e.start_error = check.error();
    } else if (check->validation.ok()) {
      e.artifact = Artifact::valid;
    } else {
      e.artifact = Artifact::rejected;
      e.artifact_reasons = check->validation.reasons;
    }
  }
  a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return classify_run(e);
}

Classification Runner::attempt_agent(queue::Queue& q, store::Store* /*s*/, Attempt& a) {
  const AgentPreset& preset = *m_setup.preset;
  const RunnerOptions& o = m_setup.options;
  RunEvidence e;
  e.max_output_bytes = o.limits.max_output_bytes;
  e.wall_seconds = static_cast<long>(o.limits.wall.count() / 1000);
  e.idle_seconds = static_cast<long>(o.limits.idle.count() / 1000);
  auto not_started = [&](std::string why) {
    e.started = false;
    e.start_error = std::move(why);
    return classify_run(e);
  };
  const json& source = object_at(a.request, "source");
  std::string repo = str(source, "repo_root");
  if (repo.empty()) {
    repo = q.options().repo_root;
  }
  if (repo.empty()) {
    repo = git_toplevel(".");
  }
  if (repo.empty()) {
    return not_started("no git repository for the agent to work in: the request has no "
                       "source.repo_root; set [queue] repo_root or run inside the repository");
  }
  std::string base = str(source, "base_commit");
  auto worktree = Worktree::create(repo, base.empty() ? "HEAD" : base);
  if (!worktree) {
    return not_started(worktree.error());
  }
  std::string response_path = absolute(q.response_path(a.id));
  std::string request_path = absolute(a.claim.path);
  std::string mcp_path = a.run_dir + "/mcp.json";
  std::string prompt_path = a.run_dir + "/prompt.md";
  const json& policy = object_at(a.request, "policy");

  PromptInput pi;
  pi.request_id = a.id;
  pi.lease_id = a.claim.lease.lease_id;
  pi.request_path = request_path;
  pi.response_path = response_path;
  pi.queue_root = absolute(q.options().root);
  pi.base_commit = worktree->commit();
  pi.workdir = worktree->path();
  pi.mcp = preset.mcp;
  pi.edits = preset.edits;
  pi.extra_servers = o.extra_servers;
  pi.crash_line = crash_line(a.request);
  pi.allowed_paths = strings(policy, "allowed_paths");
  pi.forbidden_paths = strings(policy, "forbidden_paths");
  pi.feedback = a.feedback;
  if (std::string earlier = previous_attempts(a.request); !earlier.empty()) {
    pi.feedback += (pi.feedback.empty() ? "" : "\n") + earlier;
  }
  std::string prompt = render_prompt(pi);
  if (auto w = write_text(prompt_path, prompt); !w) {
    return not_started(w.error());
  }
  if (auto w = write_text(mcp_path, dump(mcp_config(o, a.id))); !w) {
    return not_started(w.error());
  }
  std::string last_message = a.run_dir + "/last_message.txt";
  std::map<std::string, std::string> values = {
      {"crashpilot", o.crashpilot_exe},
      {"mcp_config", mcp_path},
      {"prompt_file", prompt_path},
      {"prompt", prompt},
      {"workdir", worktree->path()},
      {"queue", pi.queue_root},
      {"request_id", a.id},
      {"lease_id", a.claim.lease.lease_id},
      {"response_path", response_path},
      {"request_file", request_path},
      {"last_message_file", last_message},
      {"budget_usd", o.budget_usd},
      {"max_turns", std::to_string(o.max_turns)},
      {"allowed_tools", allowed_tools(o, preset.edits)},
      {"run_dir", a.run_dir},
      {"session_id", ""},
      // `crashpilot mcp`'s arguments as a TOML/JSON array, for agents configured by -c key=value.
      {"mcp_args_toml", mcp_config(o, a.id)["mcpServers"]["crashpilot"]["args"].dump()},
  };
  auto argv = build_argv(preset.argv, values);
  if (!argv) {
    return not_started(fmt::format("agents.{}.argv: {}", preset.name, argv.error()));
  }
  if (preset.prompt == PromptMode::argument &&
      std::none_of(preset.argv.begin(), preset.argv.end(),
                   [](const std::string& t) { return t.find("{prompt}") != std::string::npos; })) {
    argv->push_back(prompt);
  }
  a.argv = *argv;
  if (preset.prompt == PromptMode::argument && !a.argv.empty()) {
    // The run record keeps the argv without the prompt itself (it is in prompt.md).
    for (auto& arg : a.argv) {
      if (arg == prompt) {
        arg = "<prompt.md>";
      }
    }
  }
  std::vector<std::string> allow = o.env_allow;
  allow.insert(allow.end(), preset.env_allow.begin(), preset.env_allow.end());
  AgentSpawn spawn;
  spawn.argv = std::move(*argv);
  spawn.cwd = worktree->path();
  spawn.env = allowed_environment(allow);
  for (const auto& [k, v] : preset.env) {
    auto filled = fill_placeholders(v, values);
    if (!filled) {
      return not_started(fmt::format("agents.{}.env.{}: {}", preset.name, k, filled.error()));
    }
    spawn.env[k] = *filled;
  }
  spawn.marker_name = k_marker;
  spawn.marker_value = queue::random_hex(16);
  spawn.env[spawn.marker_name] = spawn.marker_value;
  spawn.env["CRASH_REQUEST_ID"] = a.id;
  spawn.env["CRASH_LEASE_ID"] = a.claim.lease.lease_id;
  spawn.env["CRASH_RESPONSE_PATH"] = response_path;
  spawn.env["CRASH_REQUEST_PATH"] = request_path;
  spawn.env["CRASH_QUEUE_ROOT"] = pi.queue_root;
  spawn.env["CRASH_RUN_DIR"] = a.run_dir;
  spawn.env["CRASH_MCP_CONFIG"] = mcp_path;
  if (preset.prompt == PromptMode::stdin_pipe) {
    spawn.stdin_data = prompt;
  }
  spawn.limits = o.limits;
  spawn.cancel = m_setup.cancel;

  Rejections before = rejections(q, a.id);
  AgentRun run = run_agent(spawn);
  a.seconds = run.seconds;
  a.escaped_killed = run.escaped_killed;
  if (!run.started) {
    return not_started(run.start_error);
  }
  const util::RunResult& r = run.result;
  a.exit_code = r.exit_code;
  a.term_signal = r.term_signal;
  (void)write_text(a.run_dir + "/stdout.txt", r.out);
  (void)write_text(a.run_dir + "/stderr.txt", r.err);
  e.timed_out = r.timed_out;
  e.idle_timed_out = r.idle_timed_out;
  e.cancelled = r.cancelled;
  e.exit_code = r.exit_code;
  e.term_signal = r.term_signal;
  e.out_dropped = r.out_dropped + r.err_dropped;
  e.stderr_tail = tail(r.err, 2000);
  e.report = parse_agent_output(preset.output, r.out);
  a.report = e.report;
  if (e.report.final_text.empty() && exists(last_message)) {
    if (auto text = util::read_file(last_message, {.max_bytes = 65536})) {
      e.report.final_text = std::string(util::trim(*text));
    }
  }
  if (run.escaped_killed > 0) {
    a.warnings.push_back(fmt::format("killed {} process(es) the agent left behind outside its "
                                     "process group",
                                     run.escaped_killed));
  }

  // The artifact: a response in responses/ (from submit_fix or written by the agent), a rejection
  // submit_fix already recorded, or the worktree's changes.
  auto diff = worktree->diff();
  if (!diff) {
    a.warnings.push_back(diff.error());
  }
  std::string changes = diff ? *diff : std::string();
  if (exists(response_path) && !changes.empty()) {
    // A response without a patch from an agent that edited the worktree: the edits are the patch.
    if (auto text = util::read_file(response_path, {.max_bytes = size_t{64} << 20})) {
      json j = json::parse(*text, nullptr, false);
      if (j.is_object() && j.value("status", "") == "complete" &&
          !(j.contains("patch") && j["patch"].is_object() &&
            (!str(j["patch"], "diff").empty() ||
             (j["patch"].contains("edits") && !j["patch"]["edits"].empty()))) &&
          !(j.contains("edits") && j["edits"].is_array() && !j["edits"].empty())) {
        j["patch"] = {
            {"format", "unified-diff"}, {"base_commit", worktree->commit()}, {"diff", changes}};
        (void)write_text(response_path, dump(j));
      }
    }
  } else if (!exists(response_path) && !changes.empty() &&
             rejections(q, a.id).count == before.count) {
    std::string summary = str(e.report.structured_output, "summary");
    if (summary.empty()) {
      summary = e.report.final_text;
    }
    if (summary.empty() && !e.report.envelope_found) {
      summary = std::string(util::trim(tail(r.out, 2000))); // plain text: its last words
    }
    if (summary.empty()) {
      summary = fmt::format("Changes made by agent '{}' in its worktree (it wrote no analysis).",
                            preset.name);
    }
    if (summary.size() > 2000) {
      summary.resize(2000);
      while (!summary.empty() && (static_cast<unsigned char>(summary.back()) & 0xC0) == 0x80) {
        summary.pop_back();
      }
      if (!summary.empty() && static_cast<unsigned char>(summary.back()) >= 0xC0) {
        summary.pop_back();
      }
    }
    json made = {
        {"schema_version", 2},
        {"request_id", a.id},
        {"lease_id", a.claim.lease.lease_id},
        {"timestamp", queue::iso_utc(queue::now_unix())},
        {"status", "complete"},
        {"analysis", {{"summary", summary}}},
        {"patch",
         {{"format", "unified-diff"}, {"base_commit", worktree->commit()}, {"diff", changes}}},
        {"agent", {{"name", preset.name}}}};
    if (!e.report.session_id.empty()) {
      made["agent"]["session_id"] = e.report.session_id;
    }
    if (auto w = write_text(response_path, dump(made)); !w) {
      a.warnings.push_back(w.error());
    }
  }
  if (exists(response_path)) {
    if (auto text = util::read_file(response_path, {.max_bytes = size_t{64} << 20})) {
      (void)write_text(a.run_dir + "/response.json", *text);
      json j = json::parse(*text, nullptr, false);
      a.response_json = j.is_discarded() ? *text : j.dump();
    }
    auto check = q.check_response(a.id, queue::now_unix());
    if (!check) {
      a.warnings.push_back(check.error());
    } else if (check->validation.ok()) {
      e.artifact = Artifact::valid;
    } else {
      e.artifact = Artifact::rejected;
      e.artifact_reasons = check->validation.reasons;
    }
  } else if (Rejections after = rejections(q, a.id); after.count > before.count) {
    e.artifact = Artifact::rejected;
    e.artifact_reasons = after.newest;
  }
  return classify_run(e);
}

} // namespace crashpilot::analyze
