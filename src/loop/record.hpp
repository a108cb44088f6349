// SPDX-License-Identifier: MIT
#pragma once

// Recording one triaged crash: an occurrence in the store (a bucket per signature), and one
// analysis request per bucket in the queue (the queue updates an open request instead of adding a
// second), with source snippets when the queue knows the repository. `ingest`, `watch` and the
// loop's own captures all go through here.

#include <model/crash.hpp>
#include <model/log_context.hpp>
#include <util/expected.hpp>

#include <queue/policy.hpp>
#include <queue/queue.hpp>
#include <store/store.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crashpilot::loop {

struct RecordTarget {
  store::Store* store = nullptr;
  queue::Queue* queue = nullptr;
  queue::Policy policy;
  std::string host;
  std::string base_commit; // the revision the crashed build came from ("" = unknown)
};

// What a live capture knows beyond the report text.
struct OccurrenceExtras {
  model::LogContext context; // the server's logs just before the crash
  std::string build_id;      // the crashed executable's
  int64_t time = 0;          // unix seconds of the crash; 0 = now
  std::string revision;      // the source revision of the build
};

struct RecordedCrash {
  store::RecordResult record;
  std::optional<queue::EnqueueResult> request; // nullopt: the bucket is ignored, no request
  std::vector<std::string> warnings;           // snippets that could not be read
};

// The request for a bucket: the crash, its logs, the policy, the source snippets and base commit,
// and what earlier attempts left (a build log, the gate's reasons) for the next one.
queue::RequestInput make_request_input(const RecordTarget& target, const model::Crash& crash,
                                       const store::Bucket& bucket,
                                       const model::LogContext& context,
                                       std::vector<std::string>& warnings);

util::Expected<RecordedCrash> record_crash(const RecordTarget& target, const model::Crash& crash,
                                           const std::string& text, const std::string& report_path,
                                           const OccurrenceExtras& extras = {});

} // namespace crashpilot::loop
