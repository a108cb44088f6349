#include "LootManager.h"
#include "Errors.h"
#include "Log.h"
#include "Map.h"
#include "Player.h"

namespace Playerbot
{
bool LootManager::CollectLoot(ObjectGuid owner)
{
    Corpse* corpse = _map.GetCorpse(owner);
    if (!corpse)
        return true; // decayed before we got there

    if (_bot->GetPosition().GetExactDist(corpse->GetPosition()) > LOOT_DISTANCE)
    {
        _bot->MoveTowards(corpse->GetPosition(), Player::RUN_STEP);
        return false;
    }

    Loot* loot = corpse->GetLoot();
    ASSERT(loot, "%s found no loot on corpse %s", _bot->GetName().c_str(), owner.ToString().c_str());
    LootItem item;
    uint32 gold;
    if (!loot->TakeNext(item, gold))
        return true;

    if (item.ItemId)
    {
        _items += item.Count;
        TC_LOG_DEBUG("playerbot.loot", "%s loots %u x item %u from corpse %s", _bot->GetName().c_str(),
                     item.Count, item.ItemId, owner.ToString().c_str());
    }
    else
    {
        _gold += gold;
        TC_LOG_DEBUG("playerbot.loot", "%s loots %u copper from corpse %s", _bot->GetName().c_str(), gold,
                     owner.ToString().c_str());
    }
    return false;
}
} // namespace Playerbot
