// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace crashpilot::util {

// SHA-1 of `data` as 40 lower-case hex digits. Used for stable crash signature ids (as the seed and
// ClusterFuzz do), not for security. Written here because none of the project's listed Debian
// libraries exposes SHA-1, and pulling in OpenSSL for one 80-line function is not worth a dependency.
std::string sha1_hex(std::string_view data);

} // namespace crashpilot::util
