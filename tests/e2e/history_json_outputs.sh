#!/usr/bin/env bash
# crashes, crashes --bucket, stats, schema print and queue list/show give valid JSON with --json.
source "$(dirname "$0")/common.sh"
q="--store=s.db --queue-root=q"
run "$CRASHPILOT" ingest $q --json "$(fixture windows/legioncore-140-map-update-callstack-only.txt)" \
  "$(fixture assertion/npcbots-13-object-getmap-currmap.txt)"
expect_rc 0
sig=$(head -1 stdout.txt | jq -r .bucket)
id=$(head -1 stdout.txt | jq -r .request.request_id)

check_json() { jq -e . stdout.txt > /dev/null || fail "not JSON: $out"; }
run "$CRASHPILOT" crashes $q --json; expect_rc 0; check_json
[ "$(wc -l < stdout.txt)" -eq 2 ] || fail "two buckets expected: $out"
run "$CRASHPILOT" crashes $q --json --bucket "$sig"; expect_rc 0; check_json
[ "$(jq -r '.occurrences | length' stdout.txt)" = 1 ] || fail "occurrences: $out"
[ "$(jq -r '.queue_requests[0].request_id' stdout.txt)" = "$id" ] || fail "request: $out"
run "$CRASHPILOT" crashes $q --json --bot; expect_rc 0; check_json
run "$CRASHPILOT" crashes $q --bucket nosuchbucket; expect_rc 4
run "$CRASHPILOT" crashes $q --status bogus; expect_rc 2
run "$CRASHPILOT" stats $q --json --days 3; expect_rc 0; check_json
[ "$(jq -r '.crashes_per_day | length' stdout.txt)" = 3 ] || fail "crashes_per_day: $out"
run "$CRASHPILOT" schema print request --json; expect_rc 0; check_json
run "$CRASHPILOT" schema print response; expect_rc 0; check_json
run "$CRASHPILOT" schema print nothing; expect_rc 2
run "$CRASHPILOT" queue list $q --json; expect_rc 0; check_json
run "$CRASHPILOT" queue show $q --json "$id"; expect_rc 0; check_json
run "$CRASHPILOT" queue gc $q --json; expect_rc 0; check_json
