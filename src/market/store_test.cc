#include "market/store.h"
#include "market/store_test_fixture.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include "market/date_test_support.h"

namespace suanli {
namespace {


namespace fs = std::filesystem;

class StoreTest : public StoreFixture {};

constexpr const char* kTwoQuotes = R"(quotes:
  - {id: new-1, supplier: s, channel: reseller, sku: a800-sxm-80gb, unit_price: 90000, currency: CNY,
     observed: 2023-07-01, lead_weeks_likely: 3, source: test}
  - {id: new-2, supplier: s, channel: reseller, sku: a800-sxm-80gb, unit_price: 12000, currency: USD,
     observed: 2023-08-01, lead_weeks_likely: 5, source: test}
)";

TEST_F(StoreTest, NewDatabaseIsMigratedOnceAndSeeded) {
  const std::string path = Path("sub/dir/quotes.db");  // directories are created
  {
    auto store = QuoteStore::Open(path, Options());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    EXPECT_EQ(store->MigrationsApplied(), 3);
    EXPECT_EQ(store->SchemaVersion(), 3);
    auto quotes = store->AllQuotes();
    ASSERT_TRUE(quotes.ok());
    EXPECT_EQ(quotes->size(), seed_.quotes.size());
    auto fx = store->Fx();
    ASSERT_TRUE(fx.ok());
    EXPECT_EQ(fx->rates().size(), seed_.fx.rates().size());
  }
  auto again = QuoteStore::Open(path, Options());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->MigrationsApplied(), 0);
  EXPECT_EQ(again->AllQuotes()->size(), seed_.quotes.size());  // not seeded twice
}

TEST_F(StoreTest, ReopenKeepsImportedAndAddedData) {
  const std::string path = Path("q.db");
  {
    auto store = QuoteStore::Open(path, Options());
    ASSERT_TRUE(store.ok());
    auto report = store->Import(ParseQuotesReport(kTwoQuotes, "in.yaml", nullptr), "in.yaml");
    ASSERT_TRUE(report.ok()) << report.error().ToString();
    EXPECT_EQ(report->imported, 2);
    Quote q = seed_.quotes.front();
    q.id = "added-1";
    q.where.clear();
    ASSERT_TRUE(store->Add(q).ok());
    EXPECT_FALSE(store->Add(q).ok());  // duplicate id
  }
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok());
  auto quotes = store->AllQuotes();
  ASSERT_TRUE(quotes.ok());
  EXPECT_EQ(quotes->size(), seed_.quotes.size() + 3);
  EXPECT_EQ(*store->ImportLogCount(), 1);
  auto it = std::find_if(quotes->begin(), quotes->end(), [](const Quote& q) { return q.id == "new-2"; });
  ASSERT_NE(it, quotes->end());
  EXPECT_EQ(it->currency, "USD");
  EXPECT_DOUBLE_EQ(it->lead_weeks_likely, 5);
}

TEST_F(StoreTest, AStatedNoWarrantyIsKeptApartFromNoneStated) {
  const std::string path = Path("w.db");
  {
    auto store = QuoteStore::Open(path, Options());
    ASSERT_TRUE(store.ok());
    Quote none = seed_.quotes.front();
    none.id = "stated-none";
    none.where.clear();
    none.warranty_months = 0;
    none.warranty_stated = true;
    Quote unstated = none;
    unstated.id = "not-stated";
    unstated.warranty_stated = false;
    Quote two_years = none;
    two_years.id = "two-years";
    two_years.warranty_months = 24;
    ASSERT_TRUE(store->Add(none).ok());
    ASSERT_TRUE(store->Add(unstated).ok());
    ASSERT_TRUE(store->Add(two_years).ok());
  }
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok());
  auto quotes = store->AllQuotes();
  ASSERT_TRUE(quotes.ok());
  const auto find = [&](const std::string& id) {
    return *std::find_if(quotes->begin(), quotes->end(), [&](const Quote& q) { return q.id == id; });
  };
  EXPECT_TRUE(find("stated-none").warranty_stated);
  EXPECT_EQ(find("stated-none").warranty_months, 0);
  EXPECT_FALSE(find("not-stated").warranty_stated);
  EXPECT_EQ(find("not-stated").warranty_months, 0);
  EXPECT_TRUE(find("two-years").warranty_stated);
  EXPECT_EQ(find("two-years").warranty_months, 24);
}

