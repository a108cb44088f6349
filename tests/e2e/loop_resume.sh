#!/usr/bin/env bash
# `crashpilot run` killed with SIGKILL in the middle of a build resumes where it was: the attempt
# is taken up at its stage (no second analysis, no second branch or commit), built, verified and
# left ready; the user's repository is untouched throughout.
source "$(dirname "$0")/common.sh"
source "$CRASHPILOT_SOURCE_DIR/tests/e2e/loop_setup.sh.inc"
session_of bug1-fix
setup_sample "$scratch/session.json"

"$CRASHPILOT" run --json --mode review --agent recorded --max-iterations 1 --config crashpilot.toml >first.txt 2>first.err &
pid=$!
for _ in $(seq 1 600); do
  jq -s -e 'any(.[]; .stage == "build" and .event == "started")' first.txt >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || fail "the loop ended before its build: $(tail -5 first.txt)"
  sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
# The build it started may still run (it was not ours to kill any more): let it end.
for _ in $(seq 1 300); do pgrep -f "make -C $scratch/worktrees" >/dev/null || break; sleep 0.2; done
run "$CRASHPILOT" run --status --json --config crashpilot.toml
jq -e '[.fixes[] | select(.stage == "applied")] | length == 1' stdout.txt >/dev/null || fail "the killed attempt is not at stage applied: $out"
attempt=$(jq -r '.fixes[0].attempt' stdout.txt)
bucket=$(jq -r '.fixes[0].bucket' stdout.txt)

run timeout 300 "$CRASHPILOT" run --json --mode review --agent recorded --idle-exit 2 --config crashpilot.toml
expect_rc 0
jq -s -e --argjson a "$attempt" 'any(.[]; .event == "resume" and .attempt == $a)' stdout.txt >/dev/null || fail "no resume: ${out:0:1500}"
# The bucket is not analyzed again (the loot bug the fix uncovers is another bucket, and may be).
jq -s -e --arg b "$bucket" 'all(.[]; .stage != "analyze" or .event != "answered" or .bucket != $b)' stdout.txt >/dev/null ||
  fail "the resumed run analyzed the bucket again"
jq -s -e --argjson a "$attempt" 'any(.[]; .stage == "land" and .event == "ready" and .attempt == $a)' stdout.txt >/dev/null ||
  fail "the resumed attempt did not end ready: $(jq -c 'select(.stage != "capture")' stdout.txt | tail -10)"
[ "$(git -C server branch --list 'crashpilot/*' | wc -l)" = 1 ] || fail "branches: $(git -C server branch)"
branch=$(git -C server branch --list 'crashpilot/*' | tr -d ' *')
[ "$(git -C server rev-list --count "main..$branch")" = 1 ] || fail "the branch has more than one commit"
run "$CRASHPILOT" run --status --json --config crashpilot.toml
jq -e --arg b "$bucket" '[.fixes[] | select(.bucket == $b)] | length == 1 and .[0].stage == "ready" and .[0].verdict == "fixed"' stdout.txt >/dev/null ||
  fail "status: $out"
expect_user_tree_untouched
echo "ok"
