// Creating a new quote store safely under concurrency: the store is built and
// seeded in a temporary file beside PATH, then published with link(2), which
// fails when PATH exists; so PATH is either missing or a complete store, never
// the 0-byte file a reader would refuse as truncated (docs/market.md).
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/i18n.h"
#include "market/store.h"
#include "market/store_sql.h"

namespace suanli {
namespace {

// Removes `path` and the SQLite companions it may have left.
void RemoveQuietly(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());
}

// Returns a name beside `path` no other process or thread uses.
std::string TempName(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return fmt::format("{}.new-{}-{}", path, ::getpid(), counter.fetch_add(1));
}

}  // namespace

Result<int> QuoteStore::CreateFile(const std::string& path, const StoreOptions& options) {
  const std::string temp = TempName(path);
  RemoveQuietly(temp);
  int migrations = 0;
  {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(temp.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
      Error error = SqlError(db, rc, path, Tr("opening"));
      sqlite3_close(db);
      RemoveQuietly(temp);
      return error;
    }
    QuoteStore store(db, path);
    sqlite3_busy_timeout(db, options.busy_timeout_ms);
    if (Status migrated = store.Migrate(options); !migrated.ok()) {
      store = QuoteStore(nullptr, path);  // closes the connection
      RemoveQuietly(temp);
      return migrated.error();
    }
    migrations = store.migrations_applied_;
    // WAL is persistent in the file; closing the only connection checkpoints
    // and deletes the -wal and -shm files, so the one file holds everything.
    sqlite3_exec(db, "PRAGMA journal_mode=WAL;", nullptr, nullptr, nullptr);
  }
  if (::link(temp.c_str(), path.c_str()) == 0) {
    RemoveQuietly(temp);
    return migrations;
  }
  const int error = errno;
  RemoveQuietly(temp);
  // Another process published its store first: it is complete, use it.
  if (error == EEXIST) return 0;
  // A file system without hard links: create in place as before (a reader
  // racing the first writer may then see the new, still empty file).
  if (error == EPERM || error == ENOTSUP || error == EOPNOTSUPP || error == EXDEV || error == EMLINK) return -1;
  return MakeError(TrFormat("cannot create the quote store: {}", std::strerror(error)), path,
                   Tr("check that the directory is writable"));
}

}  // namespace suanli
