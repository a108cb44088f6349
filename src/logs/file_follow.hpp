// SPDX-License-Identifier: MIT
#pragma once

// Following one log file by name, as `tail -F` does, without losing lines at a rotation:
// - the path is watched through its directory, so a file that does not exist yet is picked up
//   from its first byte when it appears, and a rename + create rotation opens the new file;
// - the inode is watched through the open descriptor, so the old file keeps being read after it was
//   renamed (TrinityCore keeps writing to it until it restarts) until it has been idle a while;
// - a file shorter than what was read (copytruncate, `> file`, a server reopening it with "w") is
//   read again from its start.
// A once-a-second check (tick) repeats all of this with stat(2), for file systems where inotify is
// silent (NFS, some containers).

#include <util/fd.hpp>

#include <logs/inotify.hpp>
#include <logs/intake.hpp>
#include <logs/line_buffer.hpp>
#include <logs/options.hpp>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace crashpilot::logs {

struct FileCounters {
  uint64_t rotations = 0;   // the path came to name another file
  uint64_t truncations = 0; // the file got shorter than what was read
  uint64_t reopened = 0;    // a file appeared where there was none
};

class FileFollow {
public:
  FileFollow(SourceSpec spec, Intake& intake, Inotify& inotify, size_t read_bytes,
             size_t max_line_bytes);
  ~FileFollow();
  FileFollow(const FileFollow&) = delete;
  FileFollow& operator=(const FileFollow&) = delete;

  const SourceSpec& spec() const { return m_spec; }
  // Starts: the directory watch, and the file at its end (or start) when it exists.
  void attach(TimePoint now);

  // Inotify events. Directory event for `name` under watch `wd`; inode event under `wd`.
  void on_directory_event(int wd, uint32_t mask, std::string_view name, TimePoint now);
  void on_inode_event(int wd, uint32_t mask);
  // Everything may have changed (inotify queue overflow, a sync request).
  void mark_all();

  // Reads marked files up to `budget` bytes; true when some are still unread.
  bool read(size_t budget, TimePoint now);
  // Hands out unfinished last lines (crash time: nothing will complete them).
  void flush_partial();
  // Once a second: stat the path, retry a missing directory, close idle renamed files.
  void tick(TimePoint now);

  bool following() const { return m_current != nullptr; }
  // Why nothing is followed, or "" (directory missing, permission denied, ...).
  std::string problem() const { return m_problem; }
  FileCounters counters() const { return m_counters; }

private:
  struct Handle {
    util::Fd fd;
    int wd = -1;
    dev_t dev = 0;
    ino_t ino = 0;
    uint64_t offset = 0;
    LineBuffer buffer;
    bool dirty = true;
    TimePoint last_data;
    Handle(size_t read_bytes, size_t max_line) : buffer(read_bytes, max_line) {}
  };

  void check_path(TimePoint now);
  std::unique_ptr<Handle> open_file(bool at_end, TimePoint now);
  bool read_handle(Handle& h, size_t& budget, TimePoint now);
  void close(std::unique_ptr<Handle>& h);

  SourceSpec m_spec;
  std::string m_dir;
  std::string m_base;
  Intake& m_intake;
  Inotify& m_inotify;
  size_t m_read_bytes;
  size_t m_max_line;
  int m_dir_wd = -1;
  std::unique_ptr<Handle> m_current;
  std::vector<std::unique_ptr<Handle>> m_draining; // renamed or deleted, still being written?
  std::string m_problem;
  std::string m_watch_problem; // an inode watch could not be added
  FileCounters m_counters;
};

} // namespace crashpilot::logs
