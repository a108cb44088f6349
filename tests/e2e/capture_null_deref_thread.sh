#!/usr/bin/env bash
# A null dereference in a named worker thread, captured under ptrace: the report names the crashing
# thread, the inlined function and its caller with the lines of the program's source, lists every
# thread, is written as JSON + text, and the text triages back to the same signature.
source "$(dirname "$0")/common.sh"
require_crashy
run "$CRASHPILOT" run --json --max-crashes 1 --crash-dir crashes --store db.sqlite --queue-root q -- "$CRASHY" --mode null-thread
expect_rc 0
ev=$(json_event crashed)
[ -n "$ev" ] || fail "no crashed event: $out"
[ "$(jq -r .outcome <<<"$ev")" = crash ] || fail "outcome: $ev"
[ "$(jq -r .crash.exception_code <<<"$ev")" = SIGSEGV ] || fail "code: $ev"
[ $(( $(jq -r .crash.fault_address <<<"$ev") )) -lt 4096 ] || fail "fault address: $(jq -r .crash.fault_address <<<"$ev")"
[ "$(jq -r .crash.crash_category <<<"$ev")" = NULL_DEREF ] || fail "category: $(jq -r .crash.crash_category <<<"$ev")"
deref=$(crashy_line null-deref)
update=$(crashy_line map-update)
report=$(jq -r .report <<<"$ev")
[ -f "$report" ] || fail "no JSON report at $report"
[ -f "$(jq -r .report_text <<<"$ev")" ] || fail "no text report"
# The crashing thread: named, first, with the inline chain and the source lines.
th=$(jq -c '.crash.threads[0]' "$report")
[ "$(jq -r .name <<<"$th")" = map-worker ] || fail "crashing thread name: $th"
[ "$(jq -r .crashing <<<"$th")" = true ] || fail "first thread is not the crashing one"
jq -e --arg l "$deref" '[.frames[] | select((.function | startswith("game::ReadHealth")) and .inlined and (.file | endswith("crashy.cpp")) and (.line == ($l|tonumber)))] | length == 1' <<<"$th" >/dev/null ||
  fail "no inlined game::ReadHealth at crashy.cpp:$deref: $(jq -c '[.frames[] | {function, file, line, inlined}]' <<<"$th")"
jq -e '[.frames[] | select(.function | startswith("game::ApplyDamage"))] | length == 1' <<<"$th" >/dev/null || fail "no ApplyDamage frame"
jq -e --arg l "$update" '[.frames[] | select((.function | startswith("game::Map::Update")) and .line == ($l|tonumber))] | length == 1' <<<"$th" >/dev/null ||
  fail "no game::Map::Update at line $update"
# Every thread: main, net, db and the worker.
names=$(jq -r '[.crash.threads[].name] | sort | join(",")' "$report")
[ "$names" = "crashy,db,map-worker,net" ] || fail "threads: $names"
jq -e '.snapshot.build_id | length == 40' "$report" >/dev/null || fail "no build-id"
jq -e '.snapshot.timing_us.frozen < 1000000' "$report" >/dev/null || fail "frozen for a second or more"
jq -e '.exit.signal == 11' "$report" >/dev/null || fail "the server did not die of its SIGSEGV: $(jq -c .exit "$report")"
# The text report reads back (gdb shape) to the same signature.
sig=$(jq -r .crash.signature.id <<<"$ev")
run "$CRASHPILOT" triage --json "$(jq -r .report_text <<<"$ev")"
expect_rc 0
[ "$(jq -r .signature.id stdout.txt)" = "$sig" ] || fail "text report triages to $(jq -r .signature.id stdout.txt), not $sig"
# Recorded: one bucket, one request.
run "$CRASHPILOT" crashes --json --store db.sqlite
expect_rc 0
expect_out "$sig"
ls q/requests/request_*.json >/dev/null || fail "no analysis request queued"
expect_no_crashy
