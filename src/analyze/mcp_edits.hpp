// SPDX-License-Identifier: MIT
#pragma once

// submit_fix's `edits` (exact old_string -> new_string replacements) turned into the canonical
// form the queue applies: a unified diff against the request's base commit (§6.3: edits are the
// preferred LLM patch form because model-written diffs fail on line numbers and whitespace). Each
// old_string must occur exactly once in the file as the previous edits left it, unless
// replace_all is set; every mismatch is reported, naming the edit, so the model can fix it.

#include <analyze/mcp_source.hpp>
#include <queue/response.hpp>

#include <string>
#include <vector>

namespace crashpilot::analyze {

struct EditsDiff {
  std::string diff;                  // `git diff` of the edited files; "" when problems
  std::vector<std::string> problems; // one per failing edit
};

EditsDiff edits_to_diff(SourceReader& reader, const SourceRef& ref,
                        const std::vector<queue::Edit>& edits);

} // namespace crashpilot::analyze
