#ifndef TRINITY_PLAYER_H
#define TRINITY_PLAYER_H

#include "Unit.h"

// A character in the world. In this sample every player is a bot driven by Playerbot::BotAI.
class Player : public Unit
{
public:
    Player(uint32 counter, std::string name, Position const& pos)
        : Unit(ObjectGuid(HighGuid::Player, 0, counter), std::move(name), PLAYER_HEALTH, pos)
    {
    }

    static constexpr uint32 PLAYER_HEALTH = 2000;
    static constexpr float RUN_STEP = 0.35f; // yards per world tick
};

#endif
