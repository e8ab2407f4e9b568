// Checking and repairing a quote store file: what kind of file it is, a full
// integrity check, and a rebuild from an export into a fresh file.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "market/market.h"

namespace suanli {

// What is at a store path (foreign and unreadable files are errors).
enum class StoreFileKind { kMissing, kEmpty, kSqlite };

// Returns the kind of file at `path` by its header bytes, without SQLite;
// errors (naming the file and what to do): ':memory:' (no file), a
// directory, another non-regular file, unreadable, not a SQLite database.
Result<StoreFileKind> ClassifyStoreFile(const std::string& path);

// Returns the error for a missing store file that is not to be created
// ("quote store PATH not found; create it with `suanli market --db PATH init`").
Error MissingStoreError(const std::string& path);

// Returns the error for a 0-byte store file (truncated; never re-seeded).
Error EmptyStoreError(const std::string& path);

// The result of `market check`.
struct StoreCheck {
  std::string path;
  bool ok = false;                    // no problems found
  int schema_version = 0;             // PRAGMA user_version
  int quotes = -1;                    // rows in quotes; -1 when unreadable
  int fx_rates = -1;                  // rows in fx_rates; -1 when unreadable
  std::vector<std::string> problems;  // integrity_check lines and bad rows (at most ~100)
};

// Checks the store at `path`: header, suanli application id, SQLite
// integrity_check (every page), every quote row re-validated. Damage is
// reported in StoreCheck::problems; errors: missing, foreign or locked file.
Result<StoreCheck> CheckStore(const std::string& path);

// What a repair needs besides the export.
struct RepairOptions {
  const Market* seed = nullptr;  // seed written into the rebuilt store first (as on first use)
  SkuResolver resolver;          // SKU check for the export's rows; null = accept as is
};

// The result of `market repair`.
struct RepairReport {
  std::string path;            // the rebuilt store
  std::string backup_path;     // where the damaged file was copied; "" when there was none
  int quotes_imported = 0;     // export rows written
  int seed_skipped = 0;        // export rows identical to seed quotes
  int fx_rates_salvaged = 0;   // FX rates read back from the damaged file and kept
};

// Rebuilds the store at `path` from `export_file` (a `market export`, CSV or
// YAML): a new seeded store is built beside it, the export imported, FX rates
// still readable in the old file carried over, the old file copied to
// PATH.damaged and the new one renamed over PATH (atomic). Nothing changes
// when the export has a bad row; a foreign file at PATH is refused.
Result<RepairReport> RepairStore(const std::string& path, const std::string& export_file,
                                 const RepairOptions& options = {});

}  // namespace suanli
