// SPDX-License-Identifier: MIT
#include <cli/ingest.hpp>
#include <model/json.hpp>

#include <fmt/format.h>
#include <store/json.hpp>

namespace crashpilot::cli {

util::Expected<std::vector<IngestedCrash>> ingest_input(Workspace& ws, const TriagedInput& input,
                                                        const std::string& report_path,
                                                        const loop::OccurrenceExtras& extras) {
  loop::RecordTarget target{ws.store ? &*ws.store : nullptr, ws.queue ? &*ws.queue : nullptr,
                            ws.policy, ws.host, ""};
  std::vector<IngestedCrash> out;
  for (size_t i = 0; i < input.crashes.size(); ++i) {
    auto recorded = loop::record_crash(target, input.crashes[i], input.text, report_path, extras);
    if (!recorded) {
      return util::error(recorded.error());
    }
    for (const auto& w : recorded->warnings) {
      print_warning(w);
    }
    out.push_back(IngestedCrash{i, std::move(recorded->record), std::move(recorded->request)});
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
