// Store file checks (kind, integrity) and the rebuild from an export.
#include "market/store_check.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include <algorithm>

#include <fmt/format.h>

#include "market/quote_checks.h"
#include "market/store.h"
#include "market/store_sql.h"
#include "core/i18n.h"

namespace suanli {
namespace {

namespace fs = std::filesystem;

constexpr char kSqliteHeader[] = "SQLite format 3";  // 16 bytes with the NUL
constexpr size_t kMaxProblems = 100;

// A read-write connection (rolls back a killed writer's journal) with a busy timeout.
struct Connection {
  sqlite3* db = nullptr;
  ~Connection() { sqlite3_close(db); }
};

Status OpenConnection(const std::string& path, Connection& connection) {
  const int rc = sqlite3_open_v2(path.c_str(), &connection.db, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) return SqlError(connection.db, rc, path, Tr("opening"));
  sqlite3_busy_timeout(connection.db, 2000);
  return OkStatus();
}

// Appends the lines of `PRAGMA integrity_check` other than "ok".
void IntegrityProblems(sqlite3* db, const std::string& path, std::vector<std::string>& problems) {
  Statement stmt(db, fmt::format("PRAGMA integrity_check({});", kMaxProblems));
  int rc = stmt.prepare_rc();
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = stmt.Step();
    if (rc == SQLITE_ROW && stmt.Text(0) != "ok") problems.push_back(stmt.Text(0));
  }
  if (rc != SQLITE_DONE) problems.push_back(SqlError(db, rc, path, Tr("checking integrity")).message);
}

// Returns the FX rates stored at `db` that read back (bad rows are skipped:
// the quote checks only need to know which currencies have a rate).
FxTable ReadableFx(sqlite3* db) {
  std::vector<FxRate> rates;
  Statement stmt(db, "SELECT date, from_currency, to_currency, rate, source FROM fx_rates;");
  if (stmt.prepare_rc() != SQLITE_OK) return FxTable();
  while (stmt.Step() == SQLITE_ROW) {
    auto date = ParseMarketDate(stmt.Text(0));
    if (date.ok()) rates.push_back(FxRate{*date, stmt.Text(1), stmt.Text(2), stmt.Double(3), stmt.Text(4)});
  }
  return FxTable(std::move(rates));
}

// Appends quote rows that fail validation (edited by hand) or whose currency
// has no FX rate (readers skip those rows), and counts rows.
void RowProblems(sqlite3* db, const std::string& path, StoreCheck& check) {
  // A store before schema v3 has no includes_network column (read as false).
  std::string columns = kQuoteColumns;
  if (check.schema_version < 3) columns.replace(columns.rfind("includes_network"), 16, "0 AS includes_network");
  Statement stmt(db, fmt::format("SELECT {} FROM quotes ORDER BY id;", columns));
  int rc = stmt.prepare_rc();
  int rows = 0;
  const FxTable rates = ReadableFx(db);
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = stmt.Step();
    if (rc != SQLITE_ROW) break;
    ++rows;
    auto quote = ReadQuoteRow(stmt, path);
    if (check.problems.size() >= kMaxProblems) continue;
    if (!quote.ok()) {
      check.problems.push_back(quote.error().ToString());
    } else if (Status currency = CheckQuoteCurrency(*quote, rates, quote->where, DbFlag(path)); !currency.ok()) {
      check.problems.push_back(currency.error().ToString());
    } else if (std::vector<Error> values = QuoteValueProblems(*quote, quote->where); !values.empty()) {
      // Values the checks of new rows refuse (session 21: ranges, buyer
      // tiers, a gpu-hour price per several cards): readers still use the
      // row; it is fixed by removing it and adding it again.
      for (Error& e : values) {
        e.hint = TrFormat("{}{}remove it (`suanli market remove{} {}`) and add it again with the value fixed",
                          e.hint, e.hint.empty() ? "" : "; ", DbFlag(path), quote->id);
        check.problems.push_back(e.ToString());
      }
    }
  }
  if (rc != SQLITE_DONE) {
    check.problems.push_back(SqlError(db, rc, path, Tr("reading quotes")).message);
    return;
  }
  check.quotes = rows;
  auto fx = CountRows(db, "SELECT count(*) FROM fx_rates;", path);
  if (fx.ok()) check.fx_rates = *fx;
  else check.problems.push_back(fx.error().message);
}

// Copies FX rates still readable in the old store at `path` into `store`;
// returns how many were added (rates already there and unreadable rows skipped).
int SalvageFx(const std::string& path, QuoteStore& store) {
  Connection old;
  if (!OpenConnection(path, old).ok()) return 0;
  Statement stmt(old.db, "SELECT date, from_currency, to_currency, rate, source FROM fx_rates;");
  if (stmt.prepare_rc() != SQLITE_OK) return 0;
  int added = 0;
  while (stmt.Step() == SQLITE_ROW) {
    auto date = ParseMarketDate(stmt.Text(0));
    if (!date.ok()) continue;
    if (store.AddFx(FxRate{*date, stmt.Text(1), stmt.Text(2), stmt.Double(3), stmt.Text(4)}).ok()) ++added;
  }
  return added;
}

void RemoveWithCompanions(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

// Builds a seeded store at `temp` holding the export and the salvaged FX rates.
Result<RepairReport> BuildReplacement(const std::string& temp, const std::string& old_path, bool salvage,
                                      const std::string& export_file, const RepairOptions& options) {
  StoreOptions store_options;
  store_options.seed = options.seed;
  SUANLI_ASSIGN_OR_RETURN(QuoteStore store, QuoteStore::Open(temp, store_options));
  SUANLI_ASSIGN_OR_RETURN(ImportReport imported, store.ImportFile(export_file, options.resolver));
  if (!imported.rejected.empty()) {
    Error first = imported.rejected.front();
    first.message = TrFormat("the export has {} bad rows, the store was not changed; first: {}",
                             std::max<size_t>(1, static_cast<size_t>(imported.bad_rows)), first.message);
    return first;
  }
  RepairReport report;
  report.quotes_imported = imported.imported;
  report.seed_skipped = imported.skipped;
  if (salvage) report.fx_rates_salvaged = SalvageFx(old_path, store);
  return report;
}

}  // namespace

