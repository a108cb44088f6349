// SPDX-License-Identifier: MIT
#include <elf.h>
#include <fmt/format.h>
#include <gelf.h>
#include <symbolize/core_notes.hpp>
#include <sys/procfs.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <string_view>

namespace crashpilot::symbolize {

namespace {

std::string_view elf_type_text(int type) {
  switch (type) {
  case ET_EXEC:
    return "an executable";
  case ET_DYN:
    return "a shared library or position-independent executable";
  case ET_REL:
    return "an object file";
  default:
    return "an ELF file of another type";
  }
}

// The note structures are read with this machine's layout (<sys/procfs.h>), so only cores of the
// same machine and word size are read in full.
bool native_layout(const GElf_Ehdr& eh) {
#if defined(__x86_64__)
  return eh.e_machine == EM_X86_64 && eh.e_ident[EI_CLASS] == ELFCLASS64;
#elif defined(__aarch64__)
  return eh.e_machine == EM_AARCH64 && eh.e_ident[EI_CLASS] == ELFCLASS64;
#else
  (void)eh;
  return false;
#endif
}

bool has_fault_address(int signal) {
  return signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGFPE;
}

std::string fixed_string(const char* s, size_t max) {
  std::string out(s, strnlen(s, max));
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) {
    out.pop_back();
  }
  return out;
}

// Kernel cores hold one NT_SIGINFO, after the first NT_PRSTATUS; gdb's gcore writes one per thread
// in the same order, so the first of each is the crashing thread's.
struct Seen {
  bool prstatus = false;
  bool siginfo = false;
};

void read_note(uint32_t type, const char* desc, size_t size, CoreNotes& notes, Seen& seen) {
  if (type == NT_PRSTATUS && !seen.prstatus && size >= sizeof(elf_prstatus)) {
    seen.prstatus = true;
    elf_prstatus st;
    std::memcpy(&st, desc, sizeof st);
    notes.info.crashing_tid = st.pr_pid;
    notes.info.signal = st.pr_cursig;
  } else if (type == NT_PRPSINFO && size >= sizeof(elf_prpsinfo)) {
    elf_prpsinfo ps;
    std::memcpy(&ps, desc, sizeof ps);
    notes.info.pid = ps.pr_pid;
    notes.info.exe_name = fixed_string(ps.pr_fname, sizeof ps.pr_fname);
    notes.info.args = fixed_string(ps.pr_psargs, sizeof ps.pr_psargs);
  } else if (type == NT_SIGINFO && !seen.siginfo && size >= sizeof(siginfo_t)) {
    seen.siginfo = true;
    siginfo_t si;
    std::memcpy(&si, desc, sizeof si);
    notes.info.si_code = si.si_code;
    // si_code > 0: raised by the kernel for a fault, so si_addr holds the address; kill()/raise()
    // (si_code <= 0) carry a sender pid there instead.
    if (has_fault_address(si.si_signo) && si.si_code > 0) {
      notes.info.fault_address = reinterpret_cast<uint64_t>(si.si_addr);
    }
    if (notes.info.signal == 0) {
      notes.info.signal = si.si_signo;
    }
  } else if (type == NT_AUXV) {
    for (size_t off = 0; off + 2 * sizeof(uint64_t) <= size; off += 2 * sizeof(uint64_t)) {
      uint64_t key = 0;
      uint64_t value = 0;
      std::memcpy(&key, desc + off, sizeof key);
      std::memcpy(&value, desc + off + sizeof key, sizeof value);
      if (key == AT_ENTRY) {
        notes.entry = value;
      } else if (key == AT_NULL) {
        break;
      }
    }
  }
}

} // namespace

util::Expected<void> check_core(Elf* elf, const std::string& path, uint64_t file_size) {
  if (file_size == 0) {
    return util::error(fmt::format("{}: empty file, not a core dump", path));
  }
  if (elf == nullptr || elf_kind(elf) != ELF_K_ELF) {
    return util::error(fmt::format(
        "{}: not an ELF file, so not a core dump (`file {}` tells what it is)", path, path));
  }
  GElf_Ehdr eh;
  if (gelf_getehdr(elf, &eh) == nullptr) {
    return util::error(
        fmt::format("{}: unreadable ELF header: the file is cut short or damaged", path));
  }
  if (eh.e_type != ET_CORE) {
    return util::error(fmt::format("{}: {}, not a core dump (were --core and --exe swapped?)", path,
                                   elf_type_text(eh.e_type)));
  }
  size_t phnum = 0;
  if (elf_getphdrnum(elf, &phnum) != 0 || phnum == 0) {
    return util::error(
        fmt::format("{}: core dump without readable program headers: truncated or damaged", path));
  }
  uint64_t need = eh.e_phoff + uint64_t{phnum} * eh.e_phentsize;
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf, static_cast<int>(i), &ph) == nullptr) {
      return util::error(fmt::format("{}: core dump truncated inside its program headers", path));
    }
    need = std::max<uint64_t>(need, ph.p_offset + ph.p_filesz);
  }
  if (need > file_size) {
    return util::error(fmt::format(
        "{}: core dump truncated: {} bytes, but its segments need {} (cut short by the core size "
        "limit `ulimit -c`, a full disk or an interrupted dump)",
        path, file_size, need));
  }
  return {};
}

util::Expected<CoreNotes> read_core_notes(Elf* elf, const std::string& path) {
  CoreNotes notes;
  GElf_Ehdr eh;
  if (gelf_getehdr(elf, &eh) == nullptr) {
    return util::error(fmt::format("{}: unreadable ELF header", path));
  }
  notes.native_layout = native_layout(eh);
  size_t phnum = 0;
  if (elf_getphdrnum(elf, &phnum) != 0) {
    return util::error(fmt::format("{}: unreadable program headers", path));
  }
  Seen seen;
  bool any_prstatus = false;
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf, static_cast<int>(i), &ph) == nullptr || ph.p_type != PT_NOTE) {
      continue;
    }
    Elf_Data* data = elf_getdata_rawchunk(elf, static_cast<int64_t>(ph.p_offset), ph.p_filesz,
                                          ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);
    if (data == nullptr) {
      return util::error(fmt::format("{}: unreadable note segment: {}", path, elf_errmsg(-1)));
    }
    GElf_Nhdr nh;
    size_t name_off = 0;
    size_t desc_off = 0;
    for (size_t off = 0; (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0;) {
      const char* name = static_cast<const char*>(data->d_buf) + name_off;
      if (nh.n_namesz != 5 || std::memcmp(name, "CORE", 5) != 0) {
        continue;
      }
      any_prstatus = any_prstatus || nh.n_type == NT_PRSTATUS;
      if (notes.native_layout) {
        read_note(nh.n_type, static_cast<const char*>(data->d_buf) + desc_off, nh.n_descsz, notes,
                  seen);
      }
    }
  }
  if (!any_prstatus) {
    return util::error(
        fmt::format("{}: core dump without thread notes (NT_PRSTATUS): no thread to read", path));
  }
  return notes;
}

} // namespace crashpilot::symbolize
