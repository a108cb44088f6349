#include "Map.h"
#include "Log.h"

Map::Map(uint32 id, uint64 seed) : _id(id), _rng(seed ^ 0x6D61702D30ULL) {}

void Map::LoadSpawns(uint32 count)
{
    for (uint32 i = 0; i < count; ++i)
    {
        CreatureTemplate const* cinfo =
            GetCreatureTemplateByIndex(_rng.URand(0, GetCreatureTemplateCount() - 1));
        _spawns.push_back({i + 1, cinfo->Entry, GetRandomPosition(_rng), ObjectGuid(), 0});
    }
    for (SpawnPoint& spawn : _spawns)
        SpawnCreature(spawn);
    TC_LOG_INFO("server.loading", "Map %u: loaded %u creature spawns", _id, count);
}

void Map::SpawnCreature(SpawnPoint& spawn)
{
    CreatureTemplate const* cinfo = ::GetCreatureTemplate(spawn.Entry);
    uint32 health = _rng.URand(cinfo->MinHealth, cinfo->MaxHealth);
    auto creature =
        std::make_unique<Creature>(_nextCreatureCounter++, cinfo, health, spawn.Pos, spawn.SpawnId);
    spawn.Current = creature->GetGUID();
    _creatures.emplace(spawn.Current, std::move(creature));
}

void Map::Update(uint32 tick)
{
    RemoveDeadCreatures(tick);
    UpdateCorpses(tick);
    RespawnCreatures(tick);
}

// A killed creature leaves the map at once; what remains is its corpse, under the same guid.
void Map::RemoveDeadCreatures(uint32 tick)
{
    for (auto itr = _creatures.begin(); itr != _creatures.end();)
    {
        Creature* creature = itr->second.get();
        if (creature->GetHealth() > 0)
        {
            ++itr;
            continue;
        }
        creature->SetDeathState(DEAD);
        ObjectGuid guid = creature->GetGUID();
        TC_LOG_DEBUG("entities.unit", "Creature %s (%s) died on map %u at tick %u",
                     creature->GetName().c_str(), guid.ToString().c_str(), _id, tick);
        _corpses.emplace(guid,
                         std::make_unique<Corpse>(guid, creature->GetPosition(), tick + CORPSE_DECAY_TICKS,
                                                  Loot::Generate(creature->GetCreatureTemplate(), _rng)));
        for (SpawnPoint& spawn : _spawns)
            if (spawn.Current == guid)
            {
                spawn.Current.Clear();
                spawn.RespawnTick = tick + RESPAWN_TICKS;
            }
        itr = _creatures.erase(itr);
    }
}

void Map::UpdateCorpses(uint32 tick)
{
    for (auto itr = _corpses.begin(); itr != _corpses.end();)
    {
        Corpse* corpse = itr->second.get();
        // Emptied loot is freed right away; a corpse lingers until it decays.
        if (corpse->HasLoot() && corpse->GetLoot()->IsLooted())
        {
            corpse->ReleaseLoot();
            TC_LOG_DEBUG("loot", "Loot of corpse %s released", corpse->GetOwnerGUID().ToString().c_str());
        }
        if (tick >= corpse->GetDecayTick())
            itr = _corpses.erase(itr);
        else
            ++itr;
    }
}

void Map::RespawnCreatures(uint32 tick)
{
    for (SpawnPoint& spawn : _spawns)
        if (spawn.Current.IsEmpty() && tick >= spawn.RespawnTick)
            SpawnCreature(spawn);
}

Creature* Map::GetCreature(ObjectGuid guid) const
{
    auto itr = _creatures.find(guid);
    return itr != _creatures.end() ? itr->second.get() : nullptr;
}

Corpse* Map::GetCorpse(ObjectGuid guid) const
{
    auto itr = _corpses.find(guid);
    return itr != _corpses.end() ? itr->second.get() : nullptr;
}

Creature* Map::FindNearestCreature(Position const& pos, float range) const
{
    Creature* nearest = nullptr;
    for (auto const& [guid, creature] : _creatures)
    {
        float dist = creature->GetPosition().GetExactDist(pos);
        if (creature->IsAlive() && dist <= range)
        {
            nearest = creature.get();
            range = dist;
        }
    }
    return nearest;
}

Position Map::GetRandomPosition(RandomEngine& rng) const
{
    return {rng.FRand(0.0f, MAP_SIZE), rng.FRand(0.0f, MAP_SIZE)};
}
