// The SQLite quote store (C API): open with checks, migrations, seed,
// writes guarded by a damage check, listing and history.
#include "market/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "core/text.h"
#include "market/quote_filter.h"
#include "market/store_check.h"
#include "market/store_sql.h"
#include "core/i18n.h"

namespace suanli {
namespace {

// Schema migrations, applied in order; migration i brings user_version to i+1.
// Never edit a released migration: append a new one.
const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> migrations = {
      // 1: quotes, FX rates, import log.
      R"sql(
CREATE TABLE quotes (
  id TEXT PRIMARY KEY, supplier TEXT NOT NULL, channel TEXT NOT NULL, sku TEXT NOT NULL,
  system TEXT NOT NULL DEFAULT '', unit TEXT NOT NULL, cards_per_unit INTEGER NOT NULL DEFAULT 1,
  unit_price REAL NOT NULL CHECK (unit_price >= 0), currency TEXT NOT NULL, observed TEXT NOT NULL,
  valid_until TEXT NOT NULL DEFAULT '', quantity_available INTEGER NOT NULL DEFAULT 0,
  lead_weeks_min REAL NOT NULL, lead_weeks_likely REAL NOT NULL, lead_weeks_max REAL NOT NULL,
  condition TEXT NOT NULL, warranty_months INTEGER NOT NULL DEFAULT 0,
  cash_up_front INTEGER NOT NULL DEFAULT 0, deposit_fraction REAL NOT NULL DEFAULT 0,
  net_days INTEGER NOT NULL DEFAULT 0, bundle_amount REAL NOT NULL DEFAULT 0,
  bundle_fraction REAL NOT NULL DEFAULT 0, min_order INTEGER NOT NULL DEFAULT 0,
  buyers TEXT NOT NULL DEFAULT '', regions TEXT NOT NULL DEFAULT '', estimate INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL, notes TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT ''
);
CREATE TABLE fx_rates (
  date TEXT NOT NULL, from_currency TEXT NOT NULL, to_currency TEXT NOT NULL,
  rate REAL NOT NULL CHECK (rate > 0), source TEXT NOT NULL,
  PRIMARY KEY (from_currency, to_currency, date)
);
CREATE TABLE import_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT, imported_at TEXT NOT NULL, file TEXT NOT NULL,
  rows INTEGER NOT NULL, imported INTEGER NOT NULL
);
)sql",
      // 2: index for per-SKU listing and history.
      "CREATE INDEX quotes_by_sku ON quotes (sku, observed);",
      // 3: a quote whose price includes the scale-out network (CloudMatrix's optics).
      "ALTER TABLE quotes ADD COLUMN includes_network INTEGER NOT NULL DEFAULT 0;",
  };
  return migrations;
}

Result<int> CountTables(sqlite3* db, const std::string& path) {
  return CountRows(db, "SELECT count(*) FROM sqlite_master;", path);
}

// Deletes a store file and its WAL/journal companions.
Status RemoveStoreFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
  if (!std::filesystem::remove(path, ec) && ec)
    return MakeError(TrFormat("cannot delete the old database: {}", ec.message()), path);
  return OkStatus();
}

// For --fresh: OK when the existing file at `path` may be deleted (empty,
// or a SQLite database that is ours or holds no tables).
Status CheckDeletable(const std::string& path, StoreFileKind kind) {
  if (kind == StoreFileKind::kEmpty) return OkStatus();
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  Status status = OkStatus();
  if (rc != SQLITE_OK) {
    status = SqlError(db, rc, path, Tr("opening"));
  } else {
    sqlite3_busy_timeout(db, 2000);
    auto app_id = PragmaInt(db, "application_id", path);
    auto tables = CountTables(db, path);
    if (!app_id.ok()) status = app_id.error();
    else if (!tables.ok()) status = tables.error();
    else if (*app_id != kStoreApplicationId && *tables > 0)
      status = MakeError(Tr("not a suanli quote store (another application's SQLite database)"), path,
                         Tr("pass --db with a new path; the file was left untouched"));
  }
  sqlite3_close(db);
  return status;
}

}  // namespace

std::string DefaultStorePath() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg != '\0') return std::string(xdg) + "/suanli/quotes.db";
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.local/share/suanli/quotes.db";
}

