// SPDX-License-Identifier: MIT
#include <util/sha1.hpp>

#include <fmt/format.h>
#include <store/raw_report.hpp>
#include <zlib.h>

namespace crashpilot::store {

std::string cap_report(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  // The marker is sized for the largest numbers first, so the result never exceeds the cap.
  std::string probe =
      fmt::format("\n[crashpilot: report cut at {} of {} bytes]\n", text.size(), text.size());
  size_t keep = max_bytes > probe.size() ? max_bytes - probe.size() : 0;
  // Prefer a whole last line when a line end lies in the last 4 KiB of what is kept.
  size_t nl = text.rfind('\n', keep == 0 ? 0 : keep - 1);
  if (nl != std::string_view::npos && keep - nl <= 4096 && nl > 0) {
    keep = nl + 1;
  }
  std::string out(text.substr(0, keep));
  out += fmt::format("\n[crashpilot: report cut at {} of {} bytes]\n", keep, text.size());
  if (out.size() > max_bytes) {
    out.resize(max_bytes); // a cap smaller than the marker itself
  }
  return out;
}

util::Expected<std::string> compress(std::string_view data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                     reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()),
                     Z_BEST_COMPRESSION);
  if (rc != Z_OK) {
    return util::error(fmt::format("store: zlib compress failed ({})", rc));
  }
  out.resize(size);
  return out;
}

util::Expected<std::string> decompress(std::string_view data, size_t original_size) {
  std::string out(original_size, '\0');
  uLongf size = static_cast<uLongf>(original_size);
  int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &size,
                      reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()));
  if (rc != Z_OK || size != original_size) {
    return util::error(fmt::format("store: stored report does not decompress (zlib {})", rc));
  }
  return out;
}

util::Expected<RawPut> put_raw_report(const Db& db, std::string_view text, size_t max_bytes,
                                      int64_t now) {
  RawPut put;
  put.sha1 =
      util::sha1_hex(text); // the full text: the same report cut differently is still one report
  auto exists = db.prepare("SELECT 1 FROM raw_reports WHERE sha1 = ?");
  if (!exists) {
    return util::error(exists.error());
  }
  auto row = exists->bind(1, put.sha1).step();
  if (!row) {
    return util::error(row.error());
  }
  if (*row) {
    return put;
  }
  std::string stored = cap_report(text, max_bytes);
  auto packed = compress(stored);
  if (!packed) {
    return util::error(packed.error());
  }
  auto insert = db.prepare(
      "INSERT INTO raw_reports(sha1, original_size, stored_size, compressed_size, truncated, "
      "created, data) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert) {
    return util::error(insert.error());
  }
  auto r = insert->bind(1, put.sha1)
               .bind(2, static_cast<int64_t>(text.size()))
               .bind(3, static_cast<int64_t>(stored.size()))
               .bind(4, static_cast<int64_t>(packed->size()))
               .bind(5, stored.size() != text.size())
               .bind(6, now)
               .bind_blob(7, *packed)
               .run();
  if (!r) {
    return util::error(r.error());
  }
  put.inserted = true;
  return put;
}

util::Expected<std::string> get_raw_report(const Db& db, const std::string& sha1) {
  auto stmt = db.prepare("SELECT stored_size, data FROM raw_reports WHERE sha1 = ?");
  if (!stmt) {
    return util::error(stmt.error());
  }
  auto row = stmt->bind(1, sha1).step();
  if (!row) {
    return util::error(row.error());
  }
  if (!*row) {
    return util::error(fmt::format("store {}: no raw report {}", db.path(), sha1));
  }
  return decompress(stmt->column_blob(1), static_cast<size_t>(stmt->column_int(0)));
}

} // namespace crashpilot::store
