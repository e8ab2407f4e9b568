#include "market/quote_filter.h"

#include <gtest/gtest.h>
#include "market/date_test_support.h"

namespace suanli {
namespace {

// One rule: sku "sku-x" banned for CN buyers from 2023-01-01.
std::vector<ExportRule> BanX() {
  ExportRule rule;
  rule.id = "ban-x";
  rule.effective = D("2023-01-01");
  rule.skus = {"sku-x"};
  rule.regions = {"CN"};
  rule.summary = "x banned";
  return {rule};
}

Quote OkQuote() {
  Quote q;
  q.id = "quote-1";
  q.sku = "sku-y";
  q.channel = ChannelTier::kNationalDistributor;
  q.observed = D("2023-06-01");
  return q;
}

QuoteUse On(std::string_view date) {
  QuoteUse use;
  use.date = D(date);
  return use;
}

QuoteCategory CategoryOf(const Quote& q, const QuoteUse& use) { return CheckQuoteUse(BanX(), q, use).category; }

TEST(QuoteFilter, EachCategory) {
  EXPECT_EQ(CategoryOf(OkQuote(), On("2023-06-15")), QuoteCategory::kOk);
  Quote banned = OkQuote();
  banned.sku = "sku-x";
  EXPECT_EQ(CategoryOf(banned, On("2023-06-15")), QuoteCategory::kRule);
  Quote grey = OkQuote();
  grey.channel = ChannelTier::kGreyMarket;
  EXPECT_EQ(CategoryOf(grey, On("2023-06-15")), QuoteCategory::kChannel);
  Quote tier = OkQuote();
  tier.buyers = {"hyperscaler"};
  EXPECT_EQ(CategoryOf(tier, On("2023-06-15")), QuoteCategory::kTier);
  Quote region = OkQuote();
  region.regions = {"US"};
  EXPECT_EQ(CategoryOf(region, On("2023-06-15")), QuoteCategory::kRegion);
  EXPECT_EQ(CategoryOf(OkQuote(), On("2023-05-15")), QuoteCategory::kFuture);
  Quote expired = OkQuote();
  expired.valid_until = D("2023-06-30");
  EXPECT_EQ(CategoryOf(expired, On("2023-07-01")), QuoteCategory::kExpired);
  QuoteUse late = On("2023-12-01");
  late.max_quote_age_days = 92;
  EXPECT_EQ(CategoryOf(OkQuote(), late), QuoteCategory::kStale);
  EXPECT_EQ(CategoryOf(expired, late), QuoteCategory::kExpired);  // valid_until wins over age
  Quote stock = OkQuote();
  stock.quantity_available = 16;
  QuoteUse many = On("2023-06-15");
  many.cards_wanted = 64;
  EXPECT_EQ(CategoryOf(stock, many), QuoteCategory::kStock);
  Quote used = OkQuote();
  used.sku = "sku-x";
  used.channel = ChannelTier::kReseller;
  used.condition = Condition::kUsedPulled;
  const QuoteVerdict flagged = CheckQuoteUse(BanX(), used, On("2023-06-15"));
  EXPECT_EQ(flagged.category, QuoteCategory::kFlagged);
  EXPECT_TRUE(flagged.usable());
  EXPECT_NE(flagged.availability.reason.find("imported before"), std::string::npos);
  EXPECT_EQ(QuoteCategoryName(QuoteCategory::kStale), "stale");
}

TEST(QuoteFilter, OrderFutureRegionRuleTierExpiredStaleStock) {
  Quote q = OkQuote();
  q.sku = "sku-x";
  q.buyers = {"hyperscaler"};
  q.regions = {"US"};
  q.observed = D("2023-06-01");
  q.valid_until = D("2023-06-30");
  q.quantity_available = 8;
  // Not yet observed comes first: the quote does not exist on the date.
  EXPECT_EQ(CategoryOf(q, On("2023-05-01")), QuoteCategory::kFuture);
  // A quote sold only to other regions was never on offer to this buyer,
  // whatever the rules say (session 19: `plan` and `market list` disagreed);
  // the rule in force is still recorded.
  QuoteUse use = On("2023-07-15");
  use.cards_wanted = 64;
  const QuoteVerdict elsewhere = CheckQuoteUse(BanX(), q, use);
  EXPECT_EQ(elsewhere.category, QuoteCategory::kRegion);
  EXPECT_EQ(elsewhere.availability.rule_id, "ban-x");
  // A banned quote that has also expired is reported with its rule.
  q.regions.clear();
  const QuoteVerdict verdict = CheckQuoteUse(BanX(), q, use);
  EXPECT_EQ(verdict.category, QuoteCategory::kRule);
  EXPECT_EQ(verdict.availability.rule_id, "ban-x");
  q.sku = "sku-y";
  EXPECT_EQ(CategoryOf(q, use), QuoteCategory::kTier);
  q.buyers.clear();
  q.regions = {"US"};
  EXPECT_EQ(CategoryOf(q, use), QuoteCategory::kRegion);
  q.regions.clear();
  EXPECT_EQ(CategoryOf(q, use), QuoteCategory::kExpired);
  q.valid_until.reset();
  use.max_quote_age_days = 30;
  EXPECT_EQ(CategoryOf(q, use), QuoteCategory::kStale);
  use.max_quote_age_days.reset();
  EXPECT_EQ(CategoryOf(q, use), QuoteCategory::kStock);
}

TEST(QuoteFilter, TierAndRegionCompareCaseInsensitively) {
  Quote q = OkQuote();
  q.buyers = {"Startup"};
  q.regions = {"cn"};
  QuoteUse use = On("2023-06-15");
  use.buyer.tier = "STARTUP";
  EXPECT_EQ(CategoryOf(q, use), QuoteCategory::kOk);
}

TEST(QuoteFilter, WithoutABuyerOnlyDatesCount) {
  Quote q = OkQuote();
  q.sku = "sku-x";
  q.buyers = {"hyperscaler"};
  QuoteUse use = On("2023-06-15");
  use.check_buyer = false;
  EXPECT_EQ(CategoryOf(q, use), QuoteCategory::kOk);
}

class SeedQuotes : public ::testing::Test {
 protected:
  void SetUp() override {
    auto market = LoadSeedMarket();
    ASSERT_TRUE(market.ok()) << market.error().ToString();
    market_ = std::move(*market);
  }
  const Quote& FindQuote(const std::string& id) {
    for (const auto& q : market_.quotes)
      if (q.id == id) return q;
    ADD_FAILURE() << "no quote " << id;
    return market_.quotes.front();
  }
  QuoteVerdict Check(const Quote& q, const BuyerPolicy& buyer, std::string_view date) {
    QuoteUse use = On(date);
    use.buyer = buyer;
    return CheckQuoteUse(market_.rules, q, use);
  }
  Market market_;
};

TEST_F(SeedQuotes, H800NotAvailableToAStartupIn2023) {
  const Quote& h800 = FindQuote("h800-direct-2023-06");
  const QuoteVerdict startup = Check(h800, BuyerPolicy{}, "2023-06-15");  // CN startup
  EXPECT_EQ(startup.category, QuoteCategory::kTier);
  EXPECT_NE(startup.availability.reason.find("hyperscaler"), std::string::npos) << startup.availability.reason;
  BuyerPolicy hyperscaler;
  hyperscaler.tier = "hyperscaler";
  EXPECT_TRUE(Check(h800, hyperscaler, "2023-06-15").usable());
  // After the October-2023 rule (immediate for the H800 from 2023-10-23), not even a hyperscaler.
  EXPECT_TRUE(Check(h800, hyperscaler, "2023-09-30").usable());
  EXPECT_EQ(Check(h800, hyperscaler, "2023-11-01").category, QuoteCategory::kRule);
}

TEST_F(SeedQuotes, UsedA100ResaleAllowedButFlagged) {
  const Quote& used = FindQuote("a100-80gb-used-cn-2023-06");
  const QuoteVerdict june = Check(used, BuyerPolicy{}, "2023-06-15");
  EXPECT_EQ(june.category, QuoteCategory::kFlagged);
  EXPECT_NE(june.availability.reason.find("imported before"), std::string::npos);
  EXPECT_EQ(Check(used, BuyerPolicy{}, "2023-12-01").category, QuoteCategory::kExpired);
  EXPECT_EQ(Check(used, BuyerPolicy{}, "2023-01-01").category, QuoteCategory::kFuture);
}

TEST_F(SeedQuotes, RegionRestrictedQuote) {
  const Quote& aws = FindQuote("h100-aws-p5-2023-07");
  EXPECT_EQ(Check(aws, BuyerPolicy{}, "2023-08-01").category, QuoteCategory::kRegion);
  BuyerPolicy us;
  us.region = "US";
  EXPECT_TRUE(Check(aws, us, "2023-08-01").usable());
}

// Why nothing is usable: counted per category, in the check order, with
// the staleness arithmetic spelled out (compare, serve and the planner used
// to say only "no usable market quote").
TEST(QuoteFilter, ExplainsWhyNoQuoteIsUsable) {
  QuoteUse use = On("2024-06-01");
  use.max_quote_age_days = 92;
  Quote a = OkQuote(), b = OkQuote(), c = OkQuote(), expired = OkQuote();
  a.observed = b.observed = c.observed = D("2024-02-01");  // 121 days before
  expired.valid_until = D("2024-05-01");
  std::vector<CheckedQuote> checked;
  for (const Quote* q : {&a, &b, &c, &expired}) checked.push_back({q, CheckQuoteUse(BanX(), *q, use)});
  EXPECT_EQ(checked[0].verdict.availability.reason, "observed 2024-02-01, 121 days before 2024-06-01; limit 92 days");
  const ReasonText why = ExplainNoUsableQuote(checked, use);
  EXPECT_EQ(why.english,
            "1 quote expired (the latest valid until 2024-05-01); "
            "3 quotes stale (observed 2024-02-01, 121 days before 2024-06-01; limit 92 days)");
  // Different dates: the newest one and its age; a banned quote first.
  b.observed = D("2024-02-20");
  Quote banned = OkQuote();
  banned.sku = "sku-x";
  checked = {{&a, CheckQuoteUse(BanX(), a, use)}, {&b, CheckQuoteUse(BanX(), b, use)},
             {&banned, CheckQuoteUse(BanX(), banned, use)}};
  EXPECT_EQ(ExplainNoUsableQuote(checked, use).english.substr(0, 33), "1 quote blocked by an export rule");
  EXPECT_NE(ExplainNoUsableQuote(checked, use).english.find(
                "2 quotes stale (newest observed 2024-02-20, 102 days before 2024-06-01; limit 92 days)"),
            std::string::npos);
  EXPECT_EQ(ExplainNoUsableQuote({}, use).english, "no quote in the market");
}

// The planner's rule, shared with `market list`: of one supplier's quotes for
// the same SKU, unit and condition, the newest observation supersedes those
// observed on earlier dates; lots of the same day all stay.
TEST(QuoteFilter, NewestObservationOfASupplierSupersedesTheOlder) {
  Quote old_a = OkQuote(), new_a = OkQuote(), other_unit = OkQuote(), other_supplier = OkQuote();
  old_a.id = "a-old";
  old_a.supplier = "Huawei partner A";
  new_a.id = "a-new";
  new_a.supplier = "Huawei partner A";
  new_a.observed = D("2023-07-01");
  other_unit = old_a;
  other_unit.id = "a-server";
  other_unit.unit = QuoteUnit::kServer;
  other_supplier = old_a;
  other_supplier.id = "b";
  other_supplier.supplier = "partner B";
  const std::vector<const Quote*> quotes = {&new_a, &old_a, &other_unit, &other_supplier};
  const std::vector<std::optional<size_t>> by = SupersededBy(quotes);
  ASSERT_EQ(by.size(), 4u);
  EXPECT_FALSE(by[0]);
  EXPECT_EQ(by[1], std::optional<size_t>(0));  // input order does not matter, the date does
  EXPECT_FALSE(by[2]);                         // another unit is another offer
  EXPECT_FALSE(by[3]);                         // another supplier too
  // On one date two ids are two lots (cfo report item 3: 202 cards at 10
  // weeks and 22 late cards from one supplier): neither supersedes the other.
  Quote twin = old_a;
  twin.id = "a-twin";
  twin.quantity_available = 22;
  const std::vector<std::optional<size_t>> tie = SupersededBy({&old_a, &twin});
  EXPECT_FALSE(tie[0]);
  EXPECT_FALSE(tie[1]);
  // An older observation is still superseded by the newest one, also while
  // the newest date holds two lots.
  Quote twin_new = new_a;
  twin_new.id = "a-new-lot-2";
  const std::vector<std::optional<size_t>> lots = SupersededBy({&old_a, &new_a, &twin_new});
  EXPECT_TRUE(lots[0].has_value());
  EXPECT_FALSE(lots[1]);
  EXPECT_FALSE(lots[2]);
  // The same id entered again is a correction: the later entry wins.
  Quote corrected = old_a;
  corrected.unit_price = 1;
  const std::vector<std::optional<size_t>> fix = SupersededBy({&old_a, &corrected});
  EXPECT_EQ(fix[0], std::optional<size_t>(1));
  EXPECT_FALSE(fix[1]);
  EXPECT_EQ(QuoteCategoryName(QuoteCategory::kSuperseded), "superseded");
}

}  // namespace
}  // namespace suanli
