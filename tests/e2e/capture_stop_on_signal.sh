#!/usr/bin/env bash
# SIGTERM to crashpilot stops the server gracefully and crashpilot exits 0; nothing is left running.
source "$(dirname "$0")/common.sh"
require_crashy
"$CRASHPILOT" run --json --crash-dir crashes --store db.sqlite --queue-root q -- "$CRASHY" --mode sleep >stdout.txt 2>stderr.txt &
cp=$!
for _ in $(seq 100); do
  grep -q '"started"' stdout.txt 2>/dev/null && break
  sleep 0.05
done
grep -q '"started"' stdout.txt || fail "did not start"
server=$(json_event started | jq -r .pid)
kill -TERM $cp
set +e
wait $cp
rc=$?
set -e
[ $rc -eq 0 ] || fail "exit $rc: $(cat stderr.txt)"
kill -0 "$server" 2>/dev/null && fail "server $server still running"
json_event stopped | grep -q "stopped by signal" || fail "stop event: $(cat stdout.txt)"
! json_event crashed | grep -q . || fail "a graceful stop was reported as a crash"
expect_no_crashy
