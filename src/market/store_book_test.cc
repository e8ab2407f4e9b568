// A buyer's own quote book (session 21): one validation for `market add` and
// import, gpu-hour prices per card, buyer tiers, same-day corrections by entry
// order, removal, stores without the seed, FX corrections and sanity checks,
// --db in hints, every bad CSV header field, and the outlier check's cost.
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "market/date_test_support.h"
#include "market/quote_checks.h"
#include "market/store.h"
#include "market/store_check.h"
#include "market/store_test_fixture.h"

namespace suanli {
namespace {

class BookTest : public StoreFixture {
 protected:
  // Returns a valid card quote of `sku` observed on `date`.
  static Quote Card(const std::string& id, const std::string& date, double price) {
    Quote q;
    q.id = id;
    q.supplier = "Shenzhen reseller";
    q.sku = "a800-sxm-80gb";
    q.unit_price = price;
    q.currency = "CNY";
    q.observed = D(date);
    q.source = "test";
    return q;
  }
  static const Error* Find(const std::vector<Error>& errors, std::string_view field) {
    for (const Error& e : errors)
      if (e.where.size() >= field.size() && e.where.compare(e.where.size() - field.size(), field.size(), field) == 0)
        return &e;
    return nullptr;
  }
};

constexpr const char* kHeader = "id,supplier,channel,sku,unit,cards_per_unit,unit_price,currency,observed,source,"
                                "quantity_available,min_order,net_days,warranty_months,buyers\n";

TEST_F(BookTest, AddAndImportRefuseTheSameValuesWithTheSameMessages) {
  Quote q = Card("q1", "2024-03-01", 80000);
  q.quantity_available = -5;
  q.min_order = -3;
  q.payment.net_days = -30;
  q.warranty_months = -12;
  q.warranty_stated = true;
  q.cards_per_unit = -8;
  const std::vector<Error> add = QuoteValueProblems(q, "");
  const QuoteParseReport import = ParseQuotesCsvReport(
      std::string(kHeader) + "q1,s,reseller,a800-sxm-80gb,card,-8,80000,CNY,2024-03-01,t,-5,-3,-30,-12,\n", "q.csv",
      nullptr);
  ASSERT_EQ(import.bad_rows, 1);
  for (const char* field : {"quantity_available", "min_order", "net_days", "warranty_months", "cards_per_unit"}) {
    const Error* a = Find(add, field);
    const Error* b = Find(import.rejected, field);
    ASSERT_NE(a, nullptr) << field;
    ASSERT_NE(b, nullptr) << field;
    EXPECT_EQ(a->message, b->message) << field;
  }
  EXPECT_EQ(Find(add, "quantity_available")->message, "'-5' is not a whole number of units from 0 to 10000000");
}

TEST_F(BookTest, AddedQuoteExportsAndImportsBack) {
  const std::string path = Path("book.db");
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok());
  Quote q = Card("mine-1", "2024-03-01", 80000);
  q.quantity_available = 16;
  q.min_order = 8;
  q.payment.net_days = 30;
  q.warranty_months = 12;
  q.warranty_stated = true;
  q.buyers = {"startup", "enterprise"};
  ASSERT_TRUE(QuoteValueProblems(q, "").empty());
  ASSERT_TRUE(store->Add(q).ok());
  auto quotes = store->AllQuotes();
  ASSERT_TRUE(quotes.ok());
  const std::string exported = Write("export.csv", QuotesToCsv(*quotes));
  auto fresh = QuoteStore::Open(Path("fresh.db"), Options());
  ASSERT_TRUE(fresh.ok());
  auto imported = fresh->ImportFile(exported, nullptr);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  EXPECT_TRUE(imported->rejected.empty()) << imported->rejected.front().ToString();
  EXPECT_EQ(imported->imported, 1);
}

TEST_F(BookTest, GpuHourIsPerCard) {
  Quote q = Card("rent", "2026-11-01", 14.92);
  q.unit = QuoteUnit::kGpuHour;
  q.cards_per_unit = 8;
  const std::vector<Error> problems = QuoteValueProblems(q, "");
  ASSERT_NE(Find(problems, "cards_per_unit"), nullptr);
  EXPECT_NE(Find(problems, "cards_per_unit")->message.find("per card"), std::string::npos);
  // A row stored before the rule is read per card, as plan bills it.
  EXPECT_EQ(CardsPerPrice(q), 1);
  FxTable fx;
  auto per_card = QuotePricePerCardIn(q, fx, "CNY");
  ASSERT_TRUE(per_card.ok());
  EXPECT_DOUBLE_EQ(*per_card, 14.92);
  // An instance's hourly price typed per card is an outlier among rentals.
  std::vector<Quote> rentals;
  for (int i = 0; i < 4; ++i) {
    Quote r = Card("r" + std::to_string(i), "2026-11-01", 1.8 + 0.05 * i);
    r.unit = QuoteUnit::kGpuHour;
    rentals.push_back(r);
  }
  Quote typo = rentals.front();
  typo.id = "typo";
  typo.unit_price = 14.92;
  rentals.push_back(typo);
  const std::vector<std::string> warnings = PriceOutlierWarnings(rentals, {"typo", "r1"}, fx);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("per card-hour"), std::string::npos);
}

