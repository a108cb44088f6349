// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <queue/clock.hpp>
#include <queue/ids.hpp>
#include <queue/lease.hpp>
#include <unistd.h>

namespace crashpilot::queue {

using nlohmann::json;

Lease make_lease(const std::string& holder, int64_t now, int64_t duration_seconds) {
  Lease l;
  l.lease_id = random_hex(16);
  l.holder = holder;
  l.pid = ::getpid();
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) {
    l.host = host;
  }
  l.claimed_at = now;
  l.expires_at = now + duration_seconds;
  return l;
}

json to_json(const Lease& l) {
  return {{"lease_id", l.lease_id},
          {"holder", l.holder},
          {"pid", l.pid},
          {"host", l.host},
          {"claimed_at", iso_utc(l.claimed_at)},
          {"expires_at", iso_utc(l.expires_at)},
          {"claimed_at_unix", l.claimed_at},
          {"expires_at_unix", l.expires_at}};
}

util::Expected<Lease> lease_from_json(const json& j) {
  try {
    Lease l;
    l.lease_id = j.at("lease_id").get<std::string>();
    l.holder = j.value("holder", std::string());
    l.pid = j.value("pid", int64_t{0});
    l.host = j.value("host", std::string());
    l.claimed_at = j.at("claimed_at_unix").get<int64_t>();
    l.expires_at = j.at("expires_at_unix").get<int64_t>();
    return l;
  } catch (const json::exception& e) {
    return util::error(fmt::format("lease: {}", e.what()));
  }
}

} // namespace crashpilot::queue
