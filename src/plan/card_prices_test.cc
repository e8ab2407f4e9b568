// The card prices of `suanli compare`: seed and store quotes, the planner's
// checks on the buyer's date, and the cards an export rule stops the buyer buying.
#include "plan/card_prices.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "market/store.h"

namespace suanli {
namespace {

// Returns the options of a buyer in `region` on `date`, priced in `currency`.
CardPriceOptions Options(const char* date, const char* region = "CN", const char* currency = "CNY") {
  CardPriceOptions options;
  options.date = *ParseDate(date);
  options.region = region;
  options.currency = currency;
  return options;
}

// compare's prices go through the planner's checks on a date: without one,
// the newest seed quote's date (not "any date", which priced a CN buyer's
// RTX 4090 from the US MSRP and an A800 from 2022).
TEST(CardPricesTest, DefaultDateRegionAndStaleness) {
  auto prices = MakeCardPrices({});
  ASSERT_TRUE(prices.ok()) << prices.error().ToString();
  EXPECT_TRUE(prices->date_defaulted);
  EXPECT_EQ(FormatDate(prices->date), "2026-11-09");  // the newest seed observation
  // In late 2026 a CN buyer has no current (un-stale, allowed) RTX 4090 or A800 quote.
  EXPECT_FALSE(prices->price("rtx-4090", 8).has_value());
  EXPECT_FALSE(prices->price("a800-sxm-80gb", 8).has_value());

  auto mid2023 = MakeCardPrices(Options("2023-07-01", "CN", "CNY"));
  ASSERT_TRUE(mid2023.ok());
  const std::optional<CardPrice> rtx = mid2023->price("rtx-4090", 8);
  ASSERT_TRUE(rtx.has_value());
  EXPECT_EQ(rtx->quote_id, "rtx4090-retail-cn-2023-06");  // not rtx4090-msrp-us-2022-10 (regions [US])
  const std::optional<CardPrice> a800 = mid2023->price("a800-sxm-80gb", 8);
  ASSERT_TRUE(a800.has_value());
  EXPECT_NE(a800->quote_id, "a800-cn-2022-11");  // expired 2023-02-28
  // A 2010 list price is stale in 2024.
  auto mid2024 = MakeCardPrices(Options("2024-06-01", "CN", "CNY"));
  ASSERT_TRUE(mid2024.ok());
  EXPECT_FALSE(mid2024->price("xeon-x5680", 8).has_value());
  // A US buyer is never priced from a China-market quote.
  auto us = MakeCardPrices(Options("2024-06-01", "US", "USD"));
  ASSERT_TRUE(us.ok());
  EXPECT_FALSE(us->price("h20-96gb", 8).has_value());
  EXPECT_FALSE(us->price("rtx-4090d", 8).has_value());
}

// An export rule that stops the buyer buying a card on the date makes it
// blocked, with the rule's reason; a card the buyer may buy (or that only
// lacks a current quote) is not. Was: compare starred 1,080 H800 for a CN
// buyer in late 2026 while its price section said H800 was blocked.
TEST(CardPricesTest, ExportRuleBlocksACardForTheBuyer) {
  auto prices = MakeCardPrices(Options("2026-12-01"));
  ASSERT_TRUE(prices.ok()) << prices.error().ToString();
  const std::optional<BlockedBy> h800 = prices->blocked("h800-sxm-80gb");
  ASSERT_TRUE(h800.has_value());
  EXPECT_NE(h800->reason.english.find("h800-sxm-80gb"), std::string::npos) << h800->reason.english;
  EXPECT_FALSE(h800->licence_required);  // a ban
  EXPECT_FALSE(prices->blocked("ascend-910b").has_value());
  EXPECT_FALSE(prices->blocked("ascend-910c").has_value());
  // Before the ban the same buyer could buy H800.
  auto early = MakeCardPrices(Options("2023-07-01"));
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(early->blocked("h800-sxm-80gb").has_value());
  // A US buyer is not under the China rules.
  auto us = MakeCardPrices(Options("2026-12-01", "US", "USD"));
  ASSERT_TRUE(us.ok());
  EXPECT_FALSE(us->blocked("h800-sxm-80gb").has_value());
}

// --db: the buyer's own quotes price the cards (was: compare read the seed
// quotes only); a missing store is an error naming the flag.
TEST(CardPricesTest, StoreQuotesPriceTheCards) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("suanli_card_prices_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto store = QuoteStore::Open(path.string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    Quote q;
    q.id = "my-910c-2026-11";
    q.supplier = "our distributor";
    q.channel = ChannelTier::kNationalDistributor;
    q.sku = "ascend-910c";
    q.unit_price = 123456;
    q.currency = "CNY";
    q.observed = *ParseDate("2026-11-20");
    q.lead_weeks_min = 2;
    q.lead_weeks_likely = 4;
    q.lead_weeks_max = 8;
    q.source = "our own quote";
    ASSERT_TRUE(store->Add(q).ok());
  }
  CardPriceOptions options = Options("2026-12-01");
  auto seed_only = MakeCardPrices(options);
  ASSERT_TRUE(seed_only.ok());
  const std::optional<CardPrice> seed_price = seed_only->price("ascend-910c", 8);
  EXPECT_TRUE(!seed_price || seed_price->quote_id != "my-910c-2026-11");
  options.store = path.string();
  auto with_store = MakeCardPrices(options);
  ASSERT_TRUE(with_store.ok()) << with_store.error().ToString();
  EXPECT_EQ(with_store->quotes_store, 1);
  const std::optional<CardPrice> price = with_store->price("ascend-910c", 8);
  ASSERT_TRUE(price.has_value());
  EXPECT_EQ(price->quote_id, "my-910c-2026-11");
  EXPECT_DOUBLE_EQ(price->price_per_card, 123456);
  ASSERT_NE(with_store->quote("my-910c-2026-11"), nullptr);
  std::filesystem::remove(path);

