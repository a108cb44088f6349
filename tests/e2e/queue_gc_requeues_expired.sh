#!/usr/bin/env bash
# `queue gc` puts a claim whose lease expired back into requests/, recording why, and a claim with a
# live lease stays where it is.
source "$(dirname "$0")/common.sh"
q="--store=s.db --queue-root=q"
run "$CRASHPILOT" ingest $q --json "$(fixture windows/legioncore-140-map-update-callstack-only.txt)"
expect_rc 0
id=$(jq -r .request.request_id stdout.txt)

run "$CRASHPILOT" queue claim $q --holder live
expect_rc 0
run "$CRASHPILOT" queue gc $q --json
expect_rc 0
[ "$(jq -r '.requeued | length' stdout.txt)" = 0 ] || fail "a live claim was requeued: $out"

run "$CRASHPILOT" queue release $q "$id" --reason "retry with a short lease"
expect_rc 0
run "$CRASHPILOT" queue claim $q --holder gone --set queue.lease_seconds=0
expect_rc 0
run "$CRASHPILOT" queue gc $q
expect_rc 0
expect_out "put 1 expired claim(s) back"
expect_out "lease of gone"
run "$CRASHPILOT" queue show $q --json "$id"
[ "$(jq -r .state stdout.txt)" = pending ] || fail "not requeued: $out"
