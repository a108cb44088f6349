#include "BotAI.h"
#include "Log.h"
#include "Map.h"
#include "Player.h"

namespace Playerbot
{
BotAI::BotAI(Player* bot, Map& map, uint64 seed)
    : _bot(bot), _map(map), _rng(seed), _wanderDest(map.GetRandomPosition(_rng)), _loot(bot, map)
{
}

void BotAI::UpdateAI(uint32 /*tick*/)
{
    switch (_state)
    {
    case BotState::Idle:
        UpdateIdle();
        break;
    case BotState::Combat:
        UpdateCombat();
        break;
    case BotState::Looting:
        UpdateLooting();
        break;
    }
}

void BotAI::UpdateIdle()
{
    if (_rng.RollChance(SEARCH_CHANCE))
    {
        if (Creature* target = _map.FindNearestCreature(_bot->GetPosition(), AGGRO_RANGE))
        {
            Engage(target);
            return;
        }
    }
    if (_bot->MoveTowards(_wanderDest, Player::RUN_STEP / 2))
        _wanderDest = _map.GetRandomPosition(_rng);
}

void BotAI::Engage(Creature* target)
{
    _targetGuid = target->GetGUID();
    _state = BotState::Combat;
    TC_LOG_DEBUG("playerbot.ai", "%s engages %s (%s)", _bot->GetName().c_str(), target->GetName().c_str(),
                 _targetGuid.ToString().c_str());
}

void BotAI::UpdateCombat()
{
    Creature* target = _map.GetCreature(_targetGuid);
    float meleeRange = _bot->GetCombatReach() + target->GetCombatReach() + MELEE_RANGE_BONUS;
    if (target->IsDead())
    {
        ObjectGuid corpse = _targetGuid;
        LeaveCombat();
        StartLooting(corpse);
        return;
    }

    if (_bot->GetExactDist(target) > meleeRange)
    {
        _bot->MoveTowards(target->GetPosition(), Player::RUN_STEP);
        return;
    }
    if (++_attackTimer >= ATTACK_TICKS)
    {
        _attackTimer = 0;
        target->DealDamage(_rng.URand(MIN_DAMAGE, MAX_DAMAGE));
    }
}

void BotAI::LeaveCombat()
{
    _targetGuid.Clear();
    _state = BotState::Idle;
}

void BotAI::StartLooting(ObjectGuid corpse)
{
    _lootGuid = corpse;
    _state = BotState::Looting;
}

void BotAI::UpdateLooting()
{
    if (_loot.CollectLoot(_lootGuid))
    {
        TC_LOG_DEBUG("playerbot.loot", "%s is done with corpse %s (%u items, %u copper so far)",
                     _bot->GetName().c_str(), _lootGuid.ToString().c_str(), _loot.GetItemCount(),
                     _loot.GetGold());
        _lootGuid.Clear();
        _state = BotState::Idle;
    }
}
} // namespace Playerbot
