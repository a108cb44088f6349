// SPDX-License-Identifier: MIT
// The program the symbolize stage's tests read stacks of. `crash`: a worker thread dereferences a
// null pointer inside two inlined functions; `wait`: the same call path, parked in read(2) so a
// test can stop and unwind the live process. Three threads either way: main (joining), an idle
// thread and the worker. The lines the tests check are marked SYMBOLIZE-LINE; tests find them in
// this file. Built -O2 -g (tests/programs/CMakeLists.txt) so inlining is real.

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace symbolize_test {

struct Unit {
  int health = 100;
  // The always_inline attributes make the inline frames the tests expect independent of the
  // optimizer's mood.
  // The volatile read keeps the load (the faulting instruction) inside this inline function:
  // without it GCC attributes the load to the caller's line.
  __attribute__((always_inline)) int Health() const {
    const volatile int* h = &health;
    return *h * 2; // SYMBOLIZE-LINE health
  }
};

__attribute__((always_inline)) inline int ReadHealth(const Unit* unit) {
  int h = unit->Health(); // SYMBOLIZE-LINE read-health
  return h + 1;
}

__attribute__((noinline)) int Damage(const Unit* unit, int amount) {
  int h = ReadHealth(unit);      // SYMBOLIZE-LINE damage
  asm volatile("" ::: "memory"); // keeps the call from becoming a tail call
  return h - amount;
}

__attribute__((always_inline)) inline void Park(int fd) {
  char c = 0;
  if (read(fd, &c, 1) < 0) { // SYMBOLIZE-LINE park
    std::perror("read");
  }
}

__attribute__((noinline)) int Wait(int fd) {
  Park(fd); // SYMBOLIZE-LINE wait
  asm volatile("" ::: "memory");
  return 0;
}

class World {
public:
  explicit World(std::vector<Unit*> units) : m_units(std::move(units)) {}
  __attribute__((noinline)) int Update(int diff) {
    int sum = 0;
    for (const Unit* u : m_units) {
      sum += Damage(u, diff); // SYMBOLIZE-LINE update
    }
    asm volatile("" ::: "memory");
    return sum;
  }

private:
  std::vector<Unit*> m_units;
};

} // namespace symbolize_test

namespace {

// Whether thread `tid` of this process is blocked in futex(2) (/proc/self/task/TID/syscall).
bool waiting_in_futex(pid_t tid) {
  std::string path = "/proc/self/task/" + std::to_string(tid) + "/syscall";
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) {
    return false;
  }
  long nr = -1;
  bool ok = std::fscanf(f, "%ld", &nr) == 1 && nr == SYS_futex;
  std::fclose(f);
  return ok;
}

} // namespace

int main(int argc, char** argv) {
  bool crash = argc > 1 && std::strcmp(argv[1], "crash") == 0;
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    return 2;
  }
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  std::atomic<pid_t> idle_tid{0};
  std::thread idle([&] {
    idle_tid = static_cast<pid_t>(syscall(SYS_gettid));
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return done; });
  });
  std::thread worker([&] {
    // The other two threads first reach their waits (main in join, idle in its condition
    // variable), so every core of this program has the same three stacks.
    while (!waiting_in_futex(getpid()) || idle_tid == 0 || !waiting_in_futex(idle_tid)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (crash) {
      static symbolize_test::Unit alive;
      symbolize_test::World world({&alive, nullptr});
      std::printf("%d\n", world.Update(argc));
    } else {
      std::printf("ready\n");
      std::fflush(stdout);
      symbolize_test::Wait(pipe_fds[0]);
    }
  });
  worker.join(); // SYMBOLIZE-LINE join
  {
    std::lock_guard lock(m);
    done = true;
  }
  cv.notify_all();
  idle.join();
  return 0;
}
