// SPDX-License-Identifier: MIT
#include <cli/main.hpp>

namespace crashpilot::cli {

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  return 0;
}

} // namespace crashpilot::cli