  options.store = (std::filesystem::temp_directory_path() / "suanli_no_such_store.db").string();
  auto missing = MakeCardPrices(options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().where, "--db");
}

// A licence-required rule blocks a card as "licence required", not as a ban,
// and a licence the buyer holds (--licence) lifts it, as plan's
// buyer.licences (was: compare had no --licence and called H20 banned); an
// unknown id or a ban is refused, naming the flag.
TEST(CardPricesTest, LicenceHeldLiftsALicenceRequiredRule) {
  auto prices = MakeCardPrices(Options("2026-12-01"));
  ASSERT_TRUE(prices.ok()) << prices.error().ToString();
  const std::optional<BlockedBy> h20 = prices->blocked("h20-96gb");
  ASSERT_TRUE(h20.has_value());
  EXPECT_TRUE(h20->licence_required) << h20->reason.english;
  CardPriceOptions options = Options("2026-12-01");
  options.licences = {"USG-H20-LICENCES-2025-08"};  // ids compare case-insensitively
  auto licensed = MakeCardPrices(options);
  ASSERT_TRUE(licensed.ok()) << licensed.error().ToString();
  EXPECT_EQ(licensed->licences, std::vector<std::string>{"usg-h20-licences-2025-08"});
  EXPECT_FALSE(licensed->blocked("h20-96gb").has_value());
  EXPECT_TRUE(licensed->blocked("h800-sxm-80gb").has_value());  // another rule, a ban

  options.licences = {"usg-h20-licence-2025-08"};
  auto unknown = MakeCardPrices(options);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().where, "--licence");
  EXPECT_NE(unknown.error().hint.find("usg-h20-licences-2025-08"), std::string::npos) << unknown.error().hint;
  options.licences = {"bis-2023-10-17-immediate"};  // a ban: no licence lifts it
  auto ban = MakeCardPrices(options);
  ASSERT_FALSE(ban.ok());
  EXPECT_EQ(ban.error().where, "--licence");
}

// A used card's price carries its condition, warranty and the planner's
// warning (used stock imported before a ban, resold in-country), and the
// prices carry the failure rate plan prices its replacements at (was: the
// price had none of them and compare starred used A100s as if new).
TEST(CardPricesTest, UsedStockAfterABanIsPricedFlaggedWithItsCondition) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("suanli_card_prices_used_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto store = QuoteStore::Open(path.string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    Quote q;
    q.id = "a100-used-2026-11";
    q.supplier = "DC pull reseller";
    q.channel = ChannelTier::kReseller;
    q.sku = "a100-sxm-80gb";
    q.unit_price = 60000;
    q.currency = "CNY";
    q.observed = *ParseDate("2026-11-20");
    q.valid_until = *ParseDate("2027-01-31");
    q.lead_weeks_min = 0.5;
    q.lead_weeks_likely = 1;
    q.lead_weeks_max = 2;
    q.condition = Condition::kUsedPulled;
    q.source = "phone quote";
    ASSERT_TRUE(store->Add(q).ok());
  }
  CardPriceOptions options = Options("2026-12-01");
  options.store = path.string();
  auto prices = MakeCardPrices(options);
  std::filesystem::remove(path);
  ASSERT_TRUE(prices.ok()) << prices.error().ToString();
  EXPECT_DOUBLE_EQ(prices->used_annual_failure_rate, 0.25);  // data/market/costs.yaml
  const std::optional<CardPrice> a100 = prices->price("a100-sxm-80gb", 8);
  ASSERT_TRUE(a100.has_value());
  EXPECT_EQ(a100->quote_id, "a100-used-2026-11");
  EXPECT_TRUE(a100->used());
  EXPECT_EQ(a100->warranty_months, 0);
  EXPECT_NE(a100->flag.english.find("used stock imported before the rule"), std::string::npos) << a100->flag.english;
  EXPECT_FALSE(prices->blocked("a100-sxm-80gb").has_value());
}

