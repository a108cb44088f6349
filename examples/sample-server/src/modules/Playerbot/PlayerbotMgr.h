#ifndef PLAYERBOT_PLAYERBOTMGR_H
#define PLAYERBOT_PLAYERBOTMGR_H

#include "BotAI.h"
#include "Player.h"
#include "WorldWorker.h"
#include <memory>
#include <vector>

namespace Playerbot
{
// Logs the bots in and updates them on the world's map workers: worker i of n takes every n-th
// bot, so each bot is updated by exactly one thread per tick.
class PlayerbotMgr : public WorldWorker
{
public:
    PlayerbotMgr(Map& map, uint64 seed) : _map(map), _seed(seed) {}

    void LoginBots(uint32 count);
    void UpdateWorker(uint32 index, uint32 count, uint32 tick) override;
    uint32 GetOnlineCount() const override { return uint32(_sessions.size()); }

private:
    struct BotSession
    {
        std::unique_ptr<Player> Bot;
        std::unique_ptr<BotAI> AI;
    };

    Map& _map;
    uint64 _seed;
    std::vector<BotSession> _sessions;
};
} // namespace Playerbot

#endif
