// SPDX-License-Identifier: MIT
#include <util/fd.hpp>

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <symbolize/callbacks.hpp>
#include <symbolize/debug_cache.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace crashpilot::symbolize {

namespace {

CallbackContext* context_of(void** userdata) {
  return userdata != nullptr ? static_cast<CallbackContext*>(*userdata) : nullptr;
}

// The CRC-32 .gnu_debuglink carries (IEEE polynomial, as zlib's crc32).
constexpr std::array<uint32_t, 256> k_crc_table = [] {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) {
      c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    t[i] = c;
  }
  return t;
}();

bool file_crc32(int fd, uint32_t* crc) {
  uint32_t c = 0xFFFFFFFFu;
  std::array<unsigned char, 1 << 16> buf;
  for (off_t at = 0;;) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), at);
    if (n < 0) {
      return false;
    }
    if (n == 0) {
      break;
    }
    for (ssize_t i = 0; i < n; ++i) {
      c = k_crc_table[(c ^ buf[static_cast<size_t>(i)]) & 0xFF] ^ (c >> 8);
    }
    at += n;
  }
  *crc = c ^ 0xFFFFFFFFu;
  return true;
}

struct Wanted {
  std::string build_id; // bytes; must match when not empty
  bool check_crc = false;
  uint32_t crc = 0;
  bool need_dwarf = false; // a debug file: must carry .debug_info
};

// Opens `path` when it is a regular file that is what we look for; -1 otherwise.
int open_matching(const std::string& path, const Wanted& want) {
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st;
  if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return -1;
  }
  Elf* elf = elf_begin(fd.get(), ELF_C_READ_MMAP, nullptr);
  if (elf == nullptr) {
    return -1;
  }
  bool ok = elf_kind(elf) == ELF_K_ELF && (!want.need_dwarf || has_own_dwarf(elf));
  if (ok && !want.build_id.empty()) {
    const void* id = nullptr;
    ssize_t len = dwelf_elf_gnu_build_id(elf, &id);
    ok = len > 0 &&
         std::string_view(static_cast<const char*>(id), static_cast<size_t>(len)) == want.build_id;
  }
  elf_end(elf);
  if (ok && want.build_id.empty()) {
    uint32_t crc = 0;
    ok = want.check_crc && file_crc32(fd.get(), &crc) && crc == want.crc;
  }
  return ok ? fd.release() : -1;
}

std::string build_id_path(const std::string& dir, const std::string& id_hex,
                          std::string_view suffix) {
  std::string p = dir;
  p += "/.build-id/";
  p += id_hex.substr(0, 2);
  p += '/';
  p += id_hex.substr(2);
  p += suffix;
  return p;
}

std::string dir_of(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string(".") : std::string(path.substr(0, slash));
}

