// SPDX-License-Identifier: MIT
// `crashpilot queue list|show ID|claim [ID]|release ID --reason TEXT|check ID|gc`: the analysis
// queue from the command line, for people and for agents that do not speak MCP.
#include <cli/commands.hpp>
#include <cli/table.hpp>
#include <cli/workspace.hpp>

#include <fmt/format.h>
#include <store/store.hpp>

#include <algorithm>

namespace crashpilot::cli {

namespace {

using nlohmann::json;

void print_json_line(const json& j) {
  fmt::print("{}\n", j.dump(-1, ' ', false, json::error_handler_t::replace));
}

json entry_json(const queue::Queue& q, const queue::RequestEntry& e) {
  const json& r = e.request;
  json out = {
      {"request_id", e.request_id},
      {"state", queue::to_string(e.state)},
      {"path", e.path},
      {"bucket", r.contains("bucket") ? r["bucket"].value("id", std::string()) : std::string()},
      {"priority", r.value("priority", std::string())},
      {"priority_score", r.value("priority_score", json(nullptr))},
      {"count", r.contains("bucket") ? r["bucket"].value("count", json(nullptr)) : json(nullptr)}};
  if (e.state == queue::State::in_progress) {
    auto lease = q.current_lease(e.request_id);
    out["lease"] = lease ? queue::to_json(*lease) : json(nullptr);
  }
  return out;
}

// Pending first, then in progress, then completed; within a state the highest priority first.
void sort_for_listing(std::vector<queue::RequestEntry>& entries) {
  auto score = [](const queue::RequestEntry& e) {
    const json& s =
        e.request.contains("priority_score") ? e.request["priority_score"] : json(nullptr);
    return s.is_number() ? s.get<double>() : 0.0;
  };
  std::stable_sort(entries.begin(), entries.end(),
                   [&](const queue::RequestEntry& a, const queue::RequestEntry& b) {
                     if (a.state != b.state) {
                       return static_cast<int>(a.state) < static_cast<int>(b.state);
                     }
                     return score(a) > score(b);
                   });
}

int list(const Invocation& inv, const queue::Queue& q) {
  auto all = q.list();
  if (!all) {
    print_error(all.error());
    return exit_code::failure;
  }
  sort_for_listing(*all);
  if (inv.global.json) {
    for (const auto& e : *all) {
      print_json_line(entry_json(q, e));
    }
    return exit_code::ok;
  }
  std::vector<Row> rows;
  int64_t now = store::now_seconds();
  for (const auto& e : *all) {
    json j = entry_json(q, e);
    std::string lease = "-";
    if (auto l = j.find("lease"); l != j.end() && !l->is_null()) {
      int64_t expires = l->value("expires_at_unix", int64_t{0});
      lease = fmt::format("{} until {}{}", l->value("holder", std::string()), short_time(expires),
                          expires <= now ? " (expired)" : "");
    }
    const json& crash = e.request.contains("crash") ? e.request["crash"] : json::object();
    rows.push_back({e.request_id, std::string(queue::to_string(e.state)),
                    j["priority"].get<std::string>(),
                    j["count"].is_null() ? "-" : j["count"].dump(), j["bucket"].get<std::string>(),
                    crash.value("crash_function", std::string("-")), lease});
  }
  print_table(Terminal::detect(inv.global.color),
              {"REQUEST", "STATE", "PRIORITY", "COUNT", "BUCKET", "FUNCTION", "LEASE"}, rows);
  return exit_code::ok;
}

int show(const Invocation& inv, const queue::Queue& q) {
  auto e = q.find(inv.queue.id);
  if (!e) {
    print_error(e.error());
    return exit_code::not_found;
  }
  json j = entry_json(q, *e);
  j["request"] = e->request;
  if (inv.global.json) {
    print_json_line(j);
  } else {
    Terminal t = Terminal::detect(inv.global.color);
    fmt::print("{} {}  {}  {}\n", t.bold("request"), e->request_id, queue::to_string(e->state),
               e->path);
    if (j.contains("lease") && !j["lease"].is_null()) {
      fmt::print("{} {}\n", t.bold("lease"), j["lease"].dump());
    }
    fmt::print("{}\n", e->request.dump(2, ' ', false, json::error_handler_t::replace));
  }
  return exit_code::ok;
}

int claim(const Invocation& inv, queue::Queue& q) {
  std::string holder = inv.queue.holder.empty() ? default_holder() : inv.queue.holder;
  int64_t now = store::now_seconds();
  std::optional<queue::Claim> c;
  if (inv.queue.id.empty()) {
    auto next = q.claim_next(holder, now);
    if (!next) {
      print_error(next.error());
      return exit_code::failure;
    }
    if (!*next) {
      print_error(fmt::format("no pending request in {}", q.options().root));
      return exit_code::not_found;
    }
    c = std::move(**next);
  } else {
    auto entry = q.find(inv.queue.id);
    if (!entry) {
      print_error(entry.error());
      return exit_code::not_found;
    }
    // A request whose lease expired is taken over; a live lease makes reclaim say who holds it.
    auto got = entry->state == queue::State::in_progress ? q.reclaim(inv.queue.id, holder, now)
                                                         : q.claim(inv.queue.id, holder, now);
    if (!got) {
      print_error(got.error());
      return exit_code::not_found;
    }
    c = std::move(*got);
  }
  if (inv.global.json) {
    print_json_line({{"request_id", c->request_id},
                     {"path", c->path},
                     {"lease", queue::to_json(c->lease)},
                     {"reclaimed", c->reclaimed},
                     {"attempt", c->attempt},
                     {"response_path", q.response_path(c->request_id)}});
  } else {
    fmt::print(
        "claimed {}{}\n  request  {}\n  lease    {} (holder {}, expires {})\n  reply to {}\n",
        c->request_id, c->reclaimed ? " (reclaimed: the previous lease expired)" : "", c->path,
        c->lease.lease_id, c->lease.holder, short_time(c->lease.expires_at),
        q.response_path(c->request_id));
  }
  return exit_code::ok;
}

int release(const Invocation& inv, queue::Queue& q) {
  std::string lease_id = inv.queue.lease;
  if (lease_id.empty()) {
    auto lease = q.current_lease(inv.queue.id);
    if (!lease) {
      print_error(fmt::format("request '{}' has no lease (is it claimed?)", inv.queue.id));
      return exit_code::not_found;
    }
    lease_id = lease->lease_id;
  }
  if (auto r = q.release(inv.queue.id, lease_id, inv.queue.reason, store::now_seconds()); !r) {
    print_error(r.error());
    return exit_code::failure;
  }
  if (inv.global.json) {
    print_json_line(
        {{"request_id", inv.queue.id}, {"released", true}, {"reason", inv.queue.reason}});
  } else {
    fmt::print("released {}: {}\n", inv.queue.id, inv.queue.reason);
  }
  return exit_code::ok;
}

int check(const Invocation& inv, queue::Queue& q) {
  if (auto e = q.find(inv.queue.id); !e) {
    print_error(e.error());
    return exit_code::not_found;
  }
  auto r = q.check_response(inv.queue.id, store::now_seconds());
  if (!r) {
    print_error(r.error());
    return exit_code::not_found;
  }
  const queue::Validation& v = r->validation;
  if (inv.global.json) {
    print_json_line(
        {{"request_id", inv.queue.id},
         {"valid", v.ok()},
         {"reasons", v.reasons},
         {"warnings", v.warnings},
         {"rejected_path", r->rejected_path.empty() ? json(nullptr) : json(r->rejected_path)},
         {"reason_path", r->reason_path.empty() ? json(nullptr) : json(r->reason_path)}});
  } else {
    Terminal t = Terminal::detect(inv.global.color);
    if (v.ok()) {
      fmt::print("{} response for {} is valid\n", t.green("ok"), inv.queue.id);
    } else {
      fmt::print("{} response for {}: moved to {}\n", t.red("rejected"), inv.queue.id,
                 r->rejected_path);
      for (const auto& reason : v.reasons) {
        fmt::print("  - {}\n", reason);
      }
    }
    for (const auto& w : v.warnings) {
      fmt::print("  {} {}\n", t.yellow("warning"), w);
    }
  }
  if (!v.ok()) {
    print_error(fmt::format("response for '{}' rejected: {}", inv.queue.id,
                            v.reasons.empty() ? std::string("invalid") : v.reasons.front()));
    return exit_code::rejected;
  }
  return exit_code::ok;
}

// Temp files of dead writers go; a request whose lease expired (or that never got one after the
// grace period) is taken over and put back into requests/, which records the expiry as an attempt.
int gc(const Invocation& inv, queue::Queue& q) {
  size_t removed = q.remove_stale_temp_files();
  auto all = q.list();
  if (!all) {
    print_error(all.error());
    return exit_code::failure;
  }
  int64_t now = store::now_seconds();
  std::vector<json> requeued;
  for (const auto& e : *all) {
    if (e.state != queue::State::in_progress) {
      continue;
    }
    std::optional<queue::Lease> old = q.current_lease(e.request_id);
    if (old && !old->expired(now)) {
      continue;
    }
    auto taken = q.reclaim(e.request_id, "crashpilot queue gc", now);
    if (!taken) {
      continue; // not yet reclaimable (a claim being written), or another process got it
    }
    std::string reason =
        old ? fmt::format("lease of {} (pid {} on {}) expired", old->holder, old->pid, old->host)
            : std::string("claimer died before writing its lease");
    if (auto r = q.release(e.request_id, taken->lease.lease_id, reason, now); !r) {
      print_error(r.error());
      return exit_code::failure;
    }
    requeued.push_back({{"request_id", e.request_id}, {"reason", reason}});
  }
  if (inv.global.json) {
    print_json_line({{"temp_files_removed", removed}, {"requeued", requeued}});
  } else {
    fmt::print("removed {} stale temporary file(s); put {} expired claim(s) back\n", removed,
               requeued.size());
    for (const auto& r : requeued) {
      fmt::print("  {}: {}\n", r["request_id"].get<std::string>(), r["reason"].get<std::string>());
    }
  }
  return exit_code::ok;
}

} // namespace

int run_queue(const Invocation& inv, const config::Config& config) {
  int code = exit_code::ok;
  auto ws = open_workspace(inv, config, {.store = false, .queue = true}, code);
  if (!ws) {
    return code;
  }
  queue::Queue& q = *ws->queue;
  const std::string& a = inv.queue.action;
  if (a == "list") {
    return list(inv, q);
  }
  if (a == "show") {
    return show(inv, q);
  }
  if (a == "claim") {
    return claim(inv, q);
  }
  if (a == "release") {
    return release(inv, q);
  }
  if (a == "check") {
    return check(inv, q);
  }
  if (a == "gc") {
    return gc(inv, q);
  }
  print_error(fmt::format("unknown queue action '{}'", a));
  return exit_code::usage;
}

} // namespace crashpilot::cli
