#!/usr/bin/env bash
# Exit classification and the restart policy: a clean exit ends the run (on-failure), exit(3) at
# start-up is a start-up failure, later an abnormal exit; a start that cannot exec is an error.
source "$(dirname "$0")/common.sh"
require_crashy
run "$CRASHPILOT" run --json --crash-dir crashes --store db.sqlite --queue-root q -- "$CRASHY" --mode clean
expect_rc 0
[ "$(json_event exited | jq -r .outcome)" = clean_exit ] || fail "clean exit: $out"
[ "$(json_event stopped | jq -r .reason)" = "the server exited cleanly" ] || fail "stop reason: $out"

run "$CRASHPILOT" run --json --max-crashes 1 --crash-dir crashes --store db.sqlite --queue-root q -- "$CRASHY" --mode exit3
expect_rc 0
[ "$(json_event crashed | jq -r .outcome)" = startup_failure ] || fail "exit3 early: $out"

run "$CRASHPILOT" run --json --max-crashes 1 --set capture.startup_seconds=0 --crash-dir crashes --store db.sqlite --queue-root q -- "$CRASHY" --mode exit3
expect_rc 0
ev=$(json_event crashed)
[ "$(jq -r .outcome <<<"$ev")" = abnormal_exit ] || fail "exit3 later: $ev"
[ "$(jq -r .crash.exception_code <<<"$ev")" = "EXIT 3" ] || fail "code: $ev"

run "$CRASHPILOT" run --json --crash-dir crashes --store db.sqlite --queue-root q -- ./no-such-server --flag
expect_rc 1
expect_err "no-such-server"

run "$CRASHPILOT" run --crash-dir crashes --store db.sqlite --queue-root q
expect_rc 2
expect_err "no server command"
expect_no_crashy
