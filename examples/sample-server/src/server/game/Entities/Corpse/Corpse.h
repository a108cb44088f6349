#ifndef TRINITY_CORPSE_H
#define TRINITY_CORPSE_H

#include "Loot.h"
#include "ObjectGuid.h"
#include "Position.h"
#include <memory>

// What a killed creature leaves on the map: its position and its loot, found by the creature's
// guid, until it decays.
class Corpse
{
public:
    Corpse(ObjectGuid owner, Position const& pos, uint32 decayTick, std::unique_ptr<Loot> loot)
        : _owner(owner), _position(pos), _decayTick(decayTick), _loot(std::move(loot))
    {
    }

    ObjectGuid GetOwnerGUID() const { return _owner; }
    Position const& GetPosition() const { return _position; }
    uint32 GetDecayTick() const { return _decayTick; }
    Loot* GetLoot() const { return _loot.get(); }
    bool HasLoot() const { return _loot != nullptr; }
    void ReleaseLoot() { _loot.reset(); }

private:
    ObjectGuid _owner;
    Position _position;
    uint32 _decayTick;
    std::unique_ptr<Loot> _loot;
};

#endif
