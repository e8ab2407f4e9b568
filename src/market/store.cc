// The SQLite quote store (C API): open with checks, migrations, seed,
// all-or-nothing import, listing and history.
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

namespace suanli {
namespace {

// PRAGMA application_id marking a suanli quote store ("SUAN").
constexpr int kApplicationId = 0x5355414E;

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
  };
  return migrations;
}

constexpr const char* kQuoteColumns =
    "id, supplier, channel, sku, system, unit, cards_per_unit, unit_price, currency, observed, valid_until, "
    "quantity_available, lead_weeks_min, lead_weeks_likely, lead_weeks_max, condition, warranty_months, "
    "cash_up_front, deposit_fraction, net_days, bundle_amount, bundle_fraction, min_order, buyers, regions, "
    "estimate, source, notes";

// RAII prepared statement.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  int prepare_rc() const { return rc_; }
  sqlite3_stmt* get() { return stmt_; }
  void Bind(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void Bind(int index, double value) { sqlite3_bind_double(stmt_, index, value); }
  void Bind(int index, int value) { sqlite3_bind_int(stmt_, index, value); }
  std::string Text(int column) {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
  }
  double Double(int column) { return sqlite3_column_double(stmt_, column); }
  int Int(int column) { return sqlite3_column_int(stmt_, column); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

Error SqlError(sqlite3* db, int rc, const std::string& path, std::string_view doing) {
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return MakeError(fmt::format("database is locked by another process while {}", doing), path,
                     "wait for the other suanli or sqlite3 process to finish and retry");
  if (primary == SQLITE_NOTADB)
    return MakeError("file is not a SQLite database", path,
                     "pass --db with a new path or a suanli quote store; the file was left untouched");
  if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM)
    return MakeError(fmt::format("cannot write the database ({})", sqlite3_errstr(rc)), path,
                     "check the path and its permissions");
  return MakeError(fmt::format("SQLite error while {}: {}", doing, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)),
                   path);
}

Status Exec(sqlite3* db, std::string_view sql, const std::string& path, std::string_view doing) {
  const int rc = sqlite3_exec(db, std::string(sql).c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqlError(db, rc, path, doing);
  return OkStatus();
}

Result<int> PragmaInt(sqlite3* db, const char* pragma, const std::string& path) {
  Statement stmt(db, fmt::format("PRAGMA {};", pragma));
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db, stmt.prepare_rc(), path, "reading the schema");
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return SqlError(db, rc, path, "reading the schema");
  return stmt.Int(0);
}

Result<int> CountTables(sqlite3* db, const std::string& path) {
  Statement stmt(db, "SELECT count(*) FROM sqlite_master;");
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db, stmt.prepare_rc(), path, "reading the schema");
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return SqlError(db, rc, path, "reading the schema");
  return stmt.Int(0);
}

// Returns OK when `path` is absent, empty, or a suanli store; the error otherwise.
Status CheckIsSuanliFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0) return OkStatus();
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  Status status = OkStatus();
  if (rc != SQLITE_OK) {
    status = SqlError(db, rc, path, "opening");
  } else {
    auto app_id = PragmaInt(db, "application_id", path);
    if (!app_id.ok()) {
      status = app_id.error();
    } else if (*app_id != kApplicationId) {
      status = MakeError("not a suanli quote store (another application's SQLite database)", path,
                         "pass --db with a new path; the file was left untouched");
    }
  }
  sqlite3_close(db);
  return status;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string NowIso() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
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
  if (!memory) {
    SUANLI_RETURN_IF_ERROR(CheckIsSuanliFile(path));
    std::error_code ec;
    if (options.fresh && std::filesystem::exists(path, ec)) {
      // CheckIsSuanliFile passed: the file is ours (or empty), safe to delete.
      if (!std::filesystem::remove(path, ec))
        return MakeError(fmt::format("cannot delete the old database: {}", ec.message()), path);
    }
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
      std::filesystem::create_directories(parent, ec);
      if (ec) return MakeError(fmt::format("cannot create the directory: {}", ec.message()), parent.string());
    }
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqlError(db, rc, path, "opening");
    sqlite3_close(db);
    return error;
  }
  QuoteStore store(db, path);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  SUANLI_RETURN_IF_ERROR(store.Migrate(options));
  return store;
}

