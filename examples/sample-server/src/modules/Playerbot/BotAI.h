#ifndef PLAYERBOT_BOTAI_H
#define PLAYERBOT_BOTAI_H

#include "LootManager.h"
#include "Position.h"
#include "Random.h"

class Creature;

namespace Playerbot
{
enum class BotState : uint8
{
    Idle,
    Combat,
    Looting
};

// The brain of one bot: wander, engage creatures in aggro range, loot what they drop. Updated by
// one map worker per tick; it reads the map and writes only its own bot (and damage).
class BotAI
{
public:
    BotAI(Player* bot, Map& map, uint64 seed);

    void UpdateAI(uint32 tick);
    BotState GetState() const { return _state; }

    static constexpr float AGGRO_RANGE = 25.0f;
    static constexpr uint32 SEARCH_CHANCE = 2; // percent per idle tick
    static constexpr uint32 ATTACK_TICKS = 16; // one melee swing per this many ticks
    static constexpr uint32 MIN_DAMAGE = 8;
    static constexpr uint32 MAX_DAMAGE = 15;

private:
    void UpdateIdle();
    void UpdateCombat();
    void UpdateLooting();
    void Engage(Creature* target);
    void LeaveCombat();
    void StartLooting(ObjectGuid corpse);

    Player* _bot;
    Map& _map;
    RandomEngine _rng;
    BotState _state = BotState::Idle;
    ObjectGuid _targetGuid;
    ObjectGuid _lootGuid;
    uint32 _attackTimer = 0;
    Position _wanderDest;
    LootManager _loot;
};
} // namespace Playerbot

#endif
