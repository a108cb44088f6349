#!/usr/bin/env bash
# A hostile response (path traversal, wrong lease) written into responses/ is rejected by `queue
# check`: exit 5, moved to rejected/ with the reasons, responses/ left empty.
source "$(dirname "$0")/common.sh"
q="--store=s.db --queue-root=q"
run "$CRASHPILOT" ingest $q --json "$(fixture windows/legioncore-140-map-update-callstack-only.txt)"
expect_rc 0
id=$(jq -r .request.request_id stdout.txt)
run "$CRASHPILOT" queue claim $q --json "$id"
expect_rc 0

diff=$'diff --git a/../../etc/passwd b/../../etc/passwd\n--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-root\n+pwned\n'
jq -n --arg id "$id" --arg diff "$diff" '{schema_version: 2, request_id: $id, lease_id: "not-the-lease",
  status: "complete", analysis: {summary: "x"}, patch: {format: "unified-diff", base_commit: "abc", diff: $diff}}' \
  > "q/responses/response_$id.json"

run "$CRASHPILOT" queue check $q "$id"
expect_rc 5
expect_out "rejected"
expect_out "path traversal"
[ -z "$(ls q/responses)" ] || fail "response left in responses/: $(ls q/responses)"
[ -f "q/rejected/response_$id.json" ] || fail "not moved to rejected/: $(ls q/rejected)"
[ -f "q/rejected/reason_$id.json" ] || fail "no reason file: $(ls q/rejected)"
grep -q lease "q/rejected/reason_$id.json" || fail "reason file does not name the lease"

run "$CRASHPILOT" queue check $q "$id"
expect_rc 4