QuoteStore::QuoteStore(QuoteStore&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)),
      migrations_applied_(other.migrations_applied_) {}

QuoteStore& QuoteStore::operator=(QuoteStore&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    migrations_applied_ = other.migrations_applied_;
  }
  return *this;
}

QuoteStore::~QuoteStore() { sqlite3_close(db_); }

int QuoteStore::SchemaVersion() const {
  auto version = PragmaInt(db_, "user_version", path_);
  return version.ok() ? *version : -1;
}

Status QuoteStore::Migrate(const StoreOptions& options) {
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
  if (!is_new && *app_id != kApplicationId)
    return rollback(MakeError("not a suanli quote store (another application's SQLite database)", path_,
                              "pass --db with a new path; the file was left untouched"));
  const int target = static_cast<int>(Migrations().size());
  if (*version > target)
    return rollback(MakeError(fmt::format("database schema version {} is newer than this suanli ({})", *version,
                                          target),
                              path_, "use a newer suanli"));
  for (int v = *version; v < target; ++v) {
    auto status = Exec(db_, Migrations()[static_cast<size_t>(v)], path_, fmt::format("migrating to v{}", v + 1));
    if (!status.ok()) return rollback(status.error());
    ++migrations_applied_;
  }
  if (migrations_applied_ > 0) {
    auto status = Exec(db_, fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {};", kApplicationId, target),
                       path_, "recording the schema version");
    if (!status.ok()) return rollback(status.error());
  }
  if (is_new && options.seed != nullptr) {
    for (const auto& quote : options.seed->quotes) {
      auto status = InsertQuote(quote, "seed");
      if (!status.ok()) return rollback(status.error());
    }
    for (const auto& rate : options.seed->fx.rates()) {
      const int rc = InsertFxRow(rate);
      if (rc != SQLITE_DONE) return rollback(SqlError(db_, rc, path_, "seeding FX rates"));
    }
  }
  return Exec(db_, "COMMIT;", path_, "committing the schema");
}

Status QuoteStore::InsertQuote(const Quote& q, const std::string& origin) {
  Statement stmt(db_, fmt::format("INSERT INTO quotes ({}, origin) VALUES "
                                  "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?);",
                                  kQuoteColumns));
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, "preparing an insert");
  int i = 1;
  stmt.Bind(i++, q.id);
  stmt.Bind(i++, q.supplier);
  stmt.Bind(i++, std::string(ChannelTierName(q.channel)));
  stmt.Bind(i++, q.sku);
  stmt.Bind(i++, q.system);
  stmt.Bind(i++, std::string(QuoteUnitName(q.unit)));
  stmt.Bind(i++, q.cards_per_unit);
  stmt.Bind(i++, q.unit_price);
  stmt.Bind(i++, q.currency);
  stmt.Bind(i++, FormatDate(q.observed));
  stmt.Bind(i++, q.valid_until ? FormatDate(*q.valid_until) : std::string());
  stmt.Bind(i++, q.quantity_available);
  stmt.Bind(i++, q.lead_weeks_min);
  stmt.Bind(i++, q.lead_weeks_likely);
  stmt.Bind(i++, q.lead_weeks_max);
  stmt.Bind(i++, std::string(ConditionName(q.condition)));
  stmt.Bind(i++, q.warranty_months);
  stmt.Bind(i++, q.payment.cash_up_front ? 1 : 0);
  stmt.Bind(i++, q.payment.deposit_fraction);
  stmt.Bind(i++, q.payment.net_days);
  stmt.Bind(i++, q.bundle_amount);
  stmt.Bind(i++, q.bundle_fraction);
  stmt.Bind(i++, q.min_order);
  stmt.Bind(i++, Join(q.buyers, ";"));
  stmt.Bind(i++, Join(q.regions, ";"));
  stmt.Bind(i++, q.estimate ? 1 : 0);
  stmt.Bind(i++, q.source);
  stmt.Bind(i++, q.notes);
  stmt.Bind(i++, origin);
  const int rc = sqlite3_step(stmt.get());
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    return MakeError(fmt::format("quote id '{}' already exists in the store", q.id),
                     q.where.empty() ? path_ : q.where, "give the quote a new id");
  if (rc != SQLITE_DONE) return SqlError(db_, rc, path_, "inserting a quote");
  return OkStatus();
}

