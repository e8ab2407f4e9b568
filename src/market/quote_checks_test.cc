// The checks of a new store row (market/quote_checks.h) and the tolerant
// readers: `add`/`import` refuse what a scenario refuses, `check` reports a
// bad row already stored, and readers skip it with a note.
#include "market/quote_checks.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "market/date_test_support.h"
#include "market/store_check.h"
#include "market/store_test_fixture.h"

namespace suanli {
namespace {

Quote Good() {
  Quote q;
  q.id = "a800-x";
  q.supplier = "X";
  q.sku = "a800-sxm-80gb";
  q.unit_price = 88000;
  q.currency = "CNY";
  q.observed = D("2023-07-10");
  q.source = "s";
  return q;
}

FxTable SeedFx() {
  auto market = LoadSeedMarket();
  EXPECT_TRUE(market.ok());
  return market.ok() ? market->fx : FxTable();
}

NewQuoteContext Context(const FxTable& fx) {
  NewQuoteContext context;
  context.fx = &fx;
  context.today = D("2026-12-07");
  context.release_year = [](std::string_view sku) -> std::optional<int> {
    if (sku == "a800-sxm-80gb") return 2022;
    return std::nullopt;
  };
  return context;
}

TEST(QuoteChecksTest, RefusesWhatNoPlanCouldUse) {
  const FxTable fx = SeedFx();
  EXPECT_TRUE(CheckNewQuote(Good(), Context(fx), "").ok());
  struct Case {
    void (*change)(Quote&);
    std::string field, message;
  };
  const Case cases[] = {
      {[](Quote& q) { q.currency = "EUR"; }, " currency", "currency 'EUR' has no FX rate to CNY"},
      {[](Quote& q) { q.supplier = ""; }, " supplier", "empty supplier"},
      {[](Quote& q) { q.supplier = "  "; }, " supplier", "empty supplier"},
      {[](Quote& q) { q.supplier = std::string(6000, 'x'); }, " supplier", "6000 bytes long, more than 120"},
      {[](Quote& q) { q.id = std::string(200, 'x'); }, " id", "200 bytes long, more than 128"},
      {[](Quote& q) { q.observed = D("2099-07-10"); }, " observed", "after today (2026-12-07)"},
      {[](Quote& q) { q.observed = D("2009-07-10"); }, " observed", "before a800-sxm-80gb existed (released 2022"},
  };
  for (const Case& c : cases) {
    Quote q = Good();
    c.change(q);
    const Status status = CheckNewQuote(q, Context(fx), "");
    ASSERT_FALSE(status.ok()) << c.message;
    EXPECT_EQ(status.error().where, c.field);
    EXPECT_NE(status.error().message.find(c.message), std::string::npos) << status.error().message;
  }
  // The hint lists the known currencies and the command that adds a rate.
  Quote eur = Good();
  eur.currency = "EUR";
  const Status status = CheckNewQuote(eur, Context(fx), "");
  EXPECT_NE(status.error().hint.find("CNY, USD"), std::string::npos) << status.error().hint;
  EXPECT_NE(status.error().hint.find("suanli market fx add --date 2023-07-10 --from EUR --to CNY"), std::string::npos);
}

// A quote seen in the year before the release year (a pre-order, a sampling
// price: the WSJ's 910C deal of Aug 2024 for a 2025 part) is accepted; two
// years before is not.
// adversary report item 4: a first quote of a kind has no peers, so an
// absolute range per unit refuses an absurd price unless forced.
TEST(QuoteChecksTest, AbsurdPricesAreRefusedUnlessForced) {
  const FxTable fx = SeedFx();
  Quote cheap = Good();
  cheap.unit_price = 8.8;  // 8.8 CNY for an A800
  Status refused = CheckNewQuote(cheap, Context(fx), "");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().where.find("unit_price"), std::string::npos);
  EXPECT_NE(refused.error().hint.find("--force"), std::string::npos);
  NewQuoteContext forced = Context(fx);
  forced.check_plausibility = false;
  EXPECT_TRUE(CheckNewQuote(cheap, forced, "").ok());
  Quote rent = Good();
  rent.unit = QuoteUnit::kGpuHour;
  rent.unit_price = 88000;  // CNY per gpu-hour
  EXPECT_FALSE(CheckNewQuote(rent, Context(fx), "").ok());
  rent.unit_price = 88000;  // USD per 8-card server-month = 15 USD a card-hour: fine
  rent.unit = QuoteUnit::kServerMonth;
  rent.cards_per_unit = 8;
  rent.currency = "USD";
  EXPECT_TRUE(CheckNewQuote(rent, Context(fx), "").ok());
  Quote server = Good();
  server.unit = QuoteUnit::kServer;
  server.cards_per_unit = 8;
  server.unit_price = 700000;  // 87,500 a card
  EXPECT_TRUE(CheckNewQuote(server, Context(fx), "").ok());
  // plan and compare carry a note naming such a quote.
  const std::map<std::string, std::string> flags = QuotePriceFlags({cheap, Good()}, {cheap.id}, fx);
  ASSERT_EQ(flags.count(cheap.id), 1u);
  EXPECT_NE(flags.at(cheap.id).find("quote a800-x"), std::string::npos) << flags.at(cheap.id);
}

TEST(QuoteChecksTest, PreReleaseQuotesAcceptedUpToOneYearBefore) {
  const FxTable fx = SeedFx();
  Quote q = Good();
  q.observed = D("2021-01-01");  // a800: released 2022
  EXPECT_TRUE(CheckNewQuote(q, Context(fx), "").ok());
  q.observed = D("2020-12-31");
  const Status status = CheckNewQuote(q, Context(fx), "");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("quotes from 2021 on are accepted"), std::string::npos)
      << status.error().message;
}

