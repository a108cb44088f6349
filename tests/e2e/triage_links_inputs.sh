#!/usr/bin/env bash
# Several inputs in one run: the same bug seen in two builds is linked to the first input that had
# it ("same_as"), a different bug sharing frames is "near", and the human summary counts distinct bugs.
source "$(dirname "$0")/common.sh"
command -v jq >/dev/null || skip "jq not installed"

a=$(fixture assertion/npcbots-13-object-getmap-currmap.txt)   # TrinityCore NPCBots, GCC, Object.h:392
b=$(fixture assertion/npcbots-401-ac-worldobject-getmap.txt)  # AzerothCore NPCBots, MSVC, Object.h:523
printf '#0  0x1 in Spell::cancel () at /x/src/Spell.cpp:10\n#1  0x2 in WorldSession::Update (diff=50) at /x/src/WorldSession.cpp:410\n#2  0x3 in World::UpdateSessions (diff=50) at /x/src/World.cpp:2900\n' > one.txt
printf '#0  0x9 in Spell::finish () at /y/src/Spell.cpp:99\n#1  0x8 in WorldSession::Update (diff=50) at /y/src/WorldSession.cpp:402\n#2  0x7 in World::UpdateSessions (diff=50) at /y/src/World.cpp:2931\n' > two.txt

run "$CRASHPILOT" triage --json "$a" "$b" one.txt two.txt
expect_rc 0
sed -n 2p stdout.txt | jq -e --arg a "$a" '.same_as == $a' >/dev/null || fail "same bug not linked: $(sed -n 2p stdout.txt | jq -c '{same_as, near}')"
sed -n 1p stdout.txt | jq -e '.same_as == null' >/dev/null || fail "first input cannot be a duplicate"
sed -n 4p stdout.txt | jq -e '.same_as == null and (.near | length) == 1 and .near[0].file == "one.txt" and .near[0].similarity > 0.5' >/dev/null ||
  fail "near signature not linked: $(sed -n 4p stdout.txt | jq -c '{same_as, near, sig: .signature.frames}')"

run "$CRASHPILOT" triage "$a" "$b" one.txt two.txt
expect_rc 0
expect_out "same bug as $a"
expect_out "near one.txt"
expect_out "4 input(s): 4 with a crash, 3 distinct bug(s) by signature"