TEST_F(StoreTest, ImportIsAllOrNothing) {
  const std::string path = Path("q.db");
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok());
  const size_t before = store->AllQuotes()->size();
  const std::string bad = std::string(kTwoQuotes) +
                          "  - {id: bad, supplier: s, channel: reseller, sku: a800-sxm-80gb, unit_price: -1,\n"
                          "     currency: CNY, observed: 2023-08-01, source: test}\n";
  auto report = store->Import(ParseQuotesReport(bad, "bad.yaml", nullptr), "bad.yaml");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->imported, 0);
  ASSERT_EQ(report->rejected.size(), 1u);
  EXPECT_NE(report->rejected[0].where.find("bad.yaml:6"), std::string::npos) << report->rejected[0].ToString();
  EXPECT_EQ(store->AllQuotes()->size(), before);
  // A clash with an existing id also rolls back the rows written before it.
  const std::string clash = std::string(kTwoQuotes) +
                            "  - {id: a800-bj-2023-06, supplier: s, channel: reseller, sku: a800-sxm-80gb,\n"
                            "     unit_price: 1, currency: CNY, observed: 2023-08-01, source: test}\n";
  auto clash_report = store->Import(ParseQuotesReport(clash, "clash.yaml", nullptr), "clash.yaml");
  ASSERT_TRUE(clash_report.ok());
  EXPECT_EQ(clash_report->imported, 0);
  ASSERT_EQ(clash_report->rejected.size(), 1u);
  // The clashing id is a seed quote with other content: named, with the field.
  EXPECT_NE(clash_report->rejected[0].message.find("'a800-bj-2023-06' is a shipped seed quote stored with a different"),
            std::string::npos)
      << clash_report->rejected[0].ToString();
  EXPECT_EQ(store->AllQuotes()->size(), before);
  EXPECT_EQ(*store->ImportLogCount(), 0);
}

TEST_F(StoreTest, CorruptFileRejectedAndLeftIntact) {
  const std::string path = Path("notes.db");
  {
    std::ofstream out(path, std::ios::binary);
    out << "this is not a database, just my notes\n" << std::string(4096, 'x');
  }
  const std::string before = ReadBytes(path);
  auto store = QuoteStore::Open(path, Options());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("not a SQLite database"), std::string::npos) << store.error().ToString();
  StoreOptions fresh = Options();
  fresh.fresh = true;  // --fresh must not delete a foreign file either
  EXPECT_FALSE(QuoteStore::Open(path, fresh).ok());
  EXPECT_EQ(ReadBytes(path), before);
}

TEST_F(StoreTest, ForeignSqliteDatabaseRejectedAndLeftIntact) {
  const std::string path = Path("other.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  const std::string before = ReadBytes(path);
  auto store = QuoteStore::Open(path, Options());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("not a suanli quote store"), std::string::npos);
  EXPECT_EQ(ReadBytes(path), before);
}

