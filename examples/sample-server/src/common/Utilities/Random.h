#ifndef TRINITY_RANDOM_H
#define TRINITY_RANDOM_H

#include "Define.h"

// splitmix64. Every owner (the map, each bot) has its own engine seeded from the world seed, so a
// given seed plays out the same way whatever the worker threads' timing.
class RandomEngine
{
public:
    explicit RandomEngine(uint64 seed) : _state(seed) {}

    uint64 Next()
    {
        uint64 z = (_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    uint32 URand(uint32 min, uint32 max) { return min + uint32(Next() % (uint64(max) - min + 1)); }
    float FRand(float min, float max) { return min + float(Next() >> 40) / float(1u << 24) * (max - min); }
    bool RollChance(uint32 percent) { return URand(1, 100) <= percent; }

private:
    uint64 _state;
};

#endif
