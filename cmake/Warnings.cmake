# Compiler flags as INTERFACE targets, linked by every crashpilot target.
add_library(crashpilot_warnings INTERFACE)
target_compile_options(crashpilot_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference -Wformat=2
  -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # -Wmaybe-uninitialized: GCC 12 reports std::optional members as uninitialized at -O1/-O2 (false
  # positives, GCC bug 80635); the sanitizer build and the fuzzer check real uninitialized reads.
  target_compile_options(crashpilot_warnings INTERFACE -Wduplicated-cond -Wlogical-op -Wno-maybe-uninitialized)
endif()
if(CRASHPILOT_WERROR)
  target_compile_options(crashpilot_warnings INTERFACE -Werror)
endif()

add_library(crashpilot_sanitizers INTERFACE)
if(CRASHPILOT_SANITIZE)
  target_compile_options(crashpilot_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(crashpilot_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