Result<StoreFileKind> ClassifyStoreFile(const std::string& path) {
  if (path == ":memory:")
    return MakeError(Tr("':memory:' is a throwaway in-memory store, not a file: there is nothing here to check"), path,
                     Tr("pass --db with the path of a suanli quote store file"));
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) return StoreFileKind::kMissing;
  if (fs::is_directory(status))
    return MakeError(Tr("a directory, not a quote store file"), path,
                     Tr("pass --db with the path of a file inside it, e.g. DIR/quotes.db"));
  if (!fs::is_regular_file(status))
    return MakeError(Tr("not a regular file (a device, pipe or socket), not a quote store"), path,
                     Tr("pass --db with the path of a suanli quote store"));
  // Read the header rather than trust the size: /proc files report 0 bytes.
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return MakeError(Tr("cannot read the file"), path, Tr("check its permissions"));
  char header[sizeof(kSqliteHeader)] = {};
  in.read(header, sizeof(header));
  const std::streamsize got = in.gcount();
  if (got == 0) return StoreFileKind::kEmpty;
  if (got != static_cast<std::streamsize>(sizeof(header)) || std::memcmp(header, kSqliteHeader, sizeof(header)) != 0) {
    return MakeError(Tr("file is not a SQLite database (it does not start with the SQLite header)"), path,
                     Tr("pass --db with a new path or a suanli quote store; the file was left untouched"));
  }
  return StoreFileKind::kSqlite;
}

Error MissingStoreError(const std::string& path) {
  return MakeError(TrFormat("quote store {} not found; create it with `suanli market --db {} init`", path, path), path,
                   Tr("or check the path for a typo"));
}

Error EmptyStoreError(const std::string& path) {
  return MakeError(Tr("the quote store is an empty (0-byte) file: truncated or never written, so it is not re-seeded"),
                   path,
                   TrFormat("restore it from a backup, rebuild it with `suanli market repair{} --from EXPORT`, or "
                            "delete the file to start a new seeded store",
                            DbFlag(path)));
}

Result<StoreCheck> CheckStore(const std::string& path) {
  SUANLI_ASSIGN_OR_RETURN(StoreFileKind kind, ClassifyStoreFile(path));
  if (kind == StoreFileKind::kMissing) return MissingStoreError(path);
  StoreCheck check;
  check.path = path;
  if (kind == StoreFileKind::kEmpty) {
    check.problems.push_back(EmptyStoreError(path).message);
    return check;
  }
  Connection connection;
  SUANLI_RETURN_IF_ERROR(OpenConnection(path, connection));
  auto app_id = PragmaInt(connection.db, "application_id", path);
  auto version = PragmaInt(connection.db, "user_version", path);
  if (app_id.ok() && *app_id != kStoreApplicationId)
    return MakeError(Tr("not a suanli quote store (another application's SQLite database)"), path,
                     Tr("pass --db with the path of a suanli quote store"));
  if (version.ok()) check.schema_version = *version;
  IntegrityProblems(connection.db, path, check.problems);
  if (app_id.ok() && version.ok()) RowProblems(connection.db, path, check);
  else check.problems.push_back((app_id.ok() ? version.error() : app_id.error()).message);
  check.ok = check.problems.empty();
  return check;
}

Result<RepairReport> RepairStore(const std::string& path, const std::string& export_file,
                                 const RepairOptions& options) {
  SUANLI_ASSIGN_OR_RETURN(StoreFileKind kind, ClassifyStoreFile(path));
  if (kind == StoreFileKind::kSqlite) {
    Connection connection;
    if (OpenConnection(path, connection).ok()) {
      auto app_id = PragmaInt(connection.db, "application_id", path);
      if (app_id.ok() && *app_id != kStoreApplicationId)
        return MakeError(Tr("not a suanli quote store (another application's SQLite database)"), path,
                         Tr("pass --db with the path of a suanli quote store; the file was left untouched"));
    }
  }
  const std::string temp = fmt::format("{}.repair-{}", path, ::getpid());
  RemoveWithCompanions(temp);
  auto built = BuildReplacement(temp, path, kind == StoreFileKind::kSqlite, export_file, options);
  if (!built.ok()) {
    RemoveWithCompanions(temp);
    return built.error();
  }
  RepairReport report = *built;
  report.path = path;
  std::error_code ec;
  if (kind != StoreFileKind::kMissing) {
    // Keep the damaged file (and its WAL, which must not be applied to the
    // new file) beside it; then replace PATH in one rename.
    report.backup_path = path + ".damaged";
    RemoveWithCompanions(report.backup_path);
    fs::copy_file(path, report.backup_path, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      RemoveWithCompanions(temp);
      return MakeError(TrFormat("cannot keep a copy of the damaged file: {}", ec.message()), report.backup_path);
    }
    if (fs::exists(path + "-wal", ec)) fs::rename(path + "-wal", report.backup_path + "-wal", ec);
    fs::remove(path + "-shm", ec);
    fs::remove(path + "-journal", ec);
  }
  fs::rename(temp, path, ec);
  if (ec) return MakeError(TrFormat("cannot move the rebuilt store into place: {}", ec.message()), path);
  return report;
}

}  // namespace suanli
