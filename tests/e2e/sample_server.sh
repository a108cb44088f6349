#!/usr/bin/env bash
# The bundled sample server (examples/sample-server) and its recorded agent session: history.sh
# makes a clean repository, the server builds and crashes in BotAI::UpdateCombat under `run`; the
# recorded agent answers the queued request (mask, then fix, then no_fix) with responses the queue
# validator accepts; the masking patch hides the crash; fix 1 uncovers a different crash in
# LootManager::CollectLoot; fix 2 makes a 600-tick run exit cleanly; broken-build.diff does not
# compile; moves.diff moves the crash into a helper, a signature near bug 1's.
source "$(dirname "$0")/common.sh"
for tool in jq git make g++; do
  command -v $tool >/dev/null || skip "$tool is not installed"
done
sample="$CRASHPILOT_SOURCE_DIR/examples/sample-server"
recorded="$sample/recorded"
agent="$recorded/agent"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# --- history.sh: three commits by Sample Dev at fixed dates, a clean tree holding the sources.
run "$sample/history.sh" repo
expect_rc 0
expect_out "3 commits"
[ "$(git -C repo log --format=%s | tr '\n' '|')" = \
  "Playerbot: bots engage nearby creatures|Playerbot: bot AI module|world: map and creature spawning|" ] ||
  fail "unexpected history: $(git -C repo log --oneline)"
[ "$(git -C repo log --format='%an <%ae> %cn %ad' --date=iso-strict | sort -u | wc -l)" = 3 ] || fail "dates"
[ "$(git -C repo log --format='%an|%cn' | sort -u)" = "Sample Dev|Sample Dev" ] || fail "author: $(git -C repo log --format='%an|%cn')"
[ "$(git -C repo log -1 --format=%ad --date=iso-strict)" = "2026-02-03T21:05:00+01:00" ] || fail "HEAD date"
[ -z "$(git -C repo status --porcelain)" ] || fail "history.sh left a dirty tree: $(git -C repo status --porcelain)"
git -C repo ls-files | grep -qx src/modules/Playerbot/BotAI.cpp || fail "BotAI.cpp is not tracked"
! git -C repo ls-files | grep -q -e '^recorded/' -e 'history.sh' || fail "the recorded answers are in the repository"
run "$sample/history.sh" repo
expect_rc 2
expect_err "not an empty directory"

# --- The build: incremental and idempotent, DWARF in the binary.
t=$(now)
run make -C repo -j2
expect_rc 0
build_seconds=$(elapsed "$t")
[ -x repo/build/worldserver ] || fail "no build/worldserver: $out"
make -q --no-print-directory -C repo || fail "a second make would rebuild: the Makefile is not idempotent"
[ -z "$(git -C repo status --porcelain)" ] || fail "the build dirtied the tree: $(git -C repo status --porcelain)"

cat >crashpilot.toml <<TOML
[store]
path = "$scratch/store.db"
[queue]
root = "$scratch/queue"
repo_root = "$scratch/repo"
[capture]
crash_dir = "$scratch/crashes"
[server]
cwd = "$scratch/repo"
[analyze]
run_dir = "$scratch/runs"
timeout_seconds = 60
[agents.replay]
argv = ["$agent", "--session", "$recorded/session.json", "--state", "$scratch/runner-state", "--request", "{request_file}", "--response", "{response_path}"]
output = "text"
TOML
# capture: runs the server under `crashpilot run` until its first crash; sets $ev (the crashed
# event) and $crash_seconds.
capture() {
  local t
  t=$(now)
  run "$CRASHPILOT" run --mode capture --json --max-crashes 1 --restart never -- "$scratch/repo/build/worldserver"
  crash_seconds=$(elapsed "$t")
  expect_rc 0
  ev=$(json_event crashed)
  [ -n "$ev" ] || fail "no crashed event: $out $err"
}
field() { jq -r "$1" <<<"$ev"; }
rebuild() {
  run make -C repo -j2
  expect_rc 0
}
reset_tree() {
  git -C repo checkout -q -- .
  [ -z "$(git -C repo status --porcelain)" ] || fail "the tree is not clean after reset"
}

