// SPDX-License-Identifier: MIT
#include <util/file.hpp>
#include <util/sha1.hpp>
#include <util/string.hpp>

#include <analyze/init_apply.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <optional>

namespace crashpilot::analyze {

namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

constexpr std::string_view k_force_hint = "--force replaces it and keeps a backup";

// The file's text, nullopt when there is none, an error when something else is in the way.
util::Expected<std::optional<std::string>> read_existing(const fs::path& p) {
  std::error_code ec;
  auto st = fs::symlink_status(p, ec);
  if (ec || st.type() == fs::file_type::not_found) {
    return std::optional<std::string>();
  }
  if (fs::is_directory(p, ec)) {
    return util::error(fmt::format("{} is a directory", p.string()));
  }
  auto text = util::read_file(p.string(), {size_t{16} << 20});
  if (!text) {
    return util::error(text.error());
  }
  return std::optional<std::string>(std::move(*text));
}

util::Expected<void> write_text(const fs::path& p, std::string_view text) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) {
    return util::error(fmt::format("cannot create {}: {}", p.parent_path().string(), ec.message()));
  }
  return util::write_file_atomic(p.string(), text);
}

// A free name `<file><suffix>[.N]` beside the file, relative to the root.
std::string backup_name(const ApplyOptions& o, const std::string& path) {
  std::string name = path + o.backup_suffix;
  std::error_code ec;
  for (int n = 1; fs::exists(fs::path(o.root) / name, ec); ++n) {
    name = fmt::format("{}{}.{}", path, o.backup_suffix, n);
  }
  return name;
}

util::Expected<std::string> keep_backup(const ApplyOptions& o, const std::string& path,
                                        std::string_view old_text) {
  std::string name = backup_name(o, path);
  if (!o.dry_run) {
    if (auto w = write_text(fs::path(o.root) / name, old_text); !w) {
      return util::error(fmt::format("backup of {}: {}", path, w.error()));
    }
  }
  return name;
}

std::string pointer(const std::vector<std::string>& key) {
  std::string out;
  for (const auto& k : key) {
    out += "/" + util::replace_all(util::replace_all(k, "~", "~0"), "/", "~1");
  }
  return out;
}

std::string sha1_of(const ordered_json& v) {
  return util::sha1_hex(v.dump());
}

ordered_json load_manifest(const ApplyOptions& o) {
  auto text = read_existing(fs::path(o.root) / k_init_manifest);
  ordered_json doc;
  if (text && *text) {
    doc = ordered_json::parse(**text, nullptr, false);
  }
  if (!doc.is_object()) {
    doc = ordered_json::object();
  }
  if (!doc.contains("files") || !doc["files"].is_object()) {
    doc["files"] = ordered_json::object();
  }
  return doc;
}

std::string recorded_sha1(const ordered_json& record) {
  return record.is_object() ? record.value("sha1", std::string()) : std::string();
}

FileOutcome failed(FileOutcome out, std::string reason) {
  out.action = FileAction::failed;
  out.reason = std::move(reason);
  return out;
}

bool owned_text(std::string_view existing, const ordered_json& record) {
  return marker_state(existing) == MarkerState::intact ||
         recorded_sha1(record) == util::sha1_hex(existing);
}

FileOutcome apply_text(const PlannedFile& f, const ApplyOptions& o, ordered_json& record) {
  FileOutcome out{f.path, f.what, FileAction::unchanged, {}, {}, {}, false};
  fs::path abs = fs::path(o.root) / f.path;
  auto existing = read_existing(abs);
  if (!existing) {
    return failed(out, existing.error());
  }
  if (*existing && **existing == f.text) {
    record = {{"sha1", util::sha1_hex(f.text)}};
    return out;
  }
  if (!*existing) {
    out.action = FileAction::created;
  } else if (owned_text(**existing, record)) {
    out.action = FileAction::updated;
  } else if (!o.force) {
    out.action = FileAction::skipped;
    out.needs_force = true;
    out.reason = marker_state(**existing) == MarkerState::none
                     ? fmt::format("not written by crashpilot init (no marker); {}", k_force_hint)
                     : fmt::format("changed since crashpilot init wrote it; {}", k_force_hint);
    return out;
  } else {
    auto backup = keep_backup(o, f.path, **existing);
    if (!backup) {
      return failed(out, backup.error());
    }
    out.action = FileAction::replaced;
    out.backup = *backup;
    out.reason = marker_state(**existing) == MarkerState::none
                     ? "it was not written by crashpilot init"
                     : "it was changed since crashpilot init wrote it";
  }
  if (!o.dry_run) {
    if (auto w = write_text(abs, f.text); !w) {
      return failed(out, w.error());
    }
  }
  record = {{"sha1", util::sha1_hex(f.text)}};
  return out;
}

