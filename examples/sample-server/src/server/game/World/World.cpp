#include "World.h"
#include "Log.h"
#include <chrono>
#include <pthread.h>

World::World(WorldConfig const& config)
    : _config(config), _map(0, config.Seed), _tickBarrier(std::ptrdiff_t(config.Threads) + 1)
{
}

World::~World()
{
    for (std::thread& worker : _workers)
        if (worker.joinable())
            worker.join();
}

void World::Run()
{
    for (uint32 i = 0; i < _config.Threads; ++i)
        _workers.emplace_back(&World::WorkerThread, this, i);

    auto nextTick = std::chrono::steady_clock::now();
    uint32 tick = 0;
    while (!IsStopped() && (_config.Ticks == 0 || tick < _config.Ticks))
    {
        _tick = ++tick;
        _map.Update(tick);
        _tickBarrier.arrive_and_wait(); // map workers start
        _tickBarrier.arrive_and_wait(); // map workers done
        ++_loopCount;

        if (tick % 100 == 0)
            TC_LOG_INFO("server.worldserver", "World tick %u, %u bots online", tick,
                        _worker ? _worker->GetOnlineCount() : 0);

        nextTick += std::chrono::milliseconds(_config.TickMs);
        std::this_thread::sleep_until(nextTick);
    }
    _shutdown = true;
    _tickBarrier.arrive_and_wait(); // let the workers see the shutdown
    for (std::thread& worker : _workers)
        worker.join();
    TC_LOG_INFO("server.worldserver", "World update loop stopped after %u ticks", tick);
}

void World::WorkerThread(uint32 index)
{
    char name[16];
    std::snprintf(name, sizeof(name), "map-worker-%u", index);
    pthread_setname_np(pthread_self(), name);
    for (;;)
    {
        _tickBarrier.arrive_and_wait();
        if (_shutdown)
            return;
        if (_worker)
            _worker->UpdateWorker(index, _config.Threads, _tick);
        _tickBarrier.arrive_and_wait();
    }
}
