// worldserver: the crashpilot sample game server. A map with creatures, Playerbot bots fighting and
// looting them on parallel map workers, a freeze detector, logs in TrinityCore's format.

#include "Errors.h"
#include "Log.h"
#include "PlayerbotMgr.h"
#include "World.h"
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <pthread.h>
#include <string>

namespace
{
char const* const Usage = "usage: worldserver [--bots N] [--ticks N] [--tick-ms M] [--threads T] [--seed S] "
                          "[--logs DIR]\n"
                          "  --bots N     bots to log in (default 64)\n"
                          "  --ticks N    world ticks to run, 0 = until stopped (default 0)\n"
                          "  --tick-ms M  milliseconds per world tick (default 10)\n"
                          "  --threads T  map worker threads, 1 to 64 (default 2)\n"
                          "  --seed S     world seed: a seed always plays out the same way (default 1)\n"
                          "  --logs DIR   where Server.log and Playerbot.log go (default .)\n";

// Kills the server when the world loop stops advancing for a minute, as TrinityCore's does.
class FreezeDetector
{
public:
    explicit FreezeDetector(World& world) : _world(world), _thread(&FreezeDetector::Run, this) {}
    ~FreezeDetector()
    {
        {
            std::lock_guard<std::mutex> guard(_lock);
            _stop = true;
        }
        _wake.notify_all();
        _thread.join();
    }

private:
    void Run()
    {
        pthread_setname_np(pthread_self(), "freeze-detector");
        uint32 lastLoop = _world.GetLoopCount();
        auto lastChange = std::chrono::steady_clock::now();
        std::unique_lock<std::mutex> lock(_lock);
        while (!_wake.wait_for(lock, std::chrono::seconds(1), [this] { return _stop; }))
        {
            auto now = std::chrono::steady_clock::now();
            if (uint32 loop = _world.GetLoopCount(); loop != lastLoop)
            {
                lastLoop = loop;
                lastChange = now;
            }
            else if (now - lastChange > std::chrono::milliseconds(MaxCoreStuckTimeMs))
            {
                TC_LOG_ERROR("server.worldserver", "World Thread hangs, kicking out server!");
                ABORT_MSG("World Thread hangs for %u ms, forcing a crash!", MaxCoreStuckTimeMs);
            }
        }
    }

    static constexpr uint32 MaxCoreStuckTimeMs = 60000;
    World& _world;
    std::mutex _lock;
    std::condition_variable _wake;
    bool _stop = false;
    std::thread _thread; // last: it starts running in the constructor
};

void SignalHandler(int /*signal*/)
{
    World::StopNow();
}

std::optional<uint64> ParseNumber(char const* text, uint64 min, uint64 max)
{
    char* end = nullptr;
    errno = 0;
    uint64 value = std::strtoull(text, &end, 10);
    if (!*text || *end || errno || text[0] == '-' || value < min || value > max)
        return std::nullopt;
    return value;
}

bool ParseOptions(int argc, char** argv, WorldConfig& config)
{
    for (int i = 1; i < argc; ++i)
    {
        std::string option = argv[i];
        if (option == "--help" || option == "-h")
        {
            std::fputs(Usage, stdout);
            std::exit(0);
        }
        char const* value = i + 1 < argc ? argv[++i] : "";
        std::optional<uint64> number;
        if (option == "--logs" && *value)
            config.LogsDir = value;
        else if (option == "--bots" && (number = ParseNumber(value, 0, 100000)))
            config.Bots = uint32(*number);
        else if (option == "--ticks" && (number = ParseNumber(value, 0, UINT32_MAX)))
            config.Ticks = uint32(*number);
        else if (option == "--tick-ms" && (number = ParseNumber(value, 0, 60000)))
            config.TickMs = uint32(*number);
        else if (option == "--threads" && (number = ParseNumber(value, 1, 64)))
            config.Threads = uint32(*number);
        else if (option == "--seed" && (number = ParseNumber(value, 0, UINT64_MAX)))
            config.Seed = *number;
        else
        {
            std::fprintf(stderr, "worldserver: bad option '%s %s'\n%s", option.c_str(), value, Usage);
            return false;
        }
    }
    return true;
}
} // namespace

int main(int argc, char** argv)
{
    WorldConfig config;
    if (!ParseOptions(argc, argv, config))
        return 1;

    std::printf(
        "SampleCore rev. 1.0 (worldserver-daemon), the crashpilot sample server\n<Ctrl-C> to stop.\n\n");
    if (!sLog->Initialize(config.LogsDir))
    {
        std::fprintf(stderr, "worldserver: cannot write Server.log and Playerbot.log in '%s'\n",
                     config.LogsDir.c_str());
        return 1;
    }
    TC_LOG_INFO("server.worldserver", "Using logs directory %s, world seed %llu", config.LogsDir.c_str(),
                (unsigned long long)config.Seed);
    std::signal(SIGINT, SignalHandler);
    std::signal(SIGTERM, SignalHandler);

    World world(config);
    world.GetMap().LoadSpawns(config.Bots / 2 + 8);
    Playerbot::PlayerbotMgr bots(world.GetMap(), config.Seed);
    bots.LoginBots(config.Bots);
    world.SetWorker(&bots);
    TC_LOG_INFO("server.worldserver", "World initialized: %u map workers, %u ms per tick", config.Threads,
                config.TickMs);
    {
        FreezeDetector freezeDetector(world);
        world.Run();
    }
    TC_LOG_INFO("server.worldserver", "Halting process... clean shutdown.");
    sLog->Close();
    return 0;
}
