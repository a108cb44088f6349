// SPDX-License-Identifier: MIT
#pragma once

namespace crashpilot::cli {

// Runs the crashpilot command line and returns the process exit code. User errors are printed as
// one "crashpilot: error: ..." line; nothing below this function prints errors itself.
int main(int argc, char** argv);

} // namespace crashpilot::cli
