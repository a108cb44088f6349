#include "Loot.h"
#include "Creature.h"
#include "Random.h"

std::unique_ptr<Loot> Loot::Generate(CreatureTemplate const* cinfo, RandomEngine& rng)
{
    auto loot = std::make_unique<Loot>();
    loot->_gold = rng.URand(1, 40);
    for (uint32 itemId : cinfo->LootItems)
        if (itemId && rng.RollChance(60))
            loot->_items.push_back({itemId, rng.URand(1, 3)});
    return loot;
}

bool Loot::TakeNext(LootItem& item, uint32& gold)
{
    std::lock_guard<std::mutex> guard(_lock);
    item = {0, 0};
    gold = 0;
    if (!_items.empty())
    {
        item = _items.back();
        _items.pop_back();
        return true;
    }
    std::swap(gold, _gold);
    return gold != 0;
}

bool Loot::IsLooted() const
{
    std::lock_guard<std::mutex> guard(_lock);
    return _items.empty() && _gold == 0;
}
