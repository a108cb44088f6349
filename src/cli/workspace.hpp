// SPDX-License-Identifier: MIT
#pragma once

// What the history commands share: the triage rules, the store and the queue, opened from the
// configuration with the --store / --queue-root overrides. Also the one place that binds the
// store's near-signature test to triage (the store may not depend on triage).

#include <cli/options.hpp>
#include <config/config.hpp>
#include <triage/rules.hpp>
#include <util/expected.hpp>

#include <queue/queue.hpp>
#include <store/store.hpp>

#include <optional>
#include <string>

namespace crashpilot::cli {

// From `[store]`: max_occurrences_per_bucket, max_total_raw_bytes, max_raw_bytes_per_report,
// busy_timeout_ms (each a positive integer; anything else is an error naming the key). is_near is
// triage::is_near with `similarity_threshold`.
util::Expected<store::Options> store_options_from_config(const config::Config& cfg,
                                                         double similarity_threshold);

// --store, else `[store] path`, else .crashpilot/crashpilot.db.
std::string store_path(const Invocation& inv, const config::Config& cfg);

struct Workspace {
  triage::Rules rules;
  std::optional<store::Store> store;
  std::optional<queue::Queue> queue;
  queue::Policy policy;
  std::string host;
};

struct WorkspaceNeeds {
  bool store = true;
  bool queue = true;
};

// Opens what `needs` asks for. On failure prints the error and sets `exit_code` (usage for
// configuration errors, failure for a store or queue that cannot be opened).
std::optional<Workspace> open_workspace(const Invocation& inv, const config::Config& cfg,
                                        WorkspaceNeeds needs, int& exit_code);

// "user@host" for leases.
std::string default_holder();
std::string host_name();

} // namespace crashpilot::cli
