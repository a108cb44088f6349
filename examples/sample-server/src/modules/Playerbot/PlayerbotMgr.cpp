#include "PlayerbotMgr.h"
#include "Log.h"
#include "Map.h"

namespace Playerbot
{
namespace
{
std::string MakeBotName(RandomEngine& rng)
{
    static char const* const first[] = {"Al",  "Bra", "Cor", "Dun", "El",  "Fen", "Gar", "Hol",
                                        "Ith", "Jor", "Kel", "Lor", "Mor", "Nim", "Or",  "Pel"};
    static char const* const second[] = {"dric", "wyn", "ath", "mir", "ek", "ora", "gan", "is"};
    return std::string(first[rng.URand(0, 15)]) + second[rng.URand(0, 7)];
}
} // namespace

void PlayerbotMgr::LoginBots(uint32 count)
{
    RandomEngine rng(_seed ^ 0x626F74ULL);
    for (uint32 i = 0; i < count; ++i)
    {
        auto bot = std::make_unique<Player>(i + 1, MakeBotName(rng), _map.GetRandomPosition(rng));
        auto ai = std::make_unique<BotAI>(bot.get(), _map, rng.Next());
        TC_LOG_DEBUG("playerbot", "Bot %s (%s) logged in", bot->GetName().c_str(),
                     bot->GetGUID().ToString().c_str());
        _sessions.push_back({std::move(bot), std::move(ai)});
    }
    TC_LOG_INFO("playerbot", "Playerbot: %u bots logged in", count);
    TC_LOG_INFO("server.worldserver", "Playerbot: %u bots online", count);
}

void PlayerbotMgr::UpdateWorker(uint32 index, uint32 count, uint32 tick)
{
    for (size_t i = index; i < _sessions.size(); i += count)
        _sessions[i].AI->UpdateAI(tick);
}
} // namespace Playerbot
