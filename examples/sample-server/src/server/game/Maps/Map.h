#ifndef TRINITY_MAP_H
#define TRINITY_MAP_H

#include "Corpse.h"
#include "Creature.h"
#include "Random.h"
#include <memory>
#include <unordered_map>
#include <vector>

struct SpawnPoint
{
    uint32 SpawnId;
    uint32 Entry;
    Position Pos;
    ObjectGuid Current; // empty while waiting to respawn
    uint32 RespawnTick;
};

// One map instance. Update() runs on the world thread while no map worker runs; between two
// Update() calls the map workers only read it (creatures' health aside, see Unit::DealDamage).
class Map
{
public:
    Map(uint32 id, uint64 seed);

    void LoadSpawns(uint32 count);
    void Update(uint32 tick);

    uint32 GetId() const { return _id; }
    Creature* GetCreature(ObjectGuid guid) const;
    Corpse* GetCorpse(ObjectGuid guid) const;
    Creature* FindNearestCreature(Position const& pos, float range) const;
    Position GetRandomPosition(RandomEngine& rng) const;
    uint32 GetCreatureCount() const { return uint32(_creatures.size()); }

    static constexpr float MAP_SIZE = 120.0f;
    static constexpr uint32 CORPSE_DECAY_TICKS = 400;
    static constexpr uint32 RESPAWN_TICKS = 150;

private:
    void SpawnCreature(SpawnPoint& spawn);
    void RemoveDeadCreatures(uint32 tick);
    void UpdateCorpses(uint32 tick);
    void RespawnCreatures(uint32 tick);

    uint32 _id;
    RandomEngine _rng;
    uint32 _nextCreatureCounter = 1;
    std::vector<SpawnPoint> _spawns;
    std::unordered_map<ObjectGuid, std::unique_ptr<Creature>> _creatures;
    std::unordered_map<ObjectGuid, std::unique_ptr<Corpse>> _corpses;
};

#endif
