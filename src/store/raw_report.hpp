// SPDX-License-Identifier: MIT
#pragma once

// Report texts as the store keeps them: content-addressed by the SHA-1 of the full text, cut to a
// size cap with a visible marker, zlib-compressed. Crash reports are repetitive text (frame lines,
// register dumps), so they compress several-fold.

#include <util/expected.hpp>

#include <store/sqlite.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace crashpilot::store {

// Cuts `text` to at most `max_bytes` (marker included), at a line end when one is near, and appends
// "[crashpilot: report cut at N of M bytes]". Text within the cap comes back unchanged.
std::string cap_report(std::string_view text, size_t max_bytes);

util::Expected<std::string> compress(std::string_view data);
util::Expected<std::string> decompress(std::string_view data, size_t original_size);

struct RawPut {
  std::string sha1;
  bool inserted = false; // false: the same text was already stored
};

// Stores `text` once (inside the caller's transaction). `now` is the row's creation time.
util::Expected<RawPut> put_raw_report(const Db& db, std::string_view text, size_t max_bytes,
                                      int64_t now);

// The stored (possibly cut) text; an error when no report has that id.
util::Expected<std::string> get_raw_report(const Db& db, const std::string& sha1);

} // namespace crashpilot::store