std::string base_of(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

char* dup(const std::string& s) {
  return ::strdup(s.c_str());
}

int give(int fd, const std::string& path, char** file_name) {
  std::free(*file_name);
  *file_name = dup(path);
  return fd;
}

// A core's module: the executable the user named (when it is this module), a build-id file, or
// the path the core names. libdwfl already opened the files the core's NT_FILE note names when
// their build-id matched, so this runs for modules that were moved, rebuilt or never named.
int core_find_elf(Dwfl_Module* mod, void** userdata, const char* modname, Dwarf_Addr,
                  char** file_name, Elf** elfp) {
  *elfp = nullptr;
  CallbackContext* ctx = context_of(userdata);
  std::string id = build_id_bytes(mod);
  std::string name = modname != nullptr ? modname : "";
  if (ctx != nullptr && !ctx->exe.empty()) {
    Wanted want{id, false, 0, false};
    // Without a build-id in the core, only a name match says the executable is this module.
    if (!id.empty() || base_of(name) == base_of(ctx->exe)) {
      if (id.empty()) {
        util::Fd fd(::open(ctx->exe.c_str(), O_RDONLY | O_CLOEXEC));
        if (fd.valid()) {
          return give(fd.release(), ctx->exe, file_name);
        }
      } else if (int fd = open_matching(ctx->exe, want); fd >= 0) {
        return give(fd, ctx->exe, file_name);
      }
    }
  }
  if (!id.empty()) {
    Wanted want{id, false, 0, false};
    if (ctx != nullptr) {
      std::string hex = to_hex(id);
      for (const auto& dir : ctx->debug_dirs) {
        std::string p = build_id_path(dir, hex, "");
        if (int fd = open_matching(p, want); fd >= 0) {
          return give(fd, p, file_name);
        }
      }
    }
    if (name.starts_with('/')) {
      if (int fd = open_matching(name, want); fd >= 0) {
        return give(fd, name, file_name);
      }
    }
  }
  return -1;
}

// A live process's module: the file its mapping names. A binary replaced or deleted after the
// process started (a rebuild while the server runs) shows as "PATH (deleted)"; /proc/PID/exe still
// reads the file the process runs, debug info included, where elfutils would only read the loaded
// segments from memory.
int proc_find_elf(Dwfl_Module* mod, void** userdata, const char* modname, Dwarf_Addr base,
                  char** file_name, Elf** elfp) {
  CallbackContext* ctx = context_of(userdata);
  std::string_view name = modname != nullptr ? modname : "";
  constexpr std::string_view deleted = " (deleted)";
  if (ctx != nullptr && ctx->pid > 0 && name.ends_with(deleted)) {
    std::string link = "/proc/" + std::to_string(ctx->pid) + "/exe";
    char target[PATH_MAX];
    ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
    if (n > 0 && std::string_view(target, static_cast<size_t>(n)) == name) {
      int fd = ::open(link.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        *elfp = nullptr;
        return give(fd, std::string(name.substr(0, name.size() - deleted.size())), file_name);
      }
    }
  }
  // Opens regular files by path and reads the vDSO from the process's memory; no network.
  return dwfl_linux_proc_find_elf(mod, userdata, modname, base, file_name, elfp);
}

int find_debuginfo(Dwfl_Module* mod, void** userdata, const char* modname, Dwarf_Addr base,
                   const char* file_name, const char* debuglink_file, GElf_Word debuglink_crc,
                   char** debuginfo_file_name) {
  CallbackContext* ctx = context_of(userdata);
  GElf_Addr bias = 0;
  Elf* main_elf = dwfl_module_getelf(mod, &bias);
  GElf_Word crc = 0;
  const char* own_link = main_elf != nullptr ? dwelf_elf_gnu_debuglink(main_elf, &crc) : nullptr;
  bool same_link = (own_link == nullptr && debuglink_file == nullptr) ||
                   (own_link != nullptr && debuglink_file != nullptr &&
                    std::strcmp(own_link, debuglink_file) == 0);
  if (!same_link) {
    // A dwz alternate file (.gnu_debugaltlink) is asked for with its own name: elfutils' build-id
    // lookup finds it under the debuginfo path and, unlike dwfl_standard_find_debuginfo, never
    // falls back to debuginfod.
    return dwfl_build_id_find_debuginfo(mod, userdata, modname, base, file_name, debuglink_file,
                                        debuglink_crc, debuginfo_file_name);
  }
  if (ctx == nullptr) {
    return -1;
  }
  std::string path;
  int fd = -1;
  if (auto it = ctx->debug_files.find(mod); it != ctx->debug_files.end()) {
    fd = it->second.fd;
    path = it->second.path;
    ctx->debug_files.erase(it);
  } else {
    fd = open_debug_file(mod, *ctx, file_name, &path);
  }
  if (fd >= 0) {
    fd = uncompressed_debug_file(fd, build_id_bytes(mod), ctx->debug_cache_dir, &path);
    *debuginfo_file_name = dup(path);
  }
  return fd;
}

int bind_one(Dwfl_Module*, void** userdata, const char*, Dwarf_Addr, void* arg) {
  *userdata = arg;
  return DWARF_CB_OK;
}

} // namespace

CallbackContext::~CallbackContext() {
  for (auto& [mod, file] : debug_files) {
    ::close(file.fd);
  }
}

