#!/usr/bin/env bash
# Two builds of the same bug (NPCBots #13 on TrinityCore, #401 on AzerothCore) make one bucket with
# count 2 and one analysis request.
source "$(dirname "$0")/common.sh"
cp_="--store=$scratch/s.db --queue-root=$scratch/q"

run "$CRASHPILOT" ingest $cp_ "$(fixture assertion/npcbots-13-object-getmap-currmap.txt)"
expect_rc 0
expect_out "new bucket"
run "$CRASHPILOT" ingest $cp_ --json "$(fixture assertion/npcbots-401-ac-worldobject-getmap.txt)"
expect_rc 0
[ "$(jq -r .count stdout.txt)" = 2 ] || fail "second build not counted in the bucket: $out"
[ "$(jq -r .new_bucket stdout.txt)" = false ] || fail "a second bucket was made: $out"
[ "$(jq -r .request.created stdout.txt)" = false ] || fail "a second request was made: $out"

run "$CRASHPILOT" crashes $cp_ --json
expect_rc 0
[ "$(wc -l < stdout.txt)" -eq 1 ] || fail "expected one bucket: $out"
[ "$(jq -r .count stdout.txt)" = 2 ] || fail "bucket count: $out"
[ "$(ls q/requests | grep -c '^request_.*\.json$')" -eq 1 ] || fail "expected one request: $(ls q/requests)"
