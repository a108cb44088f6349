#ifndef TRINITY_WORLD_H
#define TRINITY_WORLD_H

#include "Map.h"
#include "WorldWorker.h"
#include <atomic>
#include <barrier>
#include <memory>
#include <string>
#include <thread>
#include <vector>

struct WorldConfig
{
    uint32 Bots = 64;
    uint32 Ticks = 0; // 0 = until stopped
    uint32 TickMs = 10;
    uint32 Threads = 2;
    uint64 Seed = 1;
    std::string LogsDir = ".";
};

// The world update loop: each tick the world thread updates the map, then the map workers run
// in parallel, and the next tick waits for all of them (one barrier, two phases per tick).
class World
{
public:
    explicit World(WorldConfig const& config);
    ~World();

    Map& GetMap() { return _map; }
    void SetWorker(WorldWorker* worker) { _worker = worker; }

    void Run(); // on the calling thread, until StopNow() or the configured tick count
    uint32 GetLoopCount() const { return _loopCount.load(); }
    static void StopNow() { _stopEvent = true; }
    static bool IsStopped() { return _stopEvent; }

private:
    void WorkerThread(uint32 index);

    WorldConfig _config;
    Map _map;
    WorldWorker* _worker = nullptr;
    std::barrier<> _tickBarrier;
    std::vector<std::thread> _workers;
    std::atomic<uint32> _tick {0};
    std::atomic<uint32> _loopCount {0};
    std::atomic<bool> _shutdown {false};
    static inline std::atomic<bool> _stopEvent {false};
};

#endif