# --- Bug 1: a null target in Playerbot::BotAI::UpdateCombat, the same signature every run.
capture
bug1_seconds=$crash_seconds
[ "$(field .crash.crash_function)" = Playerbot::BotAI::UpdateCombat ] || fail "bug 1 crashed in $(field .crash.crash_function)"
[[ "$(field .crash.crash_location)" == src/modules/Playerbot/BotAI.cpp:* ]] || fail "bug 1 location $(field .crash.crash_location)"
[ "$(field .crash.crash_category)" = NULL_DEREF ] || fail "bug 1 category $(field .crash.crash_category)"
[ "$(field .crash.is_bot_related)" = true ] || fail "bug 1 is not bot-related"
jq -e '.crash.threads[0].name | startswith("map-worker-")' "$(field .report)" >/dev/null || fail "not a map worker thread"
bug1_sig=$(field .crash.signature.id)
bug1_report=$(field .report_text)
bug1_request=$(field .request_id)
# TrinityCore-format logs, and the lines before the crash in the request.
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}:[0-9]{2}:[0-9]{2} INFO  \[server\.worldserver\] World tick 100, 64 bots online$' repo/Server.log ||
  fail "Server.log lacks the heartbeat line: $(head -5 repo/Server.log)"
grep -Eq '^[0-9-]{10}_[0-9:]{8} DEBUG \[playerbot\.ai\] .* engages ' repo/Playerbot.log || fail "Playerbot.log: $(head -3 repo/Playerbot.log)"
request_file="queue/requests/request_$bug1_request.json"
[ -f "$request_file" ] || fail "no request $request_file: $(ls -R queue)"
jq -e '.context.playerbot_log_context | length > 0' "$request_file" >/dev/null || fail "no Playerbot.log lines in the request"
capture
[ "$(field .crash.signature.id)" = "$bug1_sig" ] || fail "bug 1 is not deterministic: $(field .crash.signature.text)"
[ -z "$(git -C repo status --porcelain)" ] || fail "running the server dirtied the tree: $(git -C repo status --porcelain)"

# --- The recorded agent on the queued request: mask, fix, then nothing left; all valid.
run "$CRASHPILOT" queue claim "$bug1_request" --holder e2e --json
expect_rc 0
in_progress=$(jq -r .path stdout.txt)
response=$(jq -r .response_path stdout.txt)
answer() { # expected answer name ("" = no_fix)
  run bash -c "cd repo && '$agent' --session '$recorded/session.json' --state '$scratch/agent-state' --request '$in_progress' --response '$response'"
  expect_rc 0
  [ "$(wc -l <stdout.txt)" = 1 ] || fail "the agent printed more than one line: $out"
  if [ -n "$1" ]; then
    expect_out "replayed recorded answer '$1'"
    [ "$(jq -r .status "$response")" = complete ] || fail "status: $(cat "$response")"
    jq -e '.patch.diff | startswith("diff --git a/src/modules/Playerbot/BotAI.cpp")' "$response" >/dev/null || fail "no diff: $(cat "$response")"
  else
    expect_out "no recorded answer left"
    [ "$(jq -r .status "$response")" = no_fix ] || fail "status: $(cat "$response")"
    jq -e 'has("patch") | not' "$response" >/dev/null || fail "a no_fix response with a patch"
  fi
  [ "$(jq -r .lease_id "$response")" = "$(jq -r .lease_id "${in_progress%.json}.lease.json")" ] || fail "lease_id"
  [ "$(jq -r .request_id "$response")" = "$bug1_request" ] || fail "request_id"
  run "$CRASHPILOT" queue check "$bug1_request" --json
  expect_rc 0
  [ "$(jq -r .valid stdout.txt)" = true ] || fail "the recorded response is rejected: $out"
}
answer bug1-mask
answer bug1-fix
answer ""

# --- The masking patch builds and hides the crash (the anti-mask gate must catch it, not verify).
git -C repo apply "$recorded/bug1-mask.diff"
rebuild
run repo/build/worldserver --ticks 400 --tick-ms 1 --logs "$scratch"
expect_rc 0
expect_out "clean shutdown"
reset_tree

