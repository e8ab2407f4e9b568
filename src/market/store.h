// The quote store: a SQLite database (C API) holding quotes, FX rates and an
// import log. Versioned schema (PRAGMA user_version) with migrations applied
// in order inside one transaction; a new database is seeded. A file that is
// not a suanli database (empty, foreign) is never modified; WAL journal and a
// busy timeout on every connection; writes refused on a damaged store.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "market/market.h"
#include "market/quote_checks.h"
#include "market/quote_filter.h"

struct sqlite3;

namespace suanli {

class Statement;

// Returns $XDG_DATA_HOME/suanli/quotes.db, or ~/.local/share/suanli/quotes.db.
std::string DefaultStorePath();
// Returns " --db PATH" (put after the verb) for a command printed in a hint
// about the store at `path`, or "" for the default store, so the command the
// user copies acts on the store they named.
std::string DbFlag(const std::string& path);

// How to open a store.
struct StoreOptions {
  bool fresh = false;                // delete PATH first (only if it is a suanli database or empty)
  const Market* seed = nullptr;      // quotes and FX rates written into a new database; may be null
  bool seed_quotes = true;           // false: a new database gets the seed's FX rates but none of its quotes
  int busy_timeout_ms = 2000;        // wait this long for a lock before failing
  bool create_missing = true;        // false: a missing file is an error (MissingStoreError), not a new store
  bool create_directories = true;    // false: a missing parent folder is an error, never created
};

// The outcome of an import: all rows or none.
struct ImportReport {
  int rows = 0;                  // rows in the file
  int imported = 0;              // rows written (0 when any row was bad)
  std::vector<std::string> imported_ids;  // ids of the rows written, in file order
  int skipped = 0;               // rows identical to a stored seed quote (not written again)
  std::vector<Error> rejected;   // every problem of every bad row, each with file:line and the field
  int bad_rows = 0;              // rows with at least one problem
};

// Which quotes to list.
struct QuoteFilter {
  std::string sku;       // accelerator id; empty = all
  std::optional<Date> as_of;  // observed on or before, still valid; nullopt = all
  std::string region;    // buyer region: export rules applied; empty = no rules
  BuyerPolicy buyer;     // tier, grey-market and licence flags (region above wins)
  // With as_of: a quote without valid_until observed more than this many
  // days before it is stale (CheckQuoteUse), as for the planner; nullopt = never.
  std::optional<int> max_quote_age_days = kDefaultMaxQuoteAgeDays;
  // false: a quote superseded by a newer one of the same supplier, SKU, unit
  // and condition (SupersededBy, as the planner drops them) is excluded;
  // true: it stays listed, with ListedQuote::superseded_by set.
  bool keep_superseded = false;
};

// One listed quote with its availability for the filter's buyer and date.
struct ListedQuote {
  Quote quote;
  Availability availability;
  QuoteCategory category = QuoteCategory::kOk;  // the check that decided (CheckQuoteUse), or kSuperseded
  std::string superseded_by;  // id of the newer quote that supersedes it; empty when none does
};

// The answer of a list: usable quotes and those filtered out with the reason.
struct QuoteListing {
  std::vector<ListedQuote> quotes;    // sorted by sku, observed, id
  std::vector<ListedQuote> excluded;  // blocked by rules, buyer tier, or validity (expired, stale)
};

// Filters `quotes` (sku, as_of validity, buyer/export rules, superseded
// observations); pure, no database.
QuoteListing FilterQuotes(const std::vector<Quote>& quotes, const std::vector<ExportRule>& rules,
                          const QuoteFilter& filter);

// How `AddFx` checks a rate beyond its values.
struct FxAddOptions {
  bool replace = false;        // replace the stored rate of the pair and date (an error when there is none)
  bool force = false;          // accept a rate far from the stored ones (kFxSanityFactor)
  std::optional<Date> today;   // refuse a later date; nullopt = no date check (repair's salvage)
  bool sanity_check = false;   // compare with the nearest stored rate of the pair (off for salvage)
};

// How far (×, or 1/×) a new rate may be from the nearest stored rate of its
// pair before `market fx add` refuses it without --force: USD->CNY 9 typed
// for 7.1 is 1.3× off and passes, 71 (a decimal slip) is 10× and is refused.
constexpr double kFxSanityFactor = 3.0;

// One point of a price history.
struct HistoryPoint {
  Date observed;                 // day the price was seen
  std::string quote_id;
  std::string supplier;
  ChannelTier channel = ChannelTier::kReseller;
  Condition condition = Condition::kNew;
  QuoteUnit unit = QuoteUnit::kCard;
  double price = 0;              // unit_price in the requested currency
  double price_per_card = 0;     // price / cards_per_unit, requested currency
  int cards_per_unit = 1;        // cards one price buys (a server's cards; 1 for cards and gpu-hours)
  std::string currency;          // the requested currency
  double lead_weeks_likely = 0;  // weeks
  bool estimate = false;
};

// Returns the price and lead-time history of `sku` (sorted by observed, id),
// prices converted at each quote's observed date.
Result<std::vector<HistoryPoint>> PriceHistory(const std::vector<Quote>& quotes, const FxTable& fx,
                                               const std::string& sku, const std::string& currency);

class QuoteStore {
 public:
  // Opens (creating and seeding when missing) the database at `path`; a
  // killed writer's journal is rolled back here. Errors: an empty (0-byte)
  // file, a file that is not a database or not a suanli database, a lock held
  // too long, a schema newer than this build.
  static Result<QuoteStore> Open(const std::string& path, const StoreOptions& options = {});
  QuoteStore(QuoteStore&&) noexcept;
  QuoteStore& operator=(QuoteStore&&) noexcept;
  ~QuoteStore();