Result<QuoteStore> QuoteStore::Open(const std::string& path, const StoreOptions& options) {
  const bool memory = path == ":memory:";
  int created_migrations = 0;  // applied while creating the file (CreateFile)
  if (!memory) {
    auto kind = ClassifyStoreFile(path);
    if (!kind.ok()) return kind.error();
    if (options.fresh && *kind != StoreFileKind::kMissing) {
      SUANLI_RETURN_IF_ERROR(CheckDeletable(path, *kind));
      SUANLI_RETURN_IF_ERROR(RemoveStoreFiles(path));
    } else if (*kind == StoreFileKind::kEmpty) {
      return EmptyStoreError(path);
    }
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (*kind == StoreFileKind::kMissing && !options.create_missing) return MissingStoreError(path);
    if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
      if (!options.create_directories)
        return MakeError(TrFormat("the folder {} does not exist (it is never created for --db)", parent.string()),
                         path, Tr("create the folder first, or give --db a path in an existing folder"));
      std::filesystem::create_directories(parent, ec);
      if (ec) return MakeError(TrFormat("cannot create the directory: {}", ec.message()), parent.string());
    }
    // A new store appears whole (seeded in a temporary file, then linked), so
    // a second process never finds it empty while the first seeds it.
    if (*kind == StoreFileKind::kMissing || options.fresh) {
      SUANLI_ASSIGN_OR_RETURN(created_migrations, CreateFile(path, options));
    }
  }
  // Read-write even for listing: the first reader after a killed writer must
  // be able to roll its journal back.
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqlError(db, rc, path, Tr("opening"));
    sqlite3_close(db);
    return error;
  }
  QuoteStore store(db, path);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  SUANLI_RETURN_IF_ERROR(store.Migrate(options));
  store.migrations_applied_ += std::max(0, created_migrations);
  // WAL: readers never wait for a writer, a killed writer's frames are
  // ignored. Persistent in the file; best effort (another connection in
  // rollback mode may hold it back until next time).
  if (!memory) sqlite3_exec(db, "PRAGMA journal_mode=WAL;", nullptr, nullptr, nullptr);
  return store;
}

QuoteStore::QuoteStore(QuoteStore&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)),
      migrations_applied_(other.migrations_applied_), new_quote_checks_(std::move(other.new_quote_checks_)),
      new_quote_fx_(std::move(other.new_quote_fx_)) {}

QuoteStore& QuoteStore::operator=(QuoteStore&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    migrations_applied_ = other.migrations_applied_;
    new_quote_checks_ = std::move(other.new_quote_checks_);
    new_quote_fx_ = std::move(other.new_quote_fx_);
  }
  return *this;
}

QuoteStore::~QuoteStore() { sqlite3_close(db_); }

int QuoteStore::SchemaVersion() const {
  auto version = PragmaInt(db_, "user_version", path_);
  return version.ok() ? *version : -1;
}

