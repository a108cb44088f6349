#!/usr/bin/env bash
# `crashpilot demo` end to end (auto mode): the sample server's bot AI crash is captured, the
# recorded masking patch is caught by the gate, the real fix is built, verified and merged, the
# second bug it uncovers is captured, fixed and merged, and both buckets end with a fixed verdict.
source "$(dirname "$0")/common.sh"
for tool in jq git make g++; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
run timeout 600 "$CRASHPILOT" demo --dir "$scratch/demo" --keep
expect_rc 0
expect_out "RECORDED agent session"
expect_out "MASKED: bare_early_return"
expect_out "demo: both bugs fixed"
grep -q "uncovered a different crash" stdout.txt || fail "the second bug was not found by the first fix's verification"
repo="$scratch/demo/server"
[ "$(git -C "$repo" log --format=%an main | grep -c '^crashpilot$')" = 2 ] ||
  fail "expected two crashpilot commits on main: $(git -C "$repo" log --oneline)"
[ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] || fail "the demo repository is dirty"
# The merged tree runs past both bugs.
make -s -C "$repo" -j2 >/dev/null
run timeout 60 "$repo/build/worldserver" --ticks 400 --tick-ms 2 --logs "$scratch"
expect_rc 0
echo "ok"