  // Returns the schema version (PRAGMA user_version).
  int SchemaVersion() const;
  // Returns the number of migrations applied by this Open (0 when up to date).
  int MigrationsApplied() const { return migrations_applied_; }
  const std::string& path() const { return path_; }

  // Writes all of `report.quotes` in one transaction, or nothing when
  // `report.rejected` is not empty or any id already exists (each listed). A
  // row identical to a stored seed quote is skipped; a seed id with other
  // content is an error naming the id and the field.
  Result<ImportReport> Import(const QuoteParseReport& report, const std::string& file_name);
  // Reads and imports the quote file `file` (CSV by its .csv suffix, streamed
  // row by row: memory about the file's size; else YAML), as Import.
  Result<ImportReport> ImportFile(const std::string& file, const SkuResolver& resolver);
  // Returns OK when `PRAGMA quick_check` passes; else the damage with the
  // `market check` / `market repair` hint. Every write calls it first.
  Status CheckWritable();
  // Makes Add, Import and ImportFile also apply CheckNewQuote to every new
  // row (market/quote_checks.h), with the store's own FX table when
  // `context.fx` is null; `market add` and `market import` turn it on, a
  // repair (which restores rows already accepted) does not.
  Status CheckNewQuotes(NewQuoteContext context);
  // Adds one quote (validated; the id must be new).
  Status Add(const Quote& quote);
  // Deletes the quote `id`; an unknown id is an error suggesting the nearest
  // stored ids. Returns the deleted quote as it was stored.
  Result<Quote> Remove(const std::string& id);
  // Returns every quote, sorted by sku, observed, id.
  Result<std::vector<Quote>> AllQuotes() const;
  // Returns the FX table stored in the database.
  Result<FxTable> Fx() const;
  // Adds one exchange rate (ValidateFxRate; "YYYY-MM" means the 1st); errors
  // name the `market fx add` flag of the bad field. A rate for the same pair
  // and date already stored is an error unless `options.replace`; with
  // `options.today` a later date is refused, with `options.sanity_check` a
  // rate more than kFxSanityFactor from the nearest stored rate of the pair
  // (either direction) unless `options.force`.
  Result<FxRate> AddFx(const FxRate& rate, const FxAddOptions& options = {});
  // Returns the number of import_log rows.
  Result<int> ImportLogCount() const;

 private:
  explicit QuoteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // Creates and seeds a new store at the missing `path` in a temporary file
  // beside it, published with link(2) (store_create.cc). Returns the
  // migrations this call applied to the published store (0 when a concurrent
  // creator published first), or -1 when the file system has no hard links
  // (the caller creates in place).
  static Result<int> CreateFile(const std::string& path, const StoreOptions& options);
  Status Migrate(const StoreOptions& options);
  Status InsertQuote(const Quote& quote, const std::string& origin);
  // Inserts one imported quote with the prepared `insert`; counts it, or a
  // skipped seed duplicate, in `report`.
  Status InsertImported(Statement& insert, const Quote& quote, const std::string& origin, ImportReport& report);
  // Returns true when the stored quote with `quote.id` is an identical seed
  // quote, false when it is not a seed quote; an error for a changed seed quote.
  Result<bool> MatchesSeed(const Quote& quote);
  // Starts an import transaction after the damage check.
  Status BeginImport();
  // Logs the import and commits, or rolls back when anything was rejected.
  Result<ImportReport> FinishImport(ImportReport report, const std::string& file_name);
  // Inserts one fx_rates row; returns the SQLite result code (SQLITE_DONE on success).
  int InsertFxRow(const FxRate& rate);

  // Returns CheckNewQuote's answer when CheckNewQuotes is on, else OK.
  Status CheckNew(const Quote& quote, const std::string& where) const;

  sqlite3* db_ = nullptr;
  std::string path_;
  int migrations_applied_ = 0;
  std::optional<NewQuoteContext> new_quote_checks_;  // set by CheckNewQuotes
  std::shared_ptr<FxTable> new_quote_fx_;             // the store's FX table for those checks
};

}  // namespace suanli
