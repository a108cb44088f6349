#!/usr/bin/env bash
# Unbounded recursion: a SIGSEGV on the guard page, classified as stack exhaustion, with a stack cut
# at the frame cap instead of a report of a hundred thousand frames.
source "$(dirname "$0")/common.sh"
require_crashy
run "$CRASHPILOT" run --json --max-crashes 1 --crash-dir crashes --store db.sqlite --queue-root q -- "$CRASHY" --mode stack-overflow
expect_rc 0
ev=$(json_event crashed)
[ "$(jq -r .crash.exception_code <<<"$ev")" = SIGSEGV ] || fail "code: $ev"
[ "$(jq -r .crash.crash_category <<<"$ev")" = STACK_EXHAUSTION ] || fail "category: $(jq -r .crash.crash_category <<<"$ev")"
[ "$(jq -r .crash.crash_function <<<"$ev")" = "game::Recurse" ] || fail "function: $(jq -r .crash.crash_function <<<"$ev")"
report=$(jq -r .report <<<"$ev")
n=$(jq '.crash.threads[0].frames | length' "$report")
[ "$n" -le 256 ] || fail "$n frames: not capped"
expect_no_crashy
