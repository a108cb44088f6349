#ifndef TRINITY_WORLDWORKER_H
#define TRINITY_WORLDWORKER_H

#include "Define.h"

// Work the world hands to its map workers every tick (the Playerbot module is one).
class WorldWorker
{
public:
    virtual ~WorldWorker() = default;
    virtual void UpdateWorker(uint32 index, uint32 count, uint32 tick) = 0;
    virtual uint32 GetOnlineCount() const = 0;
};

#endif
