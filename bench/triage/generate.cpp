// SPDX-License-Identifier: MIT
#include "generate.hpp"

#include <cstdint>
#include <fmt/format.h>

namespace crashpilot::bench {

namespace {
// A small deterministic generator: benchmark inputs must be the same on every run.
struct Rng {
  uint64_t s = 0x9E3779B97F4A7C15ULL;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  size_t pick(size_t n) { return static_cast<size_t>(next() % n); }
};

const char* k_functions[] = {"Map::Update", "Unit::Update", "Player::Update", "World::UpdateSessions",
                             "WorldSession::Update", "Spell::update", "Aura::UpdateOwner", "MapUpdater::WorkerThread",
                             "Playerbot::BotAI::UpdateAI", "Playerbot::Performance::WorkerThread::Run",
                             "boost::asio::detail::scheduler::run", "ObjectAccessor::GetUnit", "Creature::Update",
                             "GridMap::getHeight", "PathGenerator::CalculatePath", "std::thread::_Invoke<std::tuple<...> >"};
const char* k_files[] = {"Maps\\Map.cpp", "Entities\\Unit\\Unit.cpp", "Entities\\Player\\Player.cpp",
                         "World\\World.cpp", "Server\\WorldSession.cpp", "Spells\\Spell.cpp",
                         "Spells\\Auras\\SpellAuras.cpp", "Maps\\MapUpdater.cpp"};
} // namespace

std::string wheaty_all_threads(size_t bytes) {
  Rng rng;
  std::string out;
  out.reserve(bytes + 4096);
  out += "Revision: TrinityCore rev. 73b68bea937d 2024-12-12 19:51:38 +0100 (3.3.5 branch) (Win64, RelWithDebInfo, Static)\r\n";
  out += "Date 12:5:2025. Time 14:3 \r\n//=====================================================\r\n";
  out += "*** Hardware ***\r\nProcessor: AMD EPYC 7763 64-Core Processor\r\nNumber Of Processors: 32\r\n";
  out += "Physical Memory: 67108864 KB (Available: 12345678 KB)\r\nCommit Charge Limit: 99999999 KB\r\n\r\n";
  out += "*** Operation System ***\r\nWindows Server 2022 Datacenter (Version 10.0, Build 20348)\r\n\r\n";
  out += "//=====================================================\r\nException code: C0000005 ACCESS_VIOLATION\r\n";
  out += "Fault address:  00007FF65911FB20 01:00000000018CEB20 C:\\server\\worldserver.exe\r\n\r\nRegisters:\r\n";
  for (const char* r : {"RAX", "RBX", "RCX", "RDX", "RSI", "RDI"}) {
    out += fmt::format("{}:{:016X}\r\n", r, rng.next());
  }
  out += "CS:RIP:0033:00007FF65911FB20\r\nSS:RSP:002B:000000F6ADBFF760  RBP:ADBFF860\r\n";
  out += "DS:002B  ES:002B  FS:0053  GS:002B\r\nFlags:00010283\r\n\r\n";
  size_t thread = 0;
  while (out.size() < bytes / 2) {
    out += "Call stack:\r\nAddress   Frame     Function      SourceFile\r\n";
    size_t depth = 12 + rng.pick(30);
    for (size_t i = 0; i < depth; ++i) {
      size_t f = rng.pick(std::size(k_functions));
      out += fmt::format("{:016X}  {:016X}  {}{}+{:X}  D:\\build\\TrinityCore\\src\\server\\game\\{} line {}\r\n",
                         0x7FF600000000ULL + rng.pick(0xFFFFFFF), 0xF600000000ULL + rng.pick(0xFFFFFF),
                         rng.pick(5) == 0 ? "[inline] " : "", k_functions[f], rng.pick(0x2000),
                         k_files[rng.pick(std::size(k_files))], 10 + rng.pick(5000));
    }
    out += "\r\n";
    ++thread;
  }
  out += "========================\r\nLocal Variables And Parameters\r\n\r\n";
  while (out.size() < bytes) {
    out += "Call stack:\r\nAddress   Frame     Function      SourceFile\r\n";
    for (size_t i = 0; i < 10; ++i) {
      out += fmt::format("{:016X}  {:016X}  {}+{:X}  D:\\build\\src\\server\\game\\{} line {}\r\n",
                         0x7FF600000000ULL + rng.pick(0xFFFFFFF), 0xF600000000ULL + rng.pick(0xFFFFFF),
                         k_functions[rng.pick(std::size(k_functions))], rng.pick(0x2000),
                         k_files[rng.pick(std::size(k_files))], 10 + rng.pick(5000));
      out += fmt::format("\tLocal <user defined> 'this' = {:X}\r\n\tParameter unsigned int 'diff' = {}\r\n\r\n",
                         rng.next(), rng.pick(100));
    }
  }
  (void)thread;
  return out;
}

std::string log_with_report(size_t bytes) {
  Rng rng;
  const char* levels[] = {"INFO ", "DEBUG", "WARN ", "ERROR"};
  const char* words[] = {"player", "bot", "spell", "aura", "map", "grid", "update", "session", "packet",
                         "login", "logout", "combat", "target", "movement", "loot", "quest"};
  std::string out;
  out.reserve(bytes + 8192);
  auto filler = [&](size_t until) {
    while (out.size() < until) {
      out += fmt::format("2025-05-12_14:{:02}:{:02} {}[server.worldserver] ", rng.pick(60), rng.pick(60),
                         levels[rng.pick(4)]);
      size_t n = 4 + rng.pick(10);
      for (size_t i = 0; i < n; ++i) {
        out += words[rng.pick(std::size(words))];
        out += ' ';
      }
      out += fmt::format("guid={} map={}\n", rng.pick(1000000), rng.pick(700));
    }
  };
  filler(bytes / 2);
  out += "\n/home/trinity/src/server/game/Maps/Map.h:853 in GetRespawnMapForType ASSERTION FAILED:\n"
         "  false\nMap: 571 Instance: 0\n";
  out += "Thread 1 \"worldserver\" received signal SIGSEGV, Segmentation fault.\n";
  out += "#0  0x00005555573a1b2c in Trinity::Assert (file=..., line=853, function=..., message=...) at /home/trinity/src/common/Debugging/Errors.cpp:57\n";
  out += "#1  0x0000555556a0c4d1 in Map::GetRespawnMapForType (this=0x7fffd4a0c000, type=SPAWN_TYPE_CREATURE) at /home/trinity/src/server/game/Maps/Map.h:853\n";
  out += "#2  0x0000555556a0d111 in Map::RemoveRespawnTime (this=0x7fffd4a0c000, info=0x7fffc0001230) at /home/trinity/src/server/game/Maps/Map.cpp:2205\n";
  out += "#3  0x0000555556a1e222 in Map::Update (this=0x7fffd4a0c000, t_diff=50) at /home/trinity/src/server/game/Maps/Map.cpp:712\n";
  out += "#4  0x0000555556b2f333 in MapUpdater::WorkerThread (this=0x555558000000) at /home/trinity/src/server/game/Maps/MapUpdater.cpp:120\n\n";
  filler(bytes);
  return out;
}

} // namespace crashpilot::bench
