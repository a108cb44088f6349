#!/usr/bin/env bash
# Ingesting the same report twice counts it twice in its bucket; the bucket keeps one request, whose
# count follows.
source "$(dirname "$0")/common.sh"
report=$(fixture windows/legioncore-140-map-update-callstack-only.txt)

run "$CRASHPILOT" ingest --store s.db --queue-root q --json "$report"
expect_rc 0
id=$(jq -r .request.request_id stdout.txt)
[ "$(jq -r .count stdout.txt)" = 1 ] || fail "first count: $out"
run "$CRASHPILOT" ingest --store s.db --queue-root q "$report"
expect_rc 0
expect_out "seen 2 times"
expect_out "request $id (updated)"
[ "$(ls q/requests | grep -c '^request_.*\.json$')" -eq 1 ] || fail "expected one request: $(ls q/requests)"
[ "$(jq -r .bucket.count "q/requests/request_$id.json")" = 2 ] || fail "request count not updated"

: > empty.txt
run "$CRASHPILOT" ingest --store s.db --queue-root q "$report" empty.txt
expect_rc 3
expect_out "empty input"
run "$CRASHPILOT" ingest --store s.db --queue-root q - - 
expect_rc 2