Result<ImportReport> QuoteStore::Import(const QuoteParseReport& parsed, const std::string& file_name) {
  ImportReport report;
  report.rows = parsed.rows;
  report.rejected = parsed.rejected;
  if (!report.rejected.empty()) return report;
  SUANLI_RETURN_IF_ERROR(Exec(db_, "BEGIN IMMEDIATE;", path_, "starting the import"));
  for (const auto& quote : parsed.quotes) {
    auto status = InsertQuote(quote, "import:" + file_name);
    if (!status.ok()) report.rejected.push_back(status.error());
  }
  if (!report.rejected.empty()) {
    sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
    return report;
  }
  Statement log(db_, "INSERT INTO import_log (imported_at, file, rows, imported) VALUES (?,?,?,?);");
  log.Bind(1, NowIso());
  log.Bind(2, file_name);
  log.Bind(3, report.rows);
  log.Bind(4, static_cast<int>(parsed.quotes.size()));
  const int rc = sqlite3_step(log.get());
  if (rc != SQLITE_DONE) {
    Error error = SqlError(db_, rc, path_, "logging the import");
    sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
    return error;
  }
  SUANLI_RETURN_IF_ERROR(Exec(db_, "COMMIT;", path_, "committing the import"));
  report.imported = static_cast<int>(parsed.quotes.size());
  return report;
}

Status QuoteStore::Add(const Quote& quote) {
  SUANLI_RETURN_IF_ERROR(ValidateQuote(quote, quote.where.empty() ? "quote " + quote.id : quote.where));
  return InsertQuote(quote, "add");
}

Result<std::vector<Quote>> QuoteStore::AllQuotes() const {
  Statement stmt(db_, fmt::format("SELECT {} FROM quotes ORDER BY sku, observed, id;", kQuoteColumns));
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, "reading quotes");
  std::vector<Quote> out;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    Quote q;
    int i = 0;
    q.id = stmt.Text(i++);
    q.supplier = stmt.Text(i++);
    auto channel = ParseChannelTier(stmt.Text(i++));
    q.sku = stmt.Text(i++);
    q.system = stmt.Text(i++);
    auto unit = ParseQuoteUnit(stmt.Text(i++));
    q.cards_per_unit = stmt.Int(i++);
    q.unit_price = stmt.Double(i++);
    q.currency = stmt.Text(i++);
    auto observed = ParseMarketDate(stmt.Text(i++));
    const std::string valid_until = stmt.Text(i++);
    auto until = valid_until.empty() ? Result<Date>(Date{}) : ParseMarketDate(valid_until);
    q.quantity_available = stmt.Int(i++);
    q.lead_weeks_min = stmt.Double(i++);
    q.lead_weeks_likely = stmt.Double(i++);
    q.lead_weeks_max = stmt.Double(i++);
    auto condition = ParseCondition(stmt.Text(i++));
    q.warranty_months = stmt.Int(i++);
    q.payment.cash_up_front = stmt.Int(i++) != 0;
    q.payment.deposit_fraction = stmt.Double(i++);
    q.payment.net_days = stmt.Int(i++);
    q.bundle_amount = stmt.Double(i++);
    q.bundle_fraction = stmt.Double(i++);
    q.min_order = stmt.Int(i++);
    q.buyers = SplitList(stmt.Text(i++));
    q.regions = SplitList(stmt.Text(i++));
    q.estimate = stmt.Int(i++) != 0;
    q.source = stmt.Text(i++);
    q.notes = stmt.Text(i++);
    if (!channel.ok() || !unit.ok() || !condition.ok() || !observed.ok() || !until.ok())
      return MakeError(fmt::format("quote '{}' has an invalid channel, unit, condition or date", q.id), path_,
                       "the database was edited by hand; fix or delete that row");
    q.observed = *observed;
    if (!valid_until.empty()) q.valid_until = *until;
    q.channel = *channel;
    q.unit = *unit;
    q.condition = *condition;
    q.where = fmt::format("{} quote {}", path_, q.id);
    // Rows written by suanli were validated on the way in; a row edited by
    // hand since is checked again rather than trusted.
    if (Status valid = ValidateQuote(q, q.where); !valid.ok()) {
      return MakeError(valid.error().message, q.where,
                       "the database was edited by hand; fix or delete that row");
    }
    out.push_back(std::move(q));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, rc, path_, "reading quotes");
  return out;
}

