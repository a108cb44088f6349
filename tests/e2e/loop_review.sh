#!/usr/bin/env bash
# The fix loop in review mode on the sample server: the first crash is captured and queued, the
# recorded agent's masking patch is refused by the gate (verdict masked, never applied), the real
# fix is applied on a branch in a worktree, built and verified (fixed), and the loop stops at the
# branch with `crashpilot apply N`. The user's repository is byte-identical (status, index,
# branches, HEAD) until `crashpilot apply`, which refuses a dirty tree and then merges.
source "$(dirname "$0")/common.sh"
source "$CRASHPILOT_SOURCE_DIR/tests/e2e/loop_setup.sh.inc"
session_of bug1-mask bug1-fix
setup_sample "$scratch/session.json"

run timeout 300 "$CRASHPILOT" run --json --mode review --agent recorded --max-iterations 2 --config crashpilot.toml
expect_rc 0
jq -s -e 'any(.[]; .stage == "capture" and .data.function == "Playerbot::BotAI::UpdateCombat")' stdout.txt >/dev/null ||
  fail "no capture of the bot AI crash: ${out:0:1500}"
masked=$(jq -c 'select(.stage == "gate" and .event == "masked")' stdout.txt | head -1)
[ -n "$masked" ] || fail "the masking patch was not caught: ${out:0:2000}"
grep -q bare_early_return <<<"$masked" || fail "the gate's reason is not named: $masked"
ready=$(jq -c 'select(.stage == "land" and .event == "ready")' stdout.txt | head -1)
[ -n "$ready" ] || fail "no verified fix ready for review: $(jq -c 'select(.stage != "capture")' stdout.txt | tail -20)"
attempt=$(jq -r .attempt <<<"$ready")
branch=$(jq -r .data.branch <<<"$ready")
jq -s -e 'any(.[]; .stage == "verify" and .event == "fixed")' stdout.txt >/dev/null || fail "no fixed verdict"
git -C server rev-parse --verify -q "$branch" >/dev/null || fail "branch $branch missing"
[ "$(git -C server rev-list --count "main..$branch")" = 1 ] || fail "the branch should hold exactly one commit"
expect_user_tree_untouched
# The masked attempt never made a branch, and no worktree is left registered.
[ "$(git -C server branch --list 'crashpilot/*' | wc -l)" = 1 ] || fail "unexpected branches: $(git -C server branch)"
[ "$(git -C server worktree list | wc -l)" = 1 ] || fail "worktrees left: $(git -C server worktree list)"

run "$CRASHPILOT" run --status --json --config crashpilot.toml
expect_rc 0
jq -e --argjson a "$attempt" 'any(.fixes[]; .attempt == $a and .stage == "ready" and .verdict == "fixed")' stdout.txt >/dev/null ||
  fail "run --status does not show the ready fix: $out"
jq -e 'any(.fixes[]; .stage == "masked")' stdout.txt >/dev/null || fail "run --status lacks the masked attempt"

# apply: refused on a dirty tree (nothing changes), then merged.
echo "// local edit" >>server/src/modules/Playerbot/BotAI.cpp
run "$CRASHPILOT" apply "$attempt" --config crashpilot.toml
expect_rc 1
expect_err "commit or stash"
git -C server checkout -q -- src/modules/Playerbot/BotAI.cpp
expect_user_tree_untouched
run "$CRASHPILOT" apply 999 --config crashpilot.toml
expect_rc 4
run "$CRASHPILOT" apply "$attempt" --config crashpilot.toml
expect_rc 0
expect_out "fast-forward"
[ "$(git -C server rev-parse HEAD)" = "$(git -C server rev-parse "$branch")" ] || fail "HEAD is not the fix"
make -s -C server -j2 >/dev/null
run timeout 60 server/build/worldserver --ticks 400 --logs "$scratch" --tick-ms 2
# Fix 1 alone uncovers bug 2 (an assertion): the run must no longer die in UpdateCombat.
grep -q "UpdateCombat" stderr.txt && fail "the merged fix still crashes in UpdateCombat"
echo "ok"
