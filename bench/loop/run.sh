#!/usr/bin/env bash
# bench/loop/run.sh CRASHPILOT: crashpilot's own time per stage, from the signal to a verified and
# merged fix, on the sample server (`crashpilot demo`, recorded agent), excluding the agent's time.
# Target: <= 60 s in total on 2 cores. The reference measured in the same run is what the stages
# cannot avoid: the compiler (`make` of the patched tree from clean, as the worktree build does)
# and the soak the verdict asks for; the ratio says how much crashpilot adds around them.
set -euo pipefail
bin=${1:?usage: bench/loop/run.sh CRASHPILOT}
dir=$(mktemp -d "${TMPDIR:-/tmp}/crashpilot-bench-loop.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$bin" demo --json --dir "$dir/demo" --keep >"$dir/events.jsonl"
jq -s -r '
  def sum(f): map(f) | add // 0;
  (map(select(.stage == "capture" and (.event == "crash" or .event == "abort"))) ) as $caps
  | (map(select(.event == "summary")) | .[0].attempts) as $att
  | (map(select(.stage == "build" and .event == "rebuilt")) | sum(.seconds)) as $rebuild
  | ($att | map(select(.stage == "landed"))) as $landed
  | {
      fixes: ($landed | length),
      capture_ms_per_crash: (($caps | map(.data.capture_ms) | add) / ($caps | length)),
      record_s_per_crash: (($caps | map(.seconds) | add) / ($caps | length)),
      analysis_s_excluded: ($att | sum(.seconds.analyze // 0)),
      gate_s: ($att | sum(.seconds.gate // 0)),
      apply_s: ($att | sum(.seconds.apply // 0)),
      build_s: ($att | sum(.seconds.build // 0)),
      verify_s: ($att | sum(.seconds.verify // 0)),
      land_s: ($att | sum(.seconds.land // 0)),
      rebuild_s: $rebuild
    }
  | .total_s = (.gate_s + .apply_s + .build_s + .verify_s + .land_s + .rebuild_s + (.record_s_per_crash * .fixes))
  | "fixes merged:            \(.fixes)",
    "capture (stop+symbolize): \(.capture_ms_per_crash | . * 10 | round / 10) ms per crash; recorded+queued \(.record_s_per_crash * 1000 | round) ms",
    "gate \(.gate_s * 1000 | round) ms, apply \(.apply_s * 1000 | round) ms, build \(.build_s * 10 | round / 10) s, verify \(.verify_s * 10 | round / 10) s, land \(.land_s * 1000 | round) ms, rebuild \(.rebuild_s * 10 | round / 10) s",
    "total for \(.fixes) fixes, agent excluded: \(.total_s * 10 | round / 10) s (target <= 60 s); agent (recorded) \(.analysis_s_excluded * 10 | round / 10) s not counted"
' "$dir/events.jsonl"
# The reference: the compiler alone on the same tree, and the soak the verdicts asked for.
repo="$dir/demo/server"
git -C "$repo" worktree add -q --detach "$dir/ref" HEAD
start=$(date +%s.%N)
make -s -C "$dir/ref" -j2 >/dev/null
end=$(date +%s.%N)
soak=$(jq -s '[.[] | select(.stage == "verify" and .event == "plan") | .data.seconds] | add // 0' "$dir/events.jsonl")
jq -s -r --argjson make "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" --argjson soak "$soak" '
  (map(select(.event == "summary")) | .[0].attempts | map(select(.stage == "landed"))) as $l
  | ($l | map(.seconds.build + .seconds.verify + (.seconds.gate // 0) + (.seconds.apply // 0)) | add) as $ours
  | ($make * ($l | length) + $soak) as $floor
  | "reference: make from clean \($make * 10 | round / 10) s per fix + the planned soak \($soak * 10 | round / 10) s = \($floor * 10 | round / 10) s; crashpilot gate+apply+build+verify \($ours * 10 | round / 10) s = \($ours / $floor * 100 | round / 100)x the floor"
' "$dir/events.jsonl"