Status QuoteStore::Migrate(const StoreOptions& options) {
  // An up-to-date store is only read here, so that opening for a listing
  // does not wait for a running import.
  auto current = PragmaInt(db_, "user_version", path_);
  if (!current.ok()) return current.error();
  auto current_id = PragmaInt(db_, "application_id", path_);
  if (!current_id.ok()) return current_id.error();
  if (*current == static_cast<int>(Migrations().size()) && *current_id == kStoreApplicationId) return OkStatus();
  // BEGIN IMMEDIATE takes the write lock first, so two processes opening a
  // new file do not both migrate it.
  SUANLI_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE;", path_, "starting the schema check"));
  auto rollback = [&](Error error) -> Status {
    sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
    return error;
  };
  auto version = PragmaInt(db_, "user_version", path_);
  if (!version.ok()) return rollback(version.error());
  auto app_id = PragmaInt(db_, "application_id", path_);
  if (!app_id.ok()) return rollback(app_id.error());
  auto tables = CountTables(db_, path_);
  if (!tables.ok()) return rollback(tables.error());
  const bool is_new = *version == 0 && *tables == 0;
  if (!is_new && *app_id != kStoreApplicationId)
    return rollback(MakeError(Tr("not a suanli quote store (another application's SQLite database)"), path_,
                              Tr("pass --db with a new path; the file was left untouched")));
  const int target = static_cast<int>(Migrations().size());
  if (*version > target)
    return rollback(MakeError(TrFormat("database schema version {} is newer than this suanli ({})", *version,
                                          target),
                              path_, Tr("use a newer suanli")));
  for (int v = *version; v < target; ++v) {
    auto status = Exec(db_, Migrations()[static_cast<size_t>(v)], path_, fmt::format("migrating to v{}", v + 1));
    if (!status.ok()) return rollback(status.error());
    ++migrations_applied_;
  }
  if (migrations_applied_ > 0) {
    auto status = Exec(db_, fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {};", kStoreApplicationId, target),
                       path_, "recording the schema version");
    if (!status.ok()) return rollback(status.error());
  }
  if (is_new && options.seed != nullptr) {
    for (const auto& quote : options.seed_quotes ? options.seed->quotes : std::vector<Quote>{}) {
      auto status = InsertQuote(quote, "seed");
      if (!status.ok()) return rollback(status.error());
    }
    for (const auto& rate : options.seed->fx.rates()) {
      const int rc = InsertFxRow(rate);
      if (rc != SQLITE_DONE) return rollback(SqlError(db_, rc, path_, Tr("seeding FX rates")));
    }
  }
  return Exec(db_, "COMMIT;", path_, "committing the schema");
}

Status QuoteStore::InsertQuote(const Quote& q, const std::string& origin) {
  Statement stmt(db_, fmt::format("INSERT INTO quotes ({}, origin) VALUES "
                                  "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?);",
                                  kQuoteColumns));
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, Tr("preparing an insert"));
  BindQuote(stmt, q, origin);
  const int rc = stmt.Step();
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    return MakeError(TrFormat("quote id '{}' already exists in the store", q.id),
                     q.where.empty() ? path_ : q.where, Tr("give the quote a new id"));
  if (rc != SQLITE_DONE) return SqlError(db_, rc, path_, Tr("inserting a quote"));
  return OkStatus();
}

Status QuoteStore::CheckWritable() {
  Statement stmt(db_, "PRAGMA quick_check(5);");
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, Tr("checking the store"));
  std::vector<std::string> problems;
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    const std::string line = stmt.Text(0);
    if (line != "ok") problems.push_back(line);
  }
  if (rc != SQLITE_DONE) return SqlError(db_, rc, path_, Tr("checking the store"));
  if (problems.empty()) return OkStatus();
  return MakeError(TrFormat("the quote store is damaged, writes are refused ({})", Join(problems, "; ")), path_,
                   DamagedStoreHint(path_));
}

Status QuoteStore::CheckNewQuotes(NewQuoteContext context) {
  context.db_flag = DbFlag(path_);
  if (context.fx == nullptr) {
    SUANLI_ASSIGN_OR_RETURN(FxTable fx, Fx());
    new_quote_fx_ = std::make_shared<FxTable>(std::move(fx));
    context.fx = new_quote_fx_.get();
  }
  new_quote_checks_ = std::move(context);
  return OkStatus();
}

Status QuoteStore::CheckNew(const Quote& quote, const std::string& where) const {
  if (!new_quote_checks_) return OkStatus();
  return CheckNewQuote(quote, *new_quote_checks_, where);
}

Status QuoteStore::Add(const Quote& quote) {
  SUANLI_RETURN_IF_ERROR(ValidateQuote(quote, quote.where.empty() ? "quote " + quote.id : quote.where));
  SUANLI_RETURN_IF_ERROR(ValidateQuoteText(quote, quote.where.empty() ? "quote " + quote.id : quote.where));
  SUANLI_RETURN_IF_ERROR(CheckNew(quote, quote.where.empty() ? "quote " + quote.id : quote.where));
  SUANLI_RETURN_IF_ERROR(CheckWritable());
  return InsertQuote(quote, "add");
}