# --- Fix 1 uncovers bug 2: an ASSERT in Playerbot::LootManager::CollectLoot.
git -C repo apply "$recorded/bug1-fix.diff"
rebuild
capture
bug2_seconds=$crash_seconds
cp stdout.txt bug2-events.txt
[ "$(field .crash.crash_function)" = Playerbot::LootManager::CollectLoot ] || fail "bug 2 crashed in $(field .crash.crash_function)"
[[ "$(field .crash.crash_location)" == src/modules/Playerbot/LootManager.cpp:* ]] || fail "bug 2 location $(field .crash.crash_location)"
[ "$(field .crash.kind)" = assertion ] || fail "bug 2 kind $(field .crash.kind)"
[ "$(field .crash.assertion.condition)" = loot ] || fail "bug 2 assertion $(field .crash.assertion)"
[ "$(field .crash.signature.id)" != "$bug1_sig" ] || fail "bug 2 has bug 1's signature"

# --- Fix 2 on top: 600 ticks and a clean exit.
git -C repo apply "$recorded/bug2-fix.diff"
rebuild
run repo/build/worldserver --ticks 600 --logs "$scratch"
expect_rc 0
expect_out "World tick 600, 64 bots online"
expect_out "Halting process... clean shutdown."
reset_tree

# --- broken-build.diff applies and does not compile.
git -C repo apply "$recorded/broken-build.diff"
run make -C repo -j2
[ "$rc" -ne 0 ] || fail "broken-build.diff compiled"
grep -q "BotAI.cpp:.*error:" stdout.txt stderr.txt || fail "no compiler error: $out $err"
reset_tree

# --- moves.diff: the null target is dereferenced one call deeper, a signature near bug 1's.
git -C repo apply "$recorded/moves.diff"
rebuild
capture
[ "$(field .crash.crash_function)" = Playerbot::BotAI::GetMeleeRange ] || fail "moves.diff crashed in $(field .crash.crash_function)"
moved_sig=$(field .crash.signature.id)
[ "$moved_sig" != "$bug1_sig" ] || fail "moves.diff did not move the crash"
run "$CRASHPILOT" triage --json "$bug1_report" "$(field .report_text)"
expect_rc 0
shared=$(jq -s -r '(.[0].signature.frames - (.[0].signature.frames - .[1].signature.frames)) | join(",")' stdout.txt)
[[ "$shared" == *Playerbot::BotAI::UpdateCombat* ]] || fail "the signatures share no frame: $(jq -c .signature.frames stdout.txt)"
run "$CRASHPILOT" crashes --bucket "$moved_sig" --json
expect_rc 0
jq -e --arg b "$bug1_sig" '.near | index($b)' stdout.txt >/dev/null || fail "bug 1's bucket is not near the moved one: $out"
# The session has no answer for the moved crash: --pick replays one anyway (for tests), else no_fix.
moved_request=$(field .request_id)
run "$agent" --session "$recorded/tests.json" --request "queue/requests/request_$moved_request.json" --response moved.json --pick moves
expect_rc 0
jq -e '.patch.diff | contains("GetMeleeRange")' moved.json >/dev/null || fail "--pick moves: $(cat moved.json)"
run "$agent" --request "queue/requests/request_$moved_request.json" --response moved.json
expect_rc 0
[ "$(jq -r .status moved.json)" = no_fix ] || fail "an answer for the moved crash: $(cat moved.json)"
reset_tree

# --- Through the analyze runner (lease and response path from the runner): bug 2 gets its fix, the
# moved crash a no_fix; both answered, the user's tree untouched.
bug2_request=$(jq -r 'select(.event == "crashed") | .request_id' bug2-events.txt)
run "$CRASHPILOT" analyze --agent replay --all --json
expect_rc 0
[ "$(jq -r .outcome stdout.txt | sort -u)" = answered ] || fail "not all answered: $out"
jq -s -e --arg id "$bug2_request" 'any(.[]; .request_id == $id)' stdout.txt >/dev/null || fail "bug 2 was not analyzed: $out"
response=$(jq -r --arg id "$bug2_request" 'select(.request_id == $id) | .response_path' stdout.txt)
jq -e '.patch.diff | contains("corpse->HasLoot()")' "$response" >/dev/null || fail "bug 2 got no fix: $(cat "$response")"
grep -q "replayed recorded answer 'bug2-fix'" runs/"$bug2_request"/*/stdout.txt || fail "the agent's line is not in the run record"
[ -z "$(git -C repo status --porcelain)" ] || fail "the runner changed the tree: $(git -C repo status --porcelain)"

echo "measured: sample build ${build_seconds}s; crashpilot run to crash: bug 1 ${bug1_seconds}s, bug 2 ${bug2_seconds}s" >&2
