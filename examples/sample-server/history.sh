#!/usr/bin/env bash
# history.sh DEST: copies the sample server's sources (Makefile, .gitignore, .clang-format, src/)
# into DEST, a new or empty directory, and gives them a short git history whose last commit
# introduces the bot AI crash. recorded/, README.md and this script stay out of the repository.
# Names and dates are fixed, so every run makes the same commits; the user's git configuration is
# neither read for identity nor changed. Exit: 0 done, 2 usage (DEST not empty), 1 git failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: history.sh DEST   (DEST: a new or empty directory)" >&2
  exit 2
fi
dest=$1
if [ -e "$dest" ] && { [ ! -d "$dest" ] || [ -n "$(ls -A "$dest")" ]; }; then
  echo "history.sh: $dest exists and is not an empty directory; give a new or empty one" >&2
  exit 2
fi
command -v git >/dev/null || { echo "history.sh: git is not installed" >&2; exit 1; }
mkdir -p "$dest"
cd "$dest"

export GIT_AUTHOR_NAME="Sample Dev" GIT_AUTHOR_EMAIL="sample.dev@example.com"
export GIT_COMMITTER_NAME="Sample Dev" GIT_COMMITTER_EMAIL="sample.dev@example.com"
git_() {
  git -c init.defaultBranch=main -c commit.gpgsign=false -c core.hooksPath=/dev/null \
    -c core.autocrlf=false -c core.fileMode=true "$@"
}
# commit DATE MESSAGE PATH...: stages exactly these paths and commits them at DATE.
commit() {
  local date=$1 message=$2
  shift 2
  git_ add -- "$@"
  GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git_ commit -q --no-verify -m "$message"
}

git_ init -q .
cp -R "$here/Makefile" "$here/.gitignore" "$here/.clang-format" "$here/src" .

# 1. The core: entities, map, loot, the world loop.
commit "2026-01-12T10:14:00+01:00" "world: map and creature spawning

Creatures spawn from spawn points, die when their health runs out and
leave a corpse with loot behind; corpses decay and creatures respawn.
The world thread updates the map, then hands each tick to the map workers." \
  Makefile .gitignore .clang-format src/common src/server/game

# 2. The Playerbot module as first written: bots log in and wander.
cat >src/modules/Playerbot/BotAI.h <<'EOF'
#ifndef PLAYERBOT_BOTAI_H
#define PLAYERBOT_BOTAI_H

#include "Position.h"
#include "Random.h"

class Map;
class Player;

namespace Playerbot
{
// The brain of one bot. Updated by one map worker per tick; it reads the map and writes only its
// own bot.
class BotAI
{
public:
    BotAI(Player* bot, Map& map, uint64 seed);

    void UpdateAI(uint32 tick);

private:
    void UpdateIdle();

    Player* _bot;
    Map& _map;
    RandomEngine _rng;
    Position _wanderDest;
};
} // namespace Playerbot

#endif
EOF
cat >src/modules/Playerbot/BotAI.cpp <<'EOF'
#include "BotAI.h"
#include "Map.h"
#include "Player.h"

namespace Playerbot
{
BotAI::BotAI(Player* bot, Map& map, uint64 seed)
    : _bot(bot), _map(map), _rng(seed), _wanderDest(map.GetRandomPosition(_rng))
{
}

void BotAI::UpdateAI(uint32 /*tick*/)
{
    UpdateIdle();
}

void BotAI::UpdateIdle()
{
    if (_bot->MoveTowards(_wanderDest, Player::RUN_STEP / 2))
        _wanderDest = _map.GetRandomPosition(_rng);
}
} // namespace Playerbot
EOF
commit "2026-01-19T16:40:00+01:00" "Playerbot: bot AI module

PlayerbotMgr logs the bots in and updates them on the map workers,
every n-th bot on worker n. BotAI lets them wander for now." \
  src/modules/Playerbot/BotAI.h src/modules/Playerbot/BotAI.cpp src/modules/Playerbot/PlayerbotMgr.h \
  src/modules/Playerbot/PlayerbotMgr.cpp src/server/worldserver

# 3. Combat and loot: the commit that brings the crash.
cp "$here/src/modules/Playerbot/BotAI.h" "$here/src/modules/Playerbot/BotAI.cpp" src/modules/Playerbot/
commit "2026-02-03T21:05:00+01:00" "Playerbot: bots engage nearby creatures

Idle bots look for a living creature in aggro range, chase it into melee
range and fight it; once it is dead they loot its corpse through the new
LootManager." \
  src/modules/Playerbot

# The last commit holds exactly the shipped sources.
if [ -n "$(git_ status --porcelain)" ]; then
  echo "history.sh: the tree differs from the last commit:" >&2
  git_ status --porcelain >&2
  exit 1
fi
for f in $(git_ ls-files); do
  cmp -s "$f" "$here/$f" || { echo "history.sh: $f differs from $here/$f" >&2; exit 1; }
done
echo "history.sh: $(git_ rev-list --count HEAD) commits in $dest, HEAD $(git_ rev-parse --short HEAD)"