TEST_F(BookTest, BuyerTiersAreChecked) {
  auto tier = ParseBuyerTier("enterprize", "--buyers");
  ASSERT_FALSE(tier.ok());
  EXPECT_NE(tier.error().hint.find("enterprise"), std::string::npos);
  EXPECT_EQ(*ParseBuyerTier("企业", ""), "enterprise");
  EXPECT_EQ(*ParseBuyerTier("Startup", ""), "startup");
  const QuoteParseReport good = ParseQuotesCsvReport(
      std::string(kHeader) + "q1,s,reseller,a800-sxm-80gb,card,1,80000,CNY,2024-03-01,t,,,,,Startup;企业\n", "q.csv",
      nullptr);
  ASSERT_EQ(good.quotes.size(), 1u);
  EXPECT_EQ(good.quotes[0].buyers, (std::vector<std::string>{"startup", "enterprise"}));
  const QuoteParseReport bad = ParseQuotesCsvReport(
      std::string(kHeader) + "q1,s,reseller,a800-sxm-80gb,card,1,80000,CNY,2024-03-01,t,,,,,enterprize\n", "q.csv",
      nullptr);
  ASSERT_EQ(bad.bad_rows, 1);
  EXPECT_EQ(bad.rejected[0].where, "q.csv:2 buyers");
  Quote q = Card("q", "2024-03-01", 80000);
  q.buyers = {"enterprize"};
  EXPECT_NE(Find(QuoteValueProblems(q, ""), "buyers"), nullptr);
}

TEST_F(BookTest, SameDayQuotesAreTwoLotsAndQuotesCanBeRemoved) {
  auto store = QuoteStore::Open(Path("b.db"), Options());
  ASSERT_TRUE(store.ok());
  // Two ids of one supplier on one day are two lots: both stay on offer
  // (cfo report item 3; before session 22 the one entered later hid the other).
  ASSERT_TRUE(store->Add(Card("z-first", "2024-03-01", 80000)).ok());
  ASSERT_TRUE(store->Add(Card("a-correction", "2024-03-01", 78000)).ok());
  auto quotes = store->AllQuotes();
  ASSERT_TRUE(quotes.ok());
  QuoteFilter filter;
  filter.sku = "a800-sxm-80gb";
  const QuoteListing listing = FilterQuotes(*quotes, {}, filter);
  for (const char* id : {"z-first", "a-correction"}) {
    EXPECT_TRUE(std::any_of(listing.quotes.begin(), listing.quotes.end(),
                            [&](const ListedQuote& l) { return l.quote.id == id; }))
        << id;
  }
  EXPECT_TRUE(std::none_of(listing.excluded.begin(), listing.excluded.end(),
                           [](const ListedQuote& l) { return l.category == QuoteCategory::kSuperseded; }));

  auto removed = store->Remove("a-correction");
  ASSERT_TRUE(removed.ok()) << removed.error().ToString();
  EXPECT_EQ(removed->unit_price, 78000);
  auto after = store->AllQuotes();
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(std::none_of(after->begin(), after->end(), [](const Quote& q) { return q.id == "a-correction"; }));
  auto unknown = store->Remove("z-frist");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().hint.find("z-first"), std::string::npos);
}

TEST_F(BookTest, CheckListsRowsStoredBeforeTheChecksAndReadersStillUseThem) {
  const std::string path = Path("old.db");
  {
    auto store = QuoteStore::Open(path, Options());
    ASSERT_TRUE(store.ok());
    Quote rent = Card("rent-8", "2026-11-01", 14.92);
    rent.unit = QuoteUnit::kGpuHour;
    ASSERT_TRUE(store->Add(Card("neg", "2024-03-01", 80000)).ok());
    ASSERT_TRUE(store->Add(rent).ok());
  }
  // What an older `market add` wrote: a negative stock, a gpu-hour per 8 cards.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE quotes SET quantity_available = -5 WHERE id = 'neg';"
                             "UPDATE quotes SET cards_per_unit = 8 WHERE id = 'rent-8';",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto check = CheckStore(path);
  ASSERT_TRUE(check.ok());
  EXPECT_FALSE(check->ok);
  ASSERT_EQ(check->problems.size(), 2u);
  EXPECT_NE(check->problems[0].find("market remove --db " + path + " neg"), std::string::npos) << check->problems[0];
  EXPECT_NE(check->problems[1].find("per card"), std::string::npos) << check->problems[1];
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok());
  auto quotes = store->AllQuotes();
  ASSERT_TRUE(quotes.ok()) << quotes.error().ToString();
  const auto rent = std::find_if(quotes->begin(), quotes->end(), [](const Quote& q) { return q.id == "rent-8"; });
  ASSERT_NE(rent, quotes->end());
  EXPECT_EQ(rent->cards_per_unit, 1);  // read per card, as plan bills it
}