// One EUR->CNY rate is enough: EUR->USD goes through CNY.
TEST(QuoteChecksTest, OneRateToCnyConvertsToEveryReportCurrency) {
  FxTable fx = SeedFx();
  fx.Add(FxRate{D("2023-07-01"), "EUR", "CNY", 7.9, "test"});
  Quote eur = Good();
  eur.currency = "EUR";
  EXPECT_TRUE(CheckQuoteCurrency(eur, fx, "").ok());
  auto usd = fx.Convert(1, "EUR", "USD", D("2023-07-10"));
  ASSERT_TRUE(usd.ok()) << usd.error().ToString();
  auto usd_cny = fx.RateOn("USD", "CNY", D("2023-07-10"));
  ASSERT_TRUE(usd_cny.ok());
  EXPECT_NEAR(*usd, 7.9 / usd_cny->rate, 1e-12);
}

TEST(QuoteChecksTest, DefaultIdKeepsAShortSupplier) {
  Quote q = Good();
  q.supplier = std::string(6000, 'y');
  EXPECT_EQ(DefaultQuoteId(q), "a800-sxm-80gb-2023-07-10-" + std::string(kIdSupplierChars, 'y'));
  q.supplier = "Shenzhen reseller";
  EXPECT_EQ(DefaultQuoteId(q), "a800-sxm-80gb-2023-07-10-shenzhenreseller");
}

using StoreChecksTest = StoreFixture;

// `add` and `import` with the checks on refuse the EUR row and store nothing.
TEST_F(StoreChecksTest, AddAndImportRefuseACurrencyWithoutRate) {
  auto store = QuoteStore::Open(Path("q.db"), Options());
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  ASSERT_TRUE(store->CheckNewQuotes(NewQuoteContext{}).ok());
  Quote eur = Good();
  eur.currency = "EUR";
  const Status added = store->Add(eur);
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.error().where.find("currency"), std::string::npos);
  const std::string csv = Write("eur.csv",
                                "id,supplier,channel,sku,unit_price,currency,observed,source\n"
                                "e1,X,reseller,a800-sxm-80gb,88000,EUR,2023-07-10,s\n");
  auto imported = store->ImportFile(csv, nullptr);
  ASSERT_TRUE(imported.ok()) << imported.error().ToString();
  ASSERT_EQ(imported->rejected.size(), 1u);
  EXPECT_NE(imported->rejected[0].message.find("no FX rate to CNY"), std::string::npos);
  EXPECT_EQ(imported->imported, 0);
  // Once the rate is stored (`market fx add`), the same quote goes in.
  ASSERT_TRUE(store->AddFx(FxRate{D("2023-07-01"), "EUR", "CNY", 7.9, "test"}).ok());
  ASSERT_TRUE(store->CheckNewQuotes(NewQuoteContext{}).ok());
  EXPECT_TRUE(store->Add(eur).ok());
}