TEST_F(StoreTest, LockedDatabaseIsAClearError) {
  const std::string path = Path("q.db");
  ASSERT_TRUE(QuoteStore::Open(path, Options()).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE;", nullptr, nullptr, nullptr), SQLITE_OK);
  StoreOptions options = Options();
  options.busy_timeout_ms = 50;
  // WAL: opening and reading do not wait for the writer; a write does.
  auto store = QuoteStore::Open(path, options);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_TRUE(store->AllQuotes().ok());
  auto fx = store->AddFx(FxRate{D("2031-01-01"), "USD", "CNY", 7.0, "test"});
  ASSERT_FALSE(fx.ok());
  EXPECT_NE(fx.error().message.find("locked"), std::string::npos) << fx.error().ToString();
  sqlite3_exec(db, "ROLLBACK;", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_TRUE(QuoteStore::Open(path, Options()).ok());
}

TEST_F(StoreTest, RowsEditedByHandAreCheckedOnRead) {
  const std::string path = Path("q.db");
  { ASSERT_TRUE(QuoteStore::Open(path, Options()).ok()); }
  const std::string id = seed_.quotes.front().id;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  // Values the table's CHECK constraints let through but a quote may not have.
  const std::string absurd = "UPDATE quotes SET unit_price = 1e13 WHERE id = '" + id + "';";
  ASSERT_EQ(sqlite3_exec(db, absurd.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE fx_rates SET rate = 9e999;", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok());
  auto quotes = store->AllQuotes();
  ASSERT_FALSE(quotes.ok());
  EXPECT_NE(quotes.error().ToString().find(id), std::string::npos) << quotes.error().ToString();
  EXPECT_NE(quotes.error().ToString().find("edited by hand"), std::string::npos);
  auto fx = store->Fx();
  ASSERT_FALSE(fx.ok());
  EXPECT_NE(fx.error().ToString().find("not a positive number"), std::string::npos);
}

TEST_F(StoreTest, FxRatesAddedOnceAndValidated) {
  const std::string path = Path("q.db");
  {
    auto store = QuoteStore::Open(path, Options());
    ASSERT_TRUE(store.ok());
    auto added = store->AddFx({D("2023-07-01"), "USD", "CNY", 7.24, "test"});
    ASSERT_TRUE(added.ok());
    const auto again = store->AddFx({D("2023-07-01"), "USD", "CNY", 7.3, "test"});
    ASSERT_FALSE(again.ok());
    EXPECT_NE(again.error().message.find("already stored"), std::string::npos);
    EXPECT_EQ(store->AddFx({D("2023-07-02"), "usd", "CNY", 7.2, "t"}).error().where, "--from");
    EXPECT_EQ(store->AddFx({D("2023-07-02"), "USD", "USD", 1.0, "t"}).error().where, "--to");
    EXPECT_EQ(store->AddFx({D("2023-07-02"), "USD", "CNY", 0.0, "t"}).error().where, "--rate");
    EXPECT_EQ(store->AddFx({D("2023-07-02"), "USD", "CNY", 7.0, ""}).error().where, "--source");
  }
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok());
  auto fx = store->Fx();
  ASSERT_TRUE(fx.ok());
  EXPECT_EQ(fx->rates().size(), seed_.fx.rates().size() + 1);
  auto converted = fx->Convert(100.0, "USD", "CNY", D("2023-07-01"));
  ASSERT_TRUE(converted.ok());
  EXPECT_DOUBLE_EQ(*converted, 724.0);
}

TEST_F(StoreTest, FreshStartsOverOnlyForOwnDatabase) {
  const std::string path = Path("q.db");
  {
    auto store = QuoteStore::Open(path, Options());
    ASSERT_TRUE(store->Import(ParseQuotesReport(kTwoQuotes, "in.yaml", nullptr), "in.yaml").ok());
  }
  StoreOptions fresh = Options();
  fresh.fresh = true;
  auto store = QuoteStore::Open(path, fresh);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->AllQuotes()->size(), seed_.quotes.size());
}

TEST_F(StoreTest, FilterAndHistory) {
  QuoteFilter filter;
  filter.sku = "a800-sxm-80gb";
  filter.as_of = D("2023-07-01");
  filter.region = "CN";
  QuoteListing listing = FilterQuotes(seed_.quotes, seed_.rules, filter);
  ASSERT_EQ(listing.quotes.size(), 2u);  // the article's Beijing and Shenzhen quotes
  EXPECT_EQ(listing.quotes[0].quote.id, "a800-bj-2023-06");
  EXPECT_EQ(listing.quotes[1].quote.id, "a800-sz-2023-06");
  ASSERT_EQ(listing.excluded.size(), 1u);  // the Nov-2022 quote went stale
  EXPECT_EQ(listing.excluded[0].availability.reason, "expired on 2023-02-28");
  // After the 2023-10-17 rule every A800 quote is excluded with the rule as reason.
  filter.as_of = D("2023-11-15");
  QuoteListing banned = FilterQuotes(seed_.quotes, seed_.rules, filter);
  EXPECT_TRUE(banned.quotes.empty());
  ASSERT_FALSE(banned.excluded.empty());
  for (const auto& listed : banned.excluded)
    EXPECT_NE(listed.availability.reason.find("bis-2023-10-17"), std::string::npos) << listed.availability.reason;

  auto history = PriceHistory(seed_.quotes, seed_.fx, "a800-sxm-80gb", "USD");
  ASSERT_TRUE(history.ok());
  ASSERT_GE(history->size(), 3u);
  EXPECT_EQ(FormatDate(history->front().observed), "2022-11-01");
  // 82,500 CNY at the 2022-11-01 fixing 7.2081.
  EXPECT_NEAR(history->front().price, 82500 / 7.2081, 1e-6);
  for (size_t i = 1; i < history->size(); ++i) EXPECT_LE((*history)[i - 1].observed, (*history)[i].observed);
}

// `market list --as-of` applies the planner's staleness limit: the H20
// quotes of 2024-02-01 are 121 days old on 2024-06-01 (limit 92), so a CN
// buyer may not use them; they were listed as usable before.
TEST_F(StoreTest, ListingAsOfExcludesStaleQuotes) {
  QuoteFilter filter;
  filter.sku = "h20-96gb";
  filter.as_of = D("2024-06-01");
  filter.region = "CN";
  const QuoteListing listing = FilterQuotes(seed_.quotes, seed_.rules, filter);
  int stale = 0;
  for (const ListedQuote& listed : listing.excluded) {
    if (listed.category != QuoteCategory::kStale) continue;
    ++stale;
    EXPECT_NE(listed.availability.reason.find("days before 2024-06-01; limit 92 days"), std::string::npos)
        << listed.availability.reason;
  }
  EXPECT_GE(stale, 1);
  for (const ListedQuote& listed : listing.quotes)
    EXPECT_LE(DaysBetween(listed.quote.observed, D("2024-06-01")), 92) << listed.quote.id;
  // Without a limit (or without --as-of) nothing is stale.
  filter.max_quote_age_days = std::nullopt;
  for (const ListedQuote& listed : FilterQuotes(seed_.quotes, seed_.rules, filter).excluded)
    EXPECT_NE(listed.category, QuoteCategory::kStale) << listed.quote.id;
}

// `market list` showed both of a supplier's Ascend 910C quotes as on offer
// while `plan` used only the newer: the listing excludes the older now, and
// --show-superseded (keep_superseded) lists it with the newer one named.
TEST(FilterQuotes, SupersededObservationsAreExcludedAsThePlannerDoes) {
  Quote older;
  older.id = "910c-a-1120";
  older.supplier = "Huawei partner A";
  older.sku = "ascend-910c";
  older.channel = ChannelTier::kNationalDistributor;
  older.observed = D("2026-11-20");
  Quote newer = older;
  newer.id = "910c-a-1205";
  newer.observed = D("2026-12-05");
  Quote expired = older;  // an expired newer quote supersedes nothing
  expired.id = "910c-a-1201";
  expired.observed = D("2026-12-01");
  expired.valid_until = D("2026-12-02");
  QuoteFilter filter;
  filter.as_of = D("2026-12-06");
  const QuoteListing listing = FilterQuotes({older, expired, newer}, {}, filter);
  ASSERT_EQ(listing.quotes.size(), 1u);
  EXPECT_EQ(listing.quotes[0].quote.id, "910c-a-1205");
  ASSERT_EQ(listing.excluded.size(), 2u);
  EXPECT_EQ(listing.excluded[0].quote.id, "910c-a-1120");
  EXPECT_EQ(listing.excluded[0].category, QuoteCategory::kSuperseded);
  EXPECT_EQ(listing.excluded[0].availability.reason,
            "superseded by 910c-a-1205 (observed 2026-12-05), the same supplier's newer quote for this SKU, unit "
            "and condition");
  EXPECT_EQ(listing.excluded[1].category, QuoteCategory::kExpired);
  filter.keep_superseded = true;
  const QuoteListing all = FilterQuotes({older, expired, newer}, {}, filter);
  ASSERT_EQ(all.quotes.size(), 2u);
  EXPECT_EQ(all.quotes[0].superseded_by, "910c-a-1205");
  EXPECT_EQ(all.quotes[1].superseded_by, "");
}

}  // namespace
}  // namespace suanli