Result<std::vector<Quote>> QuoteStore::AllQuotes() const {
  Statement stmt(db_, fmt::format("SELECT {}, rowid, origin FROM quotes ORDER BY sku, observed, id;", kQuoteColumns));
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, Tr("reading quotes"));
  std::vector<Quote> out;
  int rc;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    SUANLI_ASSIGN_OR_RETURN(Quote quote, ReadQuoteRow(stmt, path_));
    quote.entry_seq = sqlite3_column_int64(stmt.get(), kQuoteColumnCount);
    quote.from_seed = stmt.Text(kQuoteColumnCount + 1) == "seed";
    // A gpu-hour price is per card (plan bills it so); a row stored before
    // that rule with cards_per_unit > 1 is read per card everywhere, and
    // `market check` lists it.
    if (quote.unit == QuoteUnit::kGpuHour) quote.cards_per_unit = 1;
    out.push_back(std::move(quote));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, rc, path_, Tr("reading quotes"));
  return out;
}

Result<int> QuoteStore::ImportLogCount() const {
  Statement stmt(db_, "SELECT count(*) FROM import_log;");
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, Tr("reading the import log"));
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return SqlError(db_, rc, path_, Tr("reading the import log"));
  return stmt.Int(0);
}

QuoteListing FilterQuotes(const std::vector<Quote>& quotes, const std::vector<ExportRule>& rules,
                          const QuoteFilter& filter) {
  QuoteListing out;
  BuyerPolicy buyer = filter.buyer;
  if (!filter.region.empty()) buyer.region = filter.region;
  std::vector<const Quote*> kept;
  for (const auto& quote : quotes) {
    if (!filter.sku.empty() && quote.sku != filter.sku) continue;
    if (filter.as_of && quote.observed > *filter.as_of) continue;  // not yet seen
    kept.push_back(&quote);
  }
  // Rules on the as-of date, or on the quote's own date when none is given;
  // without a region no buyer checks, only validity. Then the planner's
  // supersede rule, through the one classification (ClassifyQuotes).
  const auto use_of = [&](const Quote& quote) {
    QuoteUse use;
    use.buyer = buyer;
    use.check_buyer = !filter.region.empty();
    use.date = filter.as_of.value_or(quote.observed);
    if (filter.as_of) use.max_quote_age_days = filter.max_quote_age_days;
    return use;
  };
  const std::vector<QuoteVerdict> verdicts = ClassifyQuotes(rules, kept, use_of, filter.keep_superseded);
  std::vector<ListedQuote> checked;
  for (size_t i = 0; i < kept.size(); ++i) {
    checked.push_back(ListedQuote{*kept[i], verdicts[i].availability, verdicts[i].category, verdicts[i].superseded_by});
  }
  for (ListedQuote& listed : checked) {
    (listed.availability.allowed ? out.quotes : out.excluded).push_back(std::move(listed));
  }
  auto order = [](const ListedQuote& a, const ListedQuote& b) {
    return std::tie(a.quote.sku, a.quote.observed, a.quote.id) < std::tie(b.quote.sku, b.quote.observed, b.quote.id);
  };
  std::stable_sort(out.quotes.begin(), out.quotes.end(), order);
  std::stable_sort(out.excluded.begin(), out.excluded.end(), order);
  return out;
}

Result<std::vector<HistoryPoint>> PriceHistory(const std::vector<Quote>& quotes, const FxTable& fx,
                                               const std::string& sku, const std::string& currency) {
  std::vector<HistoryPoint> out;
  for (const auto& quote : quotes) {
    if (quote.sku != sku) continue;
    SUANLI_ASSIGN_OR_RETURN(double price, QuotePriceIn(quote, fx, currency));
    HistoryPoint point;
    point.observed = quote.observed;
    point.quote_id = quote.id;
    point.supplier = quote.supplier;
    point.channel = quote.channel;
    point.condition = quote.condition;
    point.unit = quote.unit;
    point.price = price;
    point.cards_per_unit = CardsPerPrice(quote);
    point.price_per_card = price / point.cards_per_unit;
    point.currency = currency;
    point.lead_weeks_likely = quote.lead_weeks_likely;
    point.estimate = quote.estimate;
    out.push_back(std::move(point));
  }
  std::stable_sort(out.begin(), out.end(), [](const HistoryPoint& a, const HistoryPoint& b) {
    return std::tie(a.observed, a.quote_id) < std::tie(b.observed, b.quote_id);
  });
  return out;
}

}  // namespace suanli
