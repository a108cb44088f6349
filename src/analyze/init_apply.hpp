// SPDX-License-Identifier: MIT
#pragma once

// Writing what `crashpilot init` planned (init_files.hpp) without destroying anyone's work:
// - a whole file is written when it is new, unchanged since crashpilot wrote it (its marker's
//   hash, or the manifest's), or with --force, which first keeps a copy `<file>.bak.<time>`;
// - into a JSON file crashpilot merges its own entries and array items, keeping every other key
//   of the user's (their order too); an entry of crashpilot's that the user changed since is a
//   conflict like an edited file;
// - `.crashpilot/init-manifest.json` records the SHA-1 of every file written and of every entry
//   merged, so the next run can tell its own output from the user's edits.
// Every write is atomic. A dry run decides the same and writes nothing.

#include <analyze/init_files.hpp>

#include <string>
#include <vector>

namespace crashpilot::analyze {

inline constexpr std::string_view k_init_manifest = ".crashpilot/init-manifest.json";

enum class FileAction { created, updated, unchanged, merged, skipped, replaced, failed };

std::string_view to_string(FileAction action);

struct FileOutcome {
  std::string path; // relative to the root
  std::string what;
  FileAction action = FileAction::unchanged;
  std::string reason;               // skipped or failed: why; replaced: what was replaced
  std::string backup;               // replaced: the copy of the old file (relative)
  std::vector<std::string> changes; // merged/created JSON: "mcpServers.crashpilot added"
  bool needs_force = false;         // skipped, and --force would write it
};

struct ApplyOptions {
  std::string root; // the tree (absolute)
  bool force = false;
  bool dry_run = false;
  std::string version;       // crashpilot's, for the manifest
  std::string backup_suffix; // ".bak.20260830-123456"
};

// Whether the whole file `planned` would be written over what is at its path now: true for a new
// or still-generated file (or with --force), false for one the user wrote or changed.
bool may_write(const PlannedFile& planned, const ApplyOptions& o);

// Applies `files` in order, then the manifest (its outcome last). Problems with one file are that
// file's outcome (skipped, failed); the others are still written.
std::vector<FileOutcome> apply_init(const std::vector<PlannedFile>& files, const ApplyOptions& o);

// ".bak.YYYYmmdd-HHMMSS" for now (local time).
std::string backup_suffix_now();

} // namespace crashpilot::analyze
