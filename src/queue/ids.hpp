// SPDX-License-Identifier: MIT
#pragma once

// Request and lease ids end up in file names under the queue root, and they come from files other
// programs wrote. Only safe tokens are accepted, so no id can name a path outside the root
// (`../x`, `a/b`, an empty name, NUL bytes).

#include <string>
#include <string_view>

namespace crashpilot::queue {

// [A-Za-z0-9_-]{1,64}
bool is_valid_id(std::string_view id);

// `bytes` random bytes from the kernel (getrandom) as lower-case hex: 4 gives the seed's 8-hex ids,
// 16 gives a 128-bit lease id.
std::string random_hex(size_t bytes);

} // namespace crashpilot::queue
