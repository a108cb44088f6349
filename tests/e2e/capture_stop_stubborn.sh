#!/usr/bin/env bash
# A server that ignores SIGTERM: after capture.stop_grace_seconds it gets SIGKILL, crashpilot exits 0
# and nothing is left running; the forced stop is said, not reported as a crash.
source "$(dirname "$0")/common.sh"
require_crashy
"$CRASHPILOT" run --json --set capture.stop_grace_seconds=1 --crash-dir crashes --store db.sqlite --queue-root q -- \
  "$CRASHY" --mode sleep --ignore-term >stdout.txt 2>stderr.txt &
cp=$!
for _ in $(seq 100); do
  grep -q '"started"' stdout.txt 2>/dev/null && break
  sleep 0.05
done
server=$(json_event started | jq -r .pid)
sleep 0.2
start=$(date +%s%N)
kill -INT $cp
set +e
wait $cp
rc=$?
set -e
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ $rc -eq 0 ] || fail "exit $rc: $(cat stderr.txt)"
kill -0 "$server" 2>/dev/null && fail "server $server still running"
grep -q 'SIGKILL' stdout.txt || fail "the forced stop is not said: $(cat stdout.txt)"
[ $elapsed_ms -ge 900 ] || fail "killed after $elapsed_ms ms, before the grace period"
! json_event crashed | grep -q . || fail "a forced stop was reported as a crash"
expect_no_crashy
