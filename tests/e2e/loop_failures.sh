#!/usr/bin/env bash
# The fix loop when attempts fail: a patch that does not compile gets verdict build_failed and the
# compiler's errors go into the next request's previous attempts; the next answer is built and
# verified. Then a patch that only moves the crash one call deeper gets verdict `moved`.
source "$(dirname "$0")/common.sh"
source "$CRASHPILOT_SOURCE_DIR/tests/e2e/loop_setup.sh.inc"
session_of broken-build bug1-fix
setup_sample "$scratch/session.json"

run timeout 300 "$CRASHPILOT" run --json --mode review --agent recorded --max-iterations 2 --config crashpilot.toml
expect_rc 0
failed=$(jq -c 'select(.stage == "build" and .event == "failed")' stdout.txt | head -1)
[ -n "$failed" ] || fail "no failed build: $(jq -c 'select(.stage != "capture")' stdout.txt | tail -20)"
# The second request carries the first attempt's build errors.
second=$(jq -r 'select(.stage == "analyze" and .event == "requeued") | .message' stdout.txt | head -1 | sed -n 's/.*(\(.*\))$/\1/p')
[ -n "$second" ] || fail "the bucket was not asked again"
req=$(ls queue/*/request_"$second".json | head -1)
jq -e '.attempt.previous | any(.outcome == "build_failed" and (.log_tail | test("error")))' "$req" >/dev/null ||
  fail "the next request lacks the build errors: $(jq -c .attempt "$req")"
# ... and so does the prompt the agent got (agents without MCP read only that).
grep -qs "build_failed" runs/"$second"/*/prompt* || fail "the second prompt lacks the failed build: $(ls -R runs | head)"
jq -s -e 'any(.[]; .stage == "land" and .event == "ready")' stdout.txt >/dev/null || fail "the second attempt did not reach a verified branch"
# A failed attempt keeps its branch for a look, not its worktree (a build directory each).
[ "$(git -C server worktree list | wc -l)" = 1 ] || fail "worktrees left: $(git -C server worktree list)"
expect_user_tree_untouched

# A patch that moves the crash into a helper: the verdict is moved, nothing lands.
rm -rf db.sqlite* queue runs recorded-state worktrees crashes
git -C server worktree prune
git -C server for-each-ref --format='%(refname:short)' 'refs/heads/crashpilot/' | xargs -r git -C server branch -q -D
session_of moves
run timeout 300 "$CRASHPILOT" run --json --mode review --agent recorded --max-iterations 1 --config crashpilot.toml
expect_rc 0
moved=$(jq -c 'select(.stage == "verify" and .event == "moved")' stdout.txt | head -1)
[ -n "$moved" ] || fail "no moved verdict: $(jq -c 'select(.stage != "capture")' stdout.txt | tail -20)"
grep -q GetMeleeRange <<<"$moved" || fail "the moved crash's function is not named: $moved"
expect_user_tree_untouched
echo "ok"
