#!/usr/bin/env bash
# `queue claim` takes the request (path and lease printed); `queue list` then shows it claimed with
# its holder; `release` puts it back; claiming again when nothing is pending exits 4.
source "$(dirname "$0")/common.sh"
q="--store=s.db --queue-root=q"
run "$CRASHPILOT" ingest $q --json "$(fixture windows/legioncore-140-map-update-callstack-only.txt)"
expect_rc 0
id=$(jq -r .request.request_id stdout.txt)

run "$CRASHPILOT" queue list $q --json
expect_rc 0
[ "$(jq -r .state stdout.txt)" = pending ] || fail "not pending: $out"

run "$CRASHPILOT" queue claim $q --holder tester
expect_rc 0
expect_out "claimed $id"
expect_out "q/in_progress/request_$id.json"
expect_out "lease"

run "$CRASHPILOT" queue list $q
expect_rc 0
expect_out "in_progress"
expect_out "tester"
run "$CRASHPILOT" queue list $q --json
[ "$(jq -r .lease.holder stdout.txt)" = tester ] || fail "lease holder: $out"

run "$CRASHPILOT" queue claim $q
expect_rc 4

run "$CRASHPILOT" queue release $q "$id" --reason "testing release"
expect_rc 0
run "$CRASHPILOT" queue show $q --json "$id"
expect_rc 0
[ "$(jq -r .state stdout.txt)" = pending ] || fail "not back to pending: $out"
run "$CRASHPILOT" queue show $q no_such_id
expect_rc 4
