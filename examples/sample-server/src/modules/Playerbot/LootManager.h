#ifndef PLAYERBOT_LOOTMANAGER_H
#define PLAYERBOT_LOOTMANAGER_H

#include "ObjectGuid.h"

class Map;
class Player;

namespace Playerbot
{
// Loot handling for one bot: walks to a corpse and takes what it drops, one item per tick.
class LootManager
{
public:
    LootManager(Player* bot, Map& map) : _bot(bot), _map(map) {}

    // One step of looting the corpse of `owner`; true when there is nothing more to do with it.
    bool CollectLoot(ObjectGuid owner);
    uint32 GetItemCount() const { return _items; }
    uint32 GetGold() const { return _gold; }

    static constexpr float LOOT_DISTANCE = 3.0f;

private:
    Player* _bot;
    Map& _map;
    uint32 _items = 0;
    uint32 _gold = 0;
};
} // namespace Playerbot

#endif
