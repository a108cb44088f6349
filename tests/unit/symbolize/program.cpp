// SPDX-License-Identifier: MIT
#include "program.hpp"

#include <util/child_process.hpp>
#include <util/file.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

namespace crashpilot::symbolize::test {

std::string program() {
  return SYMBOLIZE_PROGRAM;
}
std::string program_source() {
  return SYMBOLIZE_PROGRAM_SOURCE;
}

int source_line(std::string_view marker) {
  auto text = util::read_file(program_source());
  if (!text) {
    throw std::runtime_error(text.error());
  }
  std::string needle = "SYMBOLIZE-LINE " + std::string(marker);
  int line = 1;
  for (size_t start = 0; start < text->size(); ++line) {
    size_t end = text->find('\n', start);
    std::string_view l(text->data() + start,
                       (end == std::string::npos ? text->size() : end) - start);
    if (l.ends_with(needle)) {
      return line;
    }
    start = end == std::string::npos ? text->size() : end + 1;
  }
  throw std::runtime_error("no marker " + needle + " in " + program_source());
}

bool have_gdb() {
  auto r = util::run_command({"gdb", "--version"});
  return r && r->ok();
}

util::Expected<void> make_core(const std::string& exe, const std::vector<std::string>& args,
                               const std::string& core) {
  std::vector<std::string> argv = {
      "gdb", "-batch",        "-nx",    "-iex", "set debuginfod enabled off", "-ex", "run",
      "-ex", "gcore " + core, "--args", exe};
  argv.insert(argv.end(), args.begin(), args.end());
  util::RunOptions o;
  o.timeout = std::chrono::seconds(120);
  auto r = util::run_command(argv, o);
  if (!r) {
    return util::error(r.error());
  }
  std::error_code ec;
  if (std::filesystem::file_size(core, ec) == 0 || ec) {
    return util::error(fmt::format("gdb wrote no core: {}{}", r->out, r->err));
  }
  return {};
}

int find_frame(const model::Thread& thread, std::string_view name, int from) {
  for (size_t i = static_cast<size_t>(from); i < thread.frames.size(); ++i) {
    if (thread.frames[i].function.find(name) != std::string::npos) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

const model::Thread* thread_with(const std::vector<model::Thread>& threads, std::string_view name) {
  for (const auto& t : threads) {
    if (find_frame(t, name) >= 0) {
      return &t;
    }
  }
  return nullptr;
}

std::string dump(const model::Thread& thread) {
  std::string out = "thread " + thread.id + "\n";
  for (const auto& f : thread.frames) {
    out += fmt::format("  #{} {}{} {}:{} ({})\n", f.index, f.inlined ? "[inline] " : "", f.function,
                       f.file, f.line, f.module);
  }
  return out;
}

} // namespace crashpilot::symbolize::test
