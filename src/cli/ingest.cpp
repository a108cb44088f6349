// SPDX-License-Identifier: MIT
#include <cli/ingest.hpp>

#include <fmt/format.h>
#include <model/json.hpp>
#include <queue/snippets.hpp>
#include <store/json.hpp>

namespace crashpilot::cli {

namespace {

queue::RequestInput request_input(const Workspace& ws, const model::Crash& crash,
                                  const store::RecordResult& r, const store::Bucket* bucket,
                                  const model::LogContext& context) {
  queue::RequestInput in;
  in.crash = crash;
  in.context = context;
  in.crash.raw
      .clear(); // the request carries the analysis, not the report text (it is in the store)
  in.bucket.id = r.bucket;
  in.bucket.signature = crash.signature.text;
  in.bucket.count = r.count;
  in.bucket.first_seen = bucket ? bucket->first_seen : store::now_seconds();
  in.bucket.last_seen = bucket ? bucket->last_seen : store::now_seconds();
  in.policy = ws.policy;
  const std::string& repo = ws.queue->options().repo_root;
  if (!repo.empty()) {
    in.source.repo_root = repo;
    if (const model::Thread* th = crash.crashing_thread()) {
      queue::SnippetOptions so;
      so.repo_root = repo;
      if (auto snippets = queue::read_snippets(th->frames, so)) {
        in.source.snippets = std::move(*snippets);
      } else {
        print_warning(snippets.error());
      }
    }
  }
  return in;
}

} // namespace

util::Expected<std::vector<IngestedCrash>> ingest_input(Workspace& ws, const TriagedInput& input,
                                                        const std::string& report_path,
                                                        const OccurrenceExtras& extras) {
  std::vector<IngestedCrash> out;
  for (size_t i = 0; i < input.crashes.size(); ++i) {
    const model::Crash& crash = input.crashes[i];
    store::OccurrenceInfo info;
    info.host = ws.host;
    info.report_path = report_path;
    info.raw = input.text;
    info.time = extras.time;
    info.build_id = extras.build_id;
    if (!extras.context.empty()) {
      info.log_context = model::to_json(extras.context);
    }
    auto recorded = ws.store->record(crash, info);
    if (!recorded) {
      return util::error(recorded.error());
    }
    IngestedCrash ic{i, std::move(*recorded), std::nullopt};
    if (ic.record.status != store::BucketStatus::ignored) {
      auto detail = ws.store->get_bucket(ic.record.bucket, 1);
      if (!detail) {
        return util::error(detail.error());
      }
      const store::Bucket* bucket = *detail ? &(*detail)->bucket : nullptr;
      auto enqueued = ws.queue->enqueue(request_input(ws, crash, ic.record, bucket, extras.context));
      if (!enqueued) {
        return util::error(enqueued.error());
      }
      ic.request = std::move(*enqueued);
    }
    out.push_back(std::move(ic));
  }
  return out;
}

void print_ingested(const Terminal& t, bool json, const std::string& report_path,
                    const TriagedInput& input, const IngestedCrash& ic) {
  const model::Crash& c = input.crashes[ic.index];
  if (json) {
    nlohmann::json line = store::to_json(ic.record);
    line["file"] = report_path;
    line["crash_id"] = c.crash_id;
    line["kind"] = model::to_string(c.kind);
    line["crash_function"] = c.crash_function;
    line["crash_location"] = c.crash_location;
    line["crash_category"] = c.crash_category;
    line["severity"] = c.severity;
    line["is_bot_related"] = c.is_bot_related;
    if (ic.request) {
      line["request"] = {{"request_id", ic.request->request_id},
                         {"created", ic.request->created},
                         {"path", ic.request->path}};
    } else {
      line["request"] = nullptr;
    }
    fmt::print("{}\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  std::string state;
  if (ic.record.regressed) {
    state = t.red(ic.record.regressed_fix_attempt
                      ? fmt::format("REGRESSED (fix attempt {} did not hold)",
                                    *ic.record.regressed_fix_attempt)
                      : std::string("REGRESSED"));
  } else if (ic.record.new_bucket) {
    state = t.green("new bucket");
  } else {
    state = fmt::format("seen {} times", ic.record.count);
  }
  std::string request = ic.request ? fmt::format("request {}{}", ic.request->request_id,
                                                 ic.request->created ? " (new)" : " (updated)")
                                   : std::string("no request (bucket ignored)");
  fmt::print("{}  {}  {}  {}  {}  {}\n", report_path, state, t.bold(c.signature.id),
             t.cyan(c.crash_function.empty() ? "(unknown)" : c.crash_function),
             c.crash_location.empty() ? "-" : c.crash_location, request);
  for (const auto& linked : ic.record.linked) {
    fmt::print("  {} near bucket {}\n", t.dim("linked"), linked);
  }
}

void print_not_ingested(const Terminal& t, bool json, const std::string& report_path,
                        const TriagedInput& input) {
  if (json) {
    nlohmann::json line = {{"file", report_path}, {"error", input.error}, {"crash_id", nullptr}};
    fmt::print("{}\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("{}  {} {}\n", report_path, t.red("no crash:"), input.error);
  }
}

} // namespace crashpilot::cli
