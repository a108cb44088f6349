// SPDX-License-Identifier: MIT
#include <model/json.hpp>

#include <analyze/worktree.hpp>
#include <loop/record.hpp>
#include <queue/snippets.hpp>

namespace crashpilot::loop {

queue::RequestInput make_request_input(const RecordTarget& t, const model::Crash& crash,
                                       const store::Bucket& bucket,
                                       const model::LogContext& context,
                                       std::vector<std::string>& warnings) {
  queue::RequestInput in;
  in.crash = crash;
  in.context = context;
  // The request carries the analysis, not the report text (that is in the store).
  in.crash.raw.clear();
  in.bucket.id = bucket.signature_id;
  in.bucket.signature = crash.signature.text;
  in.bucket.count = bucket.count;
  in.bucket.first_seen = bucket.first_seen;
  in.bucket.last_seen = bucket.last_seen;
  in.policy = t.policy;
  const std::string& repo = t.queue->options().repo_root;
  if (!repo.empty()) {
    in.source.repo_root = repo;
    // Without a known build revision, the repository's HEAD is the best guess; a patch checked
    // against it still has to apply, so a wrong guess is caught, not applied blindly.
    in.source.base_commit = t.base_commit;
    if (in.source.base_commit.empty()) {
      if (auto head = analyze::resolve_commit(repo, "HEAD")) {
        in.source.base_commit = *head;
      }
    }
    if (const model::Thread* th = crash.crashing_thread()) {
      queue::SnippetOptions so;
      so.repo_root = repo;
      if (auto snippets = queue::read_snippets(th->frames, so)) {
        in.source.snippets = std::move(*snippets);
      } else {
        warnings.push_back(snippets.error());
      }
    }
  }
  return in;
}

util::Expected<RecordedCrash> record_crash(const RecordTarget& t, const model::Crash& crash,
                                           const std::string& text, const std::string& report_path,
                                           const OccurrenceExtras& extras) {
  store::OccurrenceInfo info;
  info.host = t.host;
  info.report_path = report_path;
  info.raw = text;
  info.time = extras.time;
  info.build_id = extras.build_id;
  info.revision = extras.revision;
  if (!extras.context.empty()) {
    info.log_context = model::to_json(extras.context);
  }
  auto recorded = t.store->record(crash, info);
  if (!recorded) {
    return util::error(recorded.error());
  }
  RecordedCrash rc{std::move(*recorded), std::nullopt, {}};
  if (rc.record.status == store::BucketStatus::ignored || t.queue == nullptr) {
    return rc;
  }
  auto detail = t.store->get_bucket(rc.record.bucket, 1);
  if (!detail) {
    return util::error(detail.error());
  }
  store::Bucket bucket;
  if (*detail) {
    bucket = (*detail)->bucket;
  } else {
    bucket.signature_id = rc.record.bucket;
    bucket.count = rc.record.count;
    bucket.first_seen = bucket.last_seen = store::now_seconds();
  }
  auto enqueued =
      t.queue->enqueue(make_request_input(t, crash, bucket, extras.context, rc.warnings));
  if (!enqueued) {
    return util::error(enqueued.error());
  }
  rc.request = std::move(*enqueued);
  return rc;
}

} // namespace crashpilot::loop