TEST_F(BookTest, StoreWithoutSeedQuotesKeepsTheSeedRates) {
  StoreOptions options = Options();
  options.seed_quotes = false;
  auto store = QuoteStore::Open(Path("own.db"), options);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(store->AllQuotes()->empty());
  EXPECT_EQ(store->Fx()->rates().size(), seed_.fx.rates().size());
}

TEST_F(BookTest, FxRatesCanBeReplacedAndAreSanityChecked) {
  const std::string path = Path("fx.db");
  auto store = QuoteStore::Open(path, Options());
  ASSERT_TRUE(store.ok());
  FxAddOptions checked;
  checked.today = D("2026-12-01");
  checked.sanity_check = true;
  FxRate future{D("2027-01-05"), "USD", "CNY", 7.1, "typo"};
  auto refused = store->AddFx(future, checked);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().where, "--date");
  FxRate slip{D("2026-11-20"), "USD", "CNY", 71, "typo"};
  refused = store->AddFx(slip, checked);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().where, "--rate");
  FxRate inverse{D("2026-11-20"), "CNY", "USD", 7.1, "direction typo"};
  EXPECT_FALSE(store->AddFx(inverse, checked).ok());
  FxRate bad{D("2026-11-20"), "USD", "CNY", 9, "typo, 1.3x: passes"};
  ASSERT_TRUE(store->AddFx(bad, checked).ok());
  auto again = store->AddFx(bad, checked);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().hint.find("--replace"), std::string::npos);
  EXPECT_NE(again.error().hint.find("--db " + path), std::string::npos);
  FxAddOptions replace = checked;
  replace.replace = true;
  FxRate fixed{D("2026-11-20"), "USD", "CNY", 7.12, "corrected"};
  ASSERT_TRUE(store->AddFx(fixed, replace).ok());
  auto rate = store->Fx()->RateOn("USD", "CNY", D("2026-11-21"));
  ASSERT_TRUE(rate.ok());
  EXPECT_DOUBLE_EQ(rate->rate, 7.12);
  FxRate none{D("2026-11-23"), "USD", "CNY", 7.12, "nothing to replace"};
  EXPECT_FALSE(store->AddFx(none, replace).ok());
  FxAddOptions forced = checked;
  forced.force = true;
  FxRate moved{D("2026-11-24"), "USD", "CNY", 30, "forced"};
  EXPECT_TRUE(store->AddFx(moved, forced).ok());
}

TEST_F(BookTest, HintsNameTheStoreGiven) {
  auto store = QuoteStore::Open(Path("h.db"), Options());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->CheckNewQuotes(NewQuoteContext{}).ok());
  Quote q = Card("eur", "2024-03-01", 80000);
  q.currency = "EUR";
  Status added = store->Add(q);
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.error().hint.find("suanli market fx add --db " + Path("h.db") + " --date"), std::string::npos)
      << added.error().hint;
  EXPECT_EQ(DbFlag(DefaultStorePath()), "");
}

TEST_F(BookTest, EveryUnknownHeaderFieldIsReported) {
  const QuoteParseReport report = ParseQuotesCsvReport(
      "id,suplier,channel,sku,prise,currency,observed,source,colour\n", "q.csv", nullptr);
  ASSERT_EQ(report.rejected.size(), 3u);
  EXPECT_EQ(report.rejected[0].where, "q.csv:1 header column 2");
  EXPECT_EQ(report.rejected[2].where, "q.csv:1 header column 9");
}

TEST_F(BookTest, OutlierCheckOfALargeImportIsNotQuadratic) {
  // 40,000 quotes checked all at once: a scan per quote (1.6e9 steps) took
  // minutes; grouped and sorted it takes well under a second.
  std::vector<Quote> quotes;
  std::vector<std::string> ids;
  for (int i = 0; i < 40000; ++i) {
    quotes.push_back(Card("q" + std::to_string(i), "2024-03-01", 80000 + (i % 1000)));
    ids.push_back(quotes.back().id);
  }
  FxTable fx;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(PriceOutlierWarnings(quotes, ids, fx).empty());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10.0);
}

}  // namespace
}  // namespace suanli
