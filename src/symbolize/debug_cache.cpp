// SPDX-License-Identifier: MIT
#include <util/fd.hpp>

#include <fcntl.h>
#include <gelf.h>
#include <symbolize/callbacks.hpp>
#include <symbolize/debug_cache.hpp>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

namespace crashpilot::symbolize {

namespace {

// SHF_COMPRESSED sections only: old-style .zdebug sections keep a name that tells libdw to inflate
// them, so an inflated copy of those would not read back.
bool has_compressed_sections(int fd) {
  Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
  bool found = false;
  for (Elf_Scn* scn = elf != nullptr ? elf_nextscn(elf, nullptr) : nullptr;
       scn != nullptr && !found; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    found = gelf_getshdr(scn, &sh) != nullptr && (sh.sh_flags & SHF_COMPRESSED) != 0;
  }
  elf_end(elf);
  return found;
}

bool copy_all(int from, int to) {
  struct stat st;
  if (::fstat(from, &st) != 0) {
    return false;
  }
  off_t at = 0;
  while (at < st.st_size) {
    ssize_t n = ::sendfile(to, from, &at, static_cast<size_t>(st.st_size - at));
    if (n <= 0) {
      return false;
    }
  }
  return true;
}

// Copies `from` to `tmp` and inflates its compressed sections in place. libelf lays the file out
// again; the program headers of a debug file describe the stripped binary, not this file, and
// libdwfl reads only their addresses.
bool write_uncompressed(int from, const std::string& tmp) {
  util::Fd out(::open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!out.valid() || !copy_all(from, out.get())) {
    return false;
  }
  Elf* elf = elf_begin(out.get(), ELF_C_RDWR, nullptr);
  bool ok = elf != nullptr;
  for (Elf_Scn* scn = ok ? elf_nextscn(elf, nullptr) : nullptr; scn != nullptr && ok;
       scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    ok = gelf_getshdr(scn, &sh) != nullptr;
    if (ok && (sh.sh_flags & SHF_COMPRESSED) != 0) {
      ok = elf_compress(scn, 0, 0) >= 0;
    }
  }
  ok = ok && elf_update(elf, ELF_C_WRITE) >= 0;
  elf_end(elf);
  return ok && ::fsync(out.get()) == 0;
}

} // namespace

int uncompressed_debug_file(int fd, const std::string& build_id, const std::string& cache_dir,
                            std::string* out_path) {
  if (cache_dir.empty() || build_id.empty()) {
    return fd;
  }
  std::string target = cache_dir + "/" + to_hex(build_id) + ".debug";
  if (file_build_id(target) == build_id) {
    if (int cached = ::open(target.c_str(), O_RDONLY | O_CLOEXEC); cached >= 0) {
      ::close(fd);
      *out_path = target;
      return cached;
    }
  }
  if (!has_compressed_sections(fd)) {
    return fd;
  }
  std::error_code ec;
  std::filesystem::create_directories(cache_dir, ec);
  // Named as util::AtomicFile names its temporaries, so the same cleaners recognise them.
  static std::atomic<unsigned> counter{0};
  std::string tmp = target + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  if (!write_uncompressed(fd, tmp) || ::rename(tmp.c_str(), target.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return fd;
  }
  int cached = ::open(target.c_str(), O_RDONLY | O_CLOEXEC);
  if (cached < 0) {
    return fd;
  }
  ::close(fd);
  *out_path = target;
  return cached;
}

std::string default_debug_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') {
    return std::string(xdg) + "/crashpilot/debug";
  }
  const char* home = std::getenv("HOME");
  return home != nullptr && home[0] == '/' ? std::string(home) + "/.cache/crashpilot/debug"
                                           : std::string();
}

} // namespace crashpilot::symbolize
