#!/usr/bin/env bash
# The same crash again and again: restarted with backoff until the crash-loop rule stops it, exit 6.
source "$(dirname "$0")/common.sh"
require_crashy
run "$CRASHPILOT" run --json --set capture.crash_loop_count=3 --set capture.backoff_initial_ms=10 \
  --crash-dir crashes --store db.sqlite --queue-root q -- "$CRASHY" --mode null-thread --after-ms 1
expect_rc 6
[ "$(jq -r 'select(.event == "crashed") | .crash.signature.id' stdout.txt | sort -u | wc -l)" = 1 ] || fail "signatures differ"
[ "$(jq -r 'select(.event == "crashed")' stdout.txt | jq -s length)" = 3 ] || fail "expected 3 crashes: $out"
json_event crash_loop | grep -q "crash loop" || fail "no crash_loop event"
[ "$(json_event restart | jq -r .detail)" = "in 10 ms" ] || fail "first backoff: $out"
# One bucket seen 3 times, one request.
[ "$(ls q/requests/ | wc -l)" = 1 ] || fail "requests: $(ls q/requests)"
expect_no_crashy