// Merges `f` into the JSON document `doc`. Conflicts (what --force would replace) are collected;
// without --force the caller writes nothing when there are any.
struct MergeResult {
  bool modified = false;
  bool replaced_user_content = false;
  std::vector<std::string> changes;
  std::vector<std::string> conflicts;
  ordered_json entries = ordered_json::object(); // pointer -> sha1, for the manifest
};

// The object at key[0..n-1], created where missing; nullptr (a conflict noted) where a non-object
// is in the way and --force is not given.
ordered_json* parent_object(ordered_json& doc, const std::vector<std::string>& key, size_t n,
                            bool force, MergeResult& r) {
  ordered_json* node = &doc;
  for (size_t i = 0; i < n; ++i) {
    ordered_json& child = (*node)[key[i]];
    if (child.is_null()) {
      child = ordered_json::object();
      r.modified = true;
    } else if (!child.is_object()) {
      std::string where = key[0];
      for (size_t j = 1; j <= i; ++j) {
        where += "." + key[j];
      }
      if (!force) {
        r.conflicts.push_back(fmt::format("{} is not an object", where));
        return nullptr;
      }
      child = ordered_json::object();
      r.modified = r.replaced_user_content = true;
      r.changes.push_back(where + " replaced (it was not an object)");
    }
    node = &child;
  }
  return node;
}

MergeResult merge_into(ordered_json& doc, const PlannedFile& f, const ordered_json& previous,
                       bool force) {
  MergeResult r;
  for (const auto& e : f.entries) {
    std::string name = util::join(e.key, ".");
    std::string ptr = pointer(e.key);
    ordered_json* parent = parent_object(doc, e.key, e.key.size() - 1, force, r);
    if (parent == nullptr) {
      continue;
    }
    auto it = parent->find(e.key.back());
    if (it == parent->end()) {
      (*parent)[e.key.back()] = e.value;
      r.modified = true;
      r.changes.push_back(name + " added");
    } else if (*it != e.value) {
      bool ours = previous.is_object() && previous.value(ptr, std::string()) == sha1_of(*it);
      if (!ours && !e.required) {
        r.changes.push_back(name + " kept (yours)");
        continue;
      }
      if (!ours && !force) {
        r.conflicts.push_back(
            fmt::format("{} differs from what crashpilot init wrote (changed by you?)", name));
        continue;
      }
      *it = e.value;
      r.modified = true;
      r.replaced_user_content = r.replaced_user_content || !ours;
      r.changes.push_back(name + (ours ? " updated" : " replaced"));
    }
    r.entries[ptr] = sha1_of(e.value);
  }
  for (const auto& items : f.items) {
    std::string name = util::join(items.key, ".");
    ordered_json* parent = parent_object(doc, items.key, items.key.size() - 1, force, r);
    if (parent == nullptr) {
      continue;
    }
    ordered_json& array = (*parent)[items.key.back()];
    if (array.is_null()) {
      array = ordered_json::array();
    } else if (!array.is_array()) {
      if (!force) {
        r.conflicts.push_back(fmt::format("{} is not an array", name));
        continue;
      }
      array = ordered_json::array();
      r.replaced_user_content = true;
      r.changes.push_back(name + " replaced (it was not an array)");
    }
    std::vector<std::string> added;
    for (const auto& item : items.items) {
      if (std::find(array.begin(), array.end(), ordered_json(item)) == array.end()) {
        array.push_back(item);
        added.push_back(item);
      }
    }
    if (!added.empty()) {
      r.modified = true;
      r.changes.push_back(fmt::format("{}: added {}", name, util::join(added, ", ")));
    }
  }
  return r;
}

