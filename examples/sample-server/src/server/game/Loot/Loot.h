#ifndef TRINITY_LOOT_H
#define TRINITY_LOOT_H

#include "Define.h"
#include <memory>
#include <mutex>
#include <vector>

struct CreatureTemplate;
class RandomEngine;

struct LootItem
{
    uint32 ItemId;
    uint32 Count;
};

// What a corpse drops. Bots on different map workers loot the same corpse in the same tick, so
// taking an item goes through the lock; the world thread releases the loot once it is empty.
class Loot
{
public:
    static std::unique_ptr<Loot> Generate(CreatureTemplate const* cinfo, RandomEngine& rng);

    // Takes one item or the gold; false when nothing is left.
    bool TakeNext(LootItem& item, uint32& gold);
    bool IsLooted() const;

private:
    mutable std::mutex _lock;
    std::vector<LootItem> _items;
    uint32 _gold = 0;
};

#endif
