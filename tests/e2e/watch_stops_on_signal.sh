#!/usr/bin/env bash
# `watch` without --once keeps following its directory, ingests a report that appears while it runs,
# and exits 0 on SIGTERM.
source "$(dirname "$0")/common.sh"
mkdir Crashes
"$CRASHPILOT" watch --store s.db --queue-root q --interval-ms 50 --json Crashes > watch.out 2> watch.err &
pid=$!
sleep 0.3
cp "$(fixture windows/legioncore-140-map-update-callstack-only.txt)" Crashes/new.txt
for _ in $(seq 1 100); do
  grep -q new.txt watch.out && break
  sleep 0.05
done
grep -q new.txt watch.out || { kill "$pid"; fail "the new report was not ingested: $(cat watch.out watch.err)"; }
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "watch exited $rc on SIGTERM: $(cat watch.err)"
[ "$(jq -r .count watch.out)" = 1 ] || fail "unexpected output: $(cat watch.out)"