Dwfl_Callbacks make_callbacks(bool live, char** debuginfo_path) {
  Dwfl_Callbacks cb{};
  cb.find_elf = live ? proc_find_elf : core_find_elf;
  cb.find_debuginfo = find_debuginfo;
  cb.debuginfo_path = debuginfo_path;
  return cb;
}

std::string debuginfo_path(const std::vector<std::string>& debug_dirs) {
  std::string out;
  for (const auto& d : debug_dirs) {
    if (!out.empty()) {
      out += ':';
    }
    out += d;
  }
  return out;
}

void bind_modules(Dwfl* dwfl, CallbackContext* context) {
  dwfl_getmodules(dwfl, bind_one, context, 0);
}

std::string build_id_bytes(Dwfl_Module* mod) {
  const unsigned char* bits = nullptr;
  GElf_Addr vaddr = 0;
  int len = dwfl_module_build_id(mod, &bits, &vaddr);
  return len > 0 ? std::string(reinterpret_cast<const char*>(bits), static_cast<size_t>(len))
                 : std::string();
}

std::string to_hex(const std::string& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

std::string file_build_id(const std::string& path) {
  util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    return {};
  }
  Elf* elf = elf_begin(fd.get(), ELF_C_READ_MMAP, nullptr);
  if (elf == nullptr) {
    return {};
  }
  const void* id = nullptr;
  ssize_t len = elf_kind(elf) == ELF_K_ELF ? dwelf_elf_gnu_build_id(elf, &id) : -1;
  std::string out =
      len > 0 ? std::string(static_cast<const char*>(id), static_cast<size_t>(len)) : std::string();
  elf_end(elf);
  return out;
}

bool has_own_dwarf(Elf* elf) {
  size_t shstrndx = 0;
  if (elf == nullptr || elf_getshdrstrndx(elf, &shstrndx) != 0) {
    return false;
  }
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) == nullptr || sh.sh_type == SHT_NOBITS) {
      continue;
    }
    const char* name = elf_strptr(elf, shstrndx, sh.sh_name);
    if (name != nullptr &&
        (std::strcmp(name, ".debug_info") == 0 || std::strcmp(name, ".zdebug_info") == 0)) {
      return true;
    }
  }
  return false;
}

int open_debug_file(Dwfl_Module* mod, const CallbackContext& context, const char* file_name,
                    std::string* path) {
  std::string id = build_id_bytes(mod);
  if (!id.empty()) {
    std::string hex = to_hex(id);
    Wanted want{id, false, 0, true};
    for (const auto& dir : context.debug_dirs) {
      std::string p = build_id_path(dir, hex, ".debug");
      if (int fd = open_matching(p, want); fd >= 0) {
        *path = p;
        return fd;
      }
    }
  }
  GElf_Addr bias = 0;
  Elf* main_elf = dwfl_module_getelf(mod, &bias);
  GElf_Word crc = 0;
  const char* link = main_elf != nullptr ? dwelf_elf_gnu_debuglink(main_elf, &crc) : nullptr;
  std::string file = file_name != nullptr ? file_name : "";
  std::vector<std::string> candidates;
  if (link != nullptr && link[0] != '\0') {
    std::string dir = dir_of(file);
    candidates.push_back(dir + "/" + link);
    candidates.push_back(dir + "/.debug/" + link);
    for (const auto& d : context.debug_dirs) {
      if (file.starts_with('/')) {
        candidates.push_back(d + dir + "/" + link);
      }
      candidates.push_back(d + "/" + link);
    }
  }
  // Without a debuglink only a build-id match can say a file belongs to this binary.
  if (!id.empty() && !file.empty()) {
    std::string base = base_of(file);
    for (const auto& d : context.debug_dirs) {
      candidates.push_back(d + "/" + base + ".debug");
      candidates.push_back(d + "/" + base);
    }
  }
  Wanted want{id, link != nullptr, crc, true};
  for (const auto& c : candidates) {
    if (int fd = open_matching(c, want); fd >= 0) {
      *path = c;
      return fd;
    }
  }
  return -1;
}

} // namespace crashpilot::symbolize