Result<FxRate> QuoteStore::AddFx(const FxRate& given) {
  // Errors name the `market fx add` flags.
  FxRate rate = given;
  SUANLI_RETURN_IF_ERROR(
      ValidateFxRate(rate, [](std::string_view field) { return "--" + std::string(field); }));
  const int rc = InsertFxRow(rate);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return MakeError(fmt::format("a {} -> {} rate for {} is already stored", rate.from, rate.to,
                                 FormatDate(rate.date)),
                     path_, "rates are kept per pair and date; use another date");
  }
  if (rc != SQLITE_DONE) return SqlError(db_, rc, path_, "inserting an FX rate");
  return rate;
}

int QuoteStore::InsertFxRow(const FxRate& rate) {
  Statement stmt(db_, "INSERT INTO fx_rates (date, from_currency, to_currency, rate, source) VALUES (?,?,?,?,?);");
  if (stmt.prepare_rc() != SQLITE_OK) return stmt.prepare_rc();
  stmt.Bind(1, FormatDate(rate.date));
  stmt.Bind(2, rate.from);
  stmt.Bind(3, rate.to);
  stmt.Bind(4, rate.rate);
  stmt.Bind(5, rate.source);
  return sqlite3_step(stmt.get());
}

Result<FxTable> QuoteStore::Fx() const {
  Statement stmt(db_, "SELECT date, from_currency, to_currency, rate, source FROM fx_rates;");
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, "reading FX rates");
  std::vector<FxRate> rates;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    const std::string date_text = stmt.Text(0);
    auto date = ParseMarketDate(date_text);
    FxRate rate{date.ok() ? *date : Date{}, stmt.Text(1), stmt.Text(2), stmt.Double(3), stmt.Text(4)};
    // As for quotes: a row edited by hand is checked again rather than trusted.
    const std::string row = fmt::format("{} FX rate {}->{} {}", path_, rate.from, rate.to, date_text);
    if (!date.ok())
      return MakeError(date.error().message, row + " (date)", "the database was edited by hand; fix or delete that row");
    if (Status valid = ValidateFxRate(rate, [&](std::string_view field) { return fmt::format("{} ({})", row, field); });
        !valid.ok()) {
      return MakeError(valid.error().message, valid.error().where,
                       "the database was edited by hand; fix or delete that row");
    }
    rates.push_back(std::move(rate));
  }
  if (rc != SQLITE_DONE) return SqlError(db_, rc, path_, "reading FX rates");
  return FxTable(std::move(rates));
}

Result<int> QuoteStore::ImportLogCount() const {
  Statement stmt(db_, "SELECT count(*) FROM import_log;");
  if (stmt.prepare_rc() != SQLITE_OK) return SqlError(db_, stmt.prepare_rc(), path_, "reading the import log");
  const int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return SqlError(db_, rc, path_, "reading the import log");
  return stmt.Int(0);
}

QuoteListing FilterQuotes(const std::vector<Quote>& quotes, const std::vector<ExportRule>& rules,
                          const QuoteFilter& filter) {
  QuoteListing out;
  BuyerPolicy buyer = filter.buyer;
  if (!filter.region.empty()) buyer.region = filter.region;
  for (const auto& quote : quotes) {
    if (!filter.sku.empty() && quote.sku != filter.sku) continue;
    ListedQuote listed{quote, {}};
    if (filter.as_of && quote.observed > *filter.as_of) continue;  // not yet seen
    // Rules on the as-of date, or on the quote's own date when none is given;
    // without a region no buyer checks, only validity.
    QuoteUse use;
    use.buyer = buyer;
    use.check_buyer = !filter.region.empty();
    use.date = filter.as_of.value_or(quote.observed);
    listed.availability = CheckQuoteUse(rules, quote, use).availability;
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
    point.price_per_card = price / std::max(1, quote.cards_per_unit);
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
