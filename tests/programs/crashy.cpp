// SPDX-License-Identifier: MIT
// A small "server" that fails on purpose, one way per --mode, for the capture end-to-end tests.
// The functions the tests look for are marked noinline / always_inline so the stack the capture
// stage reports is the one written here, whatever the optimizer would otherwise do. The line
// numbers the tests check are marked with CRASHY-LINE comments; tests grep them from this file.

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cassert>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace game {

struct Unit {
  int health = 100;
  std::vector<int> auras;
  int GetHealth() const { return health; }
};

// Inlined into its caller on purpose: the report must show it as an inline frame.
__attribute__((always_inline)) inline int ReadHealth(const Unit* target) {
  return target->GetHealth() + static_cast<int>(target->auras.size()); // CRASHY-LINE null-deref
}

__attribute__((noinline)) int ApplyDamage(const Unit* target, int amount) {
  int h = ReadHealth(target);
  asm volatile("" ::: "memory"); // keeps the call from becoming a tail call
  return h - amount;
}

struct Map {
  std::vector<Unit*> units;
  __attribute__((noinline)) int Update(int diff) {
    int sum = 0;
    for (Unit* u : units) {
      sum += ApplyDamage(u, diff); // CRASHY-LINE map-update
    }
    asm volatile("" ::: "memory");
    return sum;
  }
};

__attribute__((noinline)) void CheckInvariant(int value) {
  if (value != 42) {
    std::fprintf(stderr,
                 "ASSERTION FAILED: value == 42\nCheckInvariant at crashy.cpp: value was %d\n",
                 value);
    std::fflush(stderr);
  }
  assert(value == 42); // CRASHY-LINE assert
  asm volatile("" ::: "memory");
}

__attribute__((noinline)) int Recurse(int depth) {
  volatile char pad[512];
  pad[0] = static_cast<char>(depth);
  return Recurse(depth + 1) + pad[0]; // CRASHY-LINE recurse
}

std::mutex g_first;
std::mutex g_second;

__attribute__((noinline)) void LockBoth(std::mutex& a, std::mutex& b, std::atomic<int>& ready) {
  std::lock_guard<std::mutex> la(a);
  ready.fetch_add(1);
  while (ready.load() < 2) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::lock_guard<std::mutex> lb(b); // CRASHY-LINE deadlock
}

__attribute__((noinline)) void Spin(std::atomic<bool>& stop) {
  while (!stop.load(std::memory_order_relaxed)) { // CRASHY-LINE spin
  }
}

} // namespace game

namespace {

void name_thread(const char* name) {
  pthread_setname_np(pthread_self(), name);
}

void usage() {
  std::fprintf(stderr,
               "usage: crashy --mode null-thread|assert|stack-overflow|deadlock|spin|clean|exit3|"
               "sleep|ticks [--after-ms N] [--heartbeat-ms N] [--ticks N] [--ignore-term]\n");
  std::exit(64);
}

void sleep_ms(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

} // namespace

int main(int argc, char** argv) {
  std::string mode;
  int after_ms = 50;
  int heartbeat_ms = 0;
  long ticks = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--mode" && i + 1 < argc) {
      mode = argv[++i];
    } else if (a == "--after-ms" && i + 1 < argc) {
      after_ms = std::atoi(argv[++i]);
    } else if (a == "--heartbeat-ms" && i + 1 < argc) {
      heartbeat_ms = std::atoi(argv[++i]);
    } else if (a == "--ignore-term") {
      std::signal(SIGTERM, SIG_IGN); // a server that does not stop when asked
    } else if (a == "--ticks" && i + 1 < argc) {
      ticks = std::atol(argv[++i]);
    } else {
      usage();
    }
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf("crashy %s starting, pid %d\n", mode.c_str(), static_cast<int>(getpid()));

  // Idle threads like a server's network and database threads: the report must list them too.
  std::atomic<bool> stop{false};
  std::vector<std::thread> idle;
  for (const char* name : {"net", "db"}) {
    idle.emplace_back([name, &stop] {
      name_thread(name);
      while (!stop.load()) {
        sleep_ms(5);
      }
    });
  }
  auto heartbeat = [&] {
    if (heartbeat_ms > 0) {
      std::printf("heartbeat world tick\n");
    }
  };
  auto finish = [&](int code) {
    stop = true;
    for (auto& t : idle) {
      t.join();
    }
    return code;
  };

  if (heartbeat_ms > 0) {
    for (int waited = 0; waited < after_ms; waited += heartbeat_ms) {
      heartbeat();
      sleep_ms(heartbeat_ms);
    }
  } else {
    sleep_ms(after_ms);
  }

  if (mode == "null-thread") {
    game::Unit alive;
    game::Map map;
    map.units = {&alive, nullptr};
    std::thread worker([&map] {
      name_thread("map-worker");
      std::printf("ERROR: map 1 has a unit without a target\n");
      std::printf("result %d\n", map.Update(5));
    });
    worker.join();
  } else if (mode == "assert") {
    game::CheckInvariant(7);
  } else if (mode == "stack-overflow") {
    std::printf("%d\n", game::Recurse(0));
  } else if (mode == "deadlock") {
    std::atomic<int> ready{0};
    std::thread a([&] {
      name_thread("locker-a");
      game::LockBoth(game::g_first, game::g_second, ready);
    });
    std::thread b([&] {
      name_thread("locker-b");
      game::LockBoth(game::g_second, game::g_first, ready);
    });
    a.join();
    b.join();
  } else if (mode == "spin") {
    std::atomic<bool> never{false};
    game::Spin(never);
  } else if (mode == "sleep") {
    for (;;) {
      heartbeat();
      sleep_ms(heartbeat_ms > 0 ? heartbeat_ms : 100);
    }
  } else if (mode == "ticks") {
    // A CPU-bound world loop: prints ticks/s, for the supervision overhead benchmark.
    auto start = std::chrono::steady_clock::now();
    volatile unsigned long sink = 0;
    for (long t = 0; t < ticks; ++t) {
      for (int i = 0; i < 200000; ++i) {
        sink = sink + static_cast<unsigned long>(i) * 2654435761u;
      }
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("ticks/s %.1f\n", static_cast<double>(ticks) / s);
  } else if (mode == "clean") {
    return finish(0);
  } else if (mode == "exit3") {
    std::fprintf(stderr, "fatal: configuration file not found\n");
    std::exit(3);
  } else {
    usage();
  }
  return finish(0);
}