FileOutcome apply_merge(const PlannedFile& f, const ApplyOptions& o, ordered_json& record) {
  FileOutcome out{f.path, f.what, FileAction::unchanged, {}, {}, {}, false};
  fs::path abs = fs::path(o.root) / f.path;
  auto existing = read_existing(abs);
  if (!existing) {
    return failed(out, existing.error());
  }
  ordered_json doc = ordered_json::object();
  bool replace_whole = false;
  if (*existing) {
    doc = ordered_json::parse(**existing, nullptr, false);
    if (!doc.is_object()) {
      std::string problem = doc.is_discarded() ? "is not valid JSON" : "is not a JSON object";
      if (!o.force) {
        out.action = FileAction::skipped;
        out.needs_force = true;
        out.reason = fmt::format("{}; fix it, or {}", problem, k_force_hint);
        return out;
      }
      doc = ordered_json::object();
      replace_whole = true;
      out.reason = "it " + problem;
    }
  }
  ordered_json previous =
      record.is_object() && record.contains("entries") ? record["entries"] : ordered_json();
  MergeResult r = merge_into(doc, f, previous, o.force);
  out.changes = r.changes;
  if (!r.conflicts.empty()) {
    out.action = FileAction::skipped;
    out.needs_force = true;
    out.reason = fmt::format("{}; {}", util::join(r.conflicts, "; "), k_force_hint);
    return out;
  }
  if (!r.modified && !replace_whole && *existing) {
    record["sha1"] = util::sha1_hex(**existing);
    record["entries"] = r.entries;
    return out;
  }
  std::string text = doc.dump(2) + "\n";
  if (!*existing) {
    out.action = FileAction::created;
  } else if (replace_whole || r.replaced_user_content) {
    auto backup = keep_backup(o, f.path, **existing);
    if (!backup) {
      return failed(out, backup.error());
    }
    out.action = FileAction::replaced;
    out.backup = *backup;
    if (out.reason.empty()) {
      out.reason = "entries you changed were replaced";
    }
  } else {
    out.action = FileAction::merged;
  }
  if (!o.dry_run) {
    if (auto w = write_text(abs, text); !w) {
      return failed(out, w.error());
    }
  }
  record = {{"sha1", util::sha1_hex(text)}, {"entries", r.entries}};
  return out;
}

} // namespace

std::string_view to_string(FileAction action) {
  switch (action) {
  case FileAction::created:
    return "created";
  case FileAction::updated:
    return "updated";
  case FileAction::unchanged:
    return "unchanged";
  case FileAction::merged:
    return "merged";
  case FileAction::skipped:
    return "skipped";
  case FileAction::replaced:
    return "replaced";
  case FileAction::failed:
    return "failed";
  }
  return "unchanged";
}

bool may_write(const PlannedFile& planned, const ApplyOptions& o) {
  auto existing = read_existing(fs::path(o.root) / planned.path);
  if (!existing) {
    return false;
  }
  if (!*existing || **existing == planned.text || o.force) {
    return true;
  }
  ordered_json manifest = load_manifest(o);
  const ordered_json& files = manifest["files"];
  ordered_json record = files.contains(planned.path) ? files[planned.path] : ordered_json();
  return owned_text(**existing, record);
}

std::vector<FileOutcome> apply_init(const std::vector<PlannedFile>& files, const ApplyOptions& o) {
  ordered_json manifest = load_manifest(o);
  std::vector<FileOutcome> outcomes;
  for (const auto& f : files) {
    ordered_json& record = manifest["files"][f.path];
    outcomes.push_back(f.merge ? apply_merge(f, o, record) : apply_text(f, o, record));
    if (record.is_null()) {
      manifest["files"].erase(f.path);
    }
  }
  manifest["_generated_by"] = fmt::format(
      "crashpilot init v{}: its record of what it wrote, to tell its own output from your edits "
      "(do not edit)",
      o.version);
  manifest["manifest_version"] = 1;
  // A stable key order, so an unchanged run leaves the file byte for byte as it was.
  ordered_json ordered = {{"_generated_by", manifest["_generated_by"]},
                          {"manifest_version", 1},
                          {"files", manifest["files"]}};
  std::string text = ordered.dump(2) + "\n";
  FileOutcome m{std::string(k_init_manifest),
                "crashpilot init's record of its files",
                FileAction::unchanged,
                {},
                {},
                {},
                false};
  fs::path abs = fs::path(o.root) / k_init_manifest;
  auto existing = read_existing(abs);
  if (!existing) {
    outcomes.push_back(failed(m, existing.error()));
    return outcomes;
  }
  if (!*existing || **existing != text) {
    m.action = *existing ? FileAction::updated : FileAction::created;
    if (!o.dry_run) {
      if (auto w = write_text(abs, text); !w) {
        m = failed(m, w.error());
      }
    }
  }
  outcomes.push_back(std::move(m));
  return outcomes;
}

std::string backup_suffix_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, ".bak.%Y%m%d-%H%M%S", &tm);
  return buf;
}

} // namespace crashpilot::analyze