// A row stored by an older build: `check` reports it, a reader skips it with
// a note that names it and the fix, and the other rows stay readable.
TEST_F(StoreChecksTest, CheckReportsAndReadersSkipAStoredBadRow) {
  {
    auto store = QuoteStore::Open(Path("q.db"), Options());
    ASSERT_TRUE(store.ok());
    Quote eur = Good();
    eur.currency = "EUR";
    ASSERT_TRUE(store->Add(eur).ok());  // no checks on: as `market add` did before
  }
  auto check = CheckStore(Path("q.db"));
  ASSERT_TRUE(check.ok()) << check.error().ToString();
  EXPECT_FALSE(check->ok);
  ASSERT_EQ(check->problems.size(), 1u);
  EXPECT_NE(check->problems[0].find("quote a800-x currency"), std::string::npos) << check->problems[0];

  auto store = QuoteStore::Open(Path("q.db"), Options());
  ASSERT_TRUE(store.ok());
  auto quotes = store->AllQuotes();
  ASSERT_TRUE(quotes.ok());
  const size_t all = quotes->size();
  auto fx = store->Fx();
  ASSERT_TRUE(fx.ok());
  const ConvertibleQuotes usable = DropUnconvertible(std::move(*quotes), *fx, "CNY", Path("q.db"));
  EXPECT_EQ(usable.quotes.size(), all - 1);
  ASSERT_EQ(usable.skipped.size(), 1u);
  EXPECT_NE(usable.skipped[0].find("quote a800-x in " + Path("q.db") + " skipped"), std::string::npos);
  EXPECT_NE(usable.skipped[0].find("suanli market fx add"), std::string::npos);
}

// A per-card price beyond 3× (or below 1/3) of the median of the other
// quotes of the card and condition is warned about, naming the quote, the
// median and the likely cause (was: a 910B server price typed as a card
// price, 1,200,000 CNY beside 206,250-237,500, imported silently).
TEST(PriceOutlierTest, FarFromTheMedianIsWarned) {
  std::vector<Quote> quotes;
  for (const auto& [id, price] : {std::pair{"a", 206250.0}, {"b", 220000.0}, {"c", 237500.0}}) {
    Quote q = Good();
    q.id = id;
    q.sku = "ascend-910b";
    q.unit_price = price;
    quotes.push_back(q);
  }
  Quote typo = quotes[0];
  typo.id = "server-as-card";
  typo.unit_price = 1200000;
  quotes.push_back(typo);
  Quote usd = quotes[0];  // 30,000 USD ~ 213,000 CNY: no warning across currencies
  usd.id = "usd";
  usd.unit_price = 30000;
  usd.currency = "USD";
  quotes.push_back(usd);
  const std::vector<std::string> warnings = PriceOutlierWarnings(quotes, {"server-as-card", "b", "usd"}, SeedFx());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("quote server-as-card: 1200000 CNY per card"), std::string::npos) << warnings[0];
  // The median of a, b, c and the USD quote (~213,000 CNY on its date).
  EXPECT_NE(warnings[0].find("median 218147 CNY of the 4 other ascend-910b new quotes"), std::string::npos)
      << warnings[0];
  EXPECT_NE(warnings[0].find("cards_per_unit"), std::string::npos) << warnings[0];
  // The same price as a server of 8 cards is 150,000 per card: in range.
  quotes[3].unit = QuoteUnit::kServer;
  quotes[3].cards_per_unit = 8;
  EXPECT_TRUE(PriceOutlierWarnings(quotes, {"server-as-card"}, SeedFx()).empty());
  // Far below: a 20,000 CNY card.
  quotes[3].unit = QuoteUnit::kCard;
  quotes[3].cards_per_unit = 1;
  quotes[3].unit_price = 20000;
  EXPECT_EQ(PriceOutlierWarnings(quotes, {"server-as-card"}, SeedFx()).size(), 1u);
  // Another condition is not compared; a lone quote has nothing to compare with.
  quotes[3].condition = Condition::kUsedPulled;
  EXPECT_TRUE(PriceOutlierWarnings(quotes, {"server-as-card"}, SeedFx()).empty());
}

}  // namespace
}  // namespace suanli
