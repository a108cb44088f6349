// SPDX-License-Identifier: MIT
#include <cxxabi.h>
#include <symbolize/demangle.hpp>

#include <cstdlib>

namespace crashpilot::symbolize {

namespace {

// __cxa_demangle grows one malloc'd buffer when given it; keeping it saves a malloc per frame.
struct DemangleBuffer {
  char* data = nullptr;
  size_t capacity = 0;
  ~DemangleBuffer() { std::free(data); }
};

} // namespace

std::string demangle(std::string_view name) {
  if (!name.starts_with("_Z") || name.size() > 8192) {
    return std::string(name);
  }
  static thread_local DemangleBuffer buffer;
  std::string mangled(name);
  int status = 0;
  char* out = abi::__cxa_demangle(mangled.c_str(), buffer.data, &buffer.capacity, &status);
  if (out == nullptr || status != 0) {
    return mangled;
  }
  buffer.data = out;
  return std::string(out);
}

} // namespace crashpilot::symbolize
