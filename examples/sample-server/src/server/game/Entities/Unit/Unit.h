#ifndef TRINITY_UNIT_H
#define TRINITY_UNIT_H

#include "ObjectGuid.h"
#include "Position.h"
#include <atomic>
#include <string>
#include <utility>

constexpr float DEFAULT_COMBAT_REACH = 1.5f;
constexpr float MELEE_RANGE_BONUS = 4.0f / 3.0f;

enum DeathState : uint8
{
    ALIVE,
    DEAD
};

class Unit
{
public:
    Unit(ObjectGuid guid, std::string name, uint32 maxHealth, Position const& pos)
        : _guid(guid), _name(std::move(name)), _position(pos), _health(int32(maxHealth)),
          _maxHealth(maxHealth)
    {
    }
    virtual ~Unit() = default;
    Unit(Unit const&) = delete;
    Unit& operator=(Unit const&) = delete;

    ObjectGuid GetGUID() const { return _guid; }
    std::string const& GetName() const { return _name; }
    Position const& GetPosition() const { return _position; }
    void Relocate(Position const& pos) { _position = pos; }
    bool MoveTowards(Position const& dest, float step) { return _position.MoveTowards(dest, step); }
    float GetExactDist(Unit const* other) const { return _position.GetExactDist(other->_position); }

    // Several map workers hit the same creature in one tick; the world thread alone reads the
    // result and decides the death (SetDeathState), so the bots never race on it.
    void DealDamage(uint32 damage) { _health.fetch_sub(int32(damage), std::memory_order_relaxed); }
    int32 GetHealth() const { return _health.load(std::memory_order_relaxed); }
    uint32 GetMaxHealth() const { return _maxHealth; }
    bool IsAlive() const { return _deathState == ALIVE; }
    bool IsDead() const { return _deathState == DEAD; }
    void SetDeathState(DeathState state) { _deathState = state; }

    // The reach of the model; melee range is both reaches plus MELEE_RANGE_BONUS.
    virtual float GetCombatReach() const { return DEFAULT_COMBAT_REACH; }

private:
    ObjectGuid _guid;
    std::string _name;
    Position _position;
    std::atomic<int32> _health;
    uint32 _maxHealth;
    DeathState _deathState = ALIVE;
};

#endif