// A quote sold by the server bills whole servers, as the planner's
// BilledCards: 128 Ascend 910C from a 384-card CloudMatrix supernode pay
// for 384 (was: 128 × the per-card share, 19.68 M CNY beside plan's
// 59.05 M); the cheapest quote is the cheapest for the count.
TEST(CardPricesTest, ServerQuotesBillWholeServersForTheCount) {
  auto prices = MakeCardPrices(Options("2025-08-15"));
  ASSERT_TRUE(prices.ok()) << prices.error().ToString();
  const std::optional<CardPrice> few = prices->price("ascend-910c", 128);
  ASSERT_TRUE(few.has_value());
  EXPECT_EQ(few->quote_id, "cloudmatrix-384-cn-2025-07");
  EXPECT_EQ(few->cards_per_unit, 384);
  EXPECT_EQ(few->billed_cards, 384);
  EXPECT_NEAR(few->cost(), few->price_per_card * 384, 1e-6);
  const std::optional<CardPrice> more = prices->price("ascend-910c", 400);
  ASSERT_TRUE(more.has_value());
  EXPECT_EQ(more->billed_cards, 768);
}

// Of a per-card and a server quote, the one that supplies the count for
// less: a few cards by the card, a whole supernode's worth by the server.
TEST(CardPricesTest, CheapestQuoteForTheCount) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("suanli_card_count_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto store = QuoteStore::Open(path.string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    Quote q;
    q.supplier = "card seller";
    q.channel = ChannelTier::kNationalDistributor;
    q.sku = "ascend-910c";
    q.currency = "CNY";
    q.observed = *ParseDate("2025-08-01");
    q.lead_weeks_min = 2;
    q.lead_weeks_likely = 4;
    q.lead_weeks_max = 8;
    q.source = "our own quote";
    q.id = "card-910c";
    q.unit_price = 250000;  // dearer per card than the supernode's 153,780
    ASSERT_TRUE(store->Add(q).ok());
    q.id = "small-stock-910c";
    q.supplier = "small reseller";
    q.unit_price = 100000;  // cheapest, but only 50 cards
    q.quantity_available = 50;
    ASSERT_TRUE(store->Add(q).ok());
  }
  CardPriceOptions options = Options("2025-08-15");
  options.store = path.string();
  auto prices = MakeCardPrices(options);
  std::filesystem::remove(path);
  ASSERT_TRUE(prices.ok()) << prices.error().ToString();
  EXPECT_EQ(prices->price("ascend-910c", 32)->quote_id, "small-stock-910c");
  const std::optional<CardPrice> some = prices->price("ascend-910c", 128);  // 128 × 250,000 < one supernode
  ASSERT_TRUE(some.has_value());
  EXPECT_EQ(some->quote_id, "card-910c");
  EXPECT_EQ(some->billed_cards, 128);
  EXPECT_EQ(prices->price("ascend-910c", 384)->quote_id, "cloudmatrix-384-cn-2025-07");
}

// A quote whose stock is below the count cannot price it; with none that
// can, the reason names the stock (was: 50 cards in stock priced 3,136).
TEST(CardPricesTest, StockBelowTheCountCannotPriceIt) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("suanli_card_stock_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    auto store = QuoteStore::Open(path.string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    Quote q;
    q.id = "reseller-910b";
    q.supplier = "reseller";
    q.channel = ChannelTier::kReseller;
    q.sku = "biren-br104";
    q.unit_price = 50000;
    q.currency = "CNY";
    q.observed = *ParseDate("2026-11-20");
    q.quantity_available = 50;
    q.lead_weeks_min = 2;
    q.lead_weeks_likely = 4;
    q.lead_weeks_max = 8;
    q.source = "phone quote";
    ASSERT_TRUE(store->Add(q).ok());
  }
  CardPriceOptions options = Options("2026-12-01");
  options.store = path.string();
  auto prices = MakeCardPrices(options);
  std::filesystem::remove(path);
  ASSERT_TRUE(prices.ok()) << prices.error().ToString();
  ASSERT_TRUE(prices->price("biren-br104", 50).has_value());
  EXPECT_FALSE(prices->price("biren-br104", 3136).has_value());
  EXPECT_EQ(prices->why_none("biren-br104", 3136).english, "only 50 in stock for 3136 cards");
  EXPECT_FALSE(prices->blocked("biren-br104").has_value());
}

}  // namespace
}  // namespace suanli
