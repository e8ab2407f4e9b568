// Market renderers: listing notes and counts, rule truncation, FX and history lines.
#include "report/market_text.h"

#include <gtest/gtest.h>

#include "report/market_json.h"
#include "report/output.h"

namespace suanli {
namespace {

Quote UsedCashQuote() {
  Quote q;
  q.id = "q1";
  q.sku = "a800-sxm-80gb";
  q.unit_price = 88000;
  q.currency = "CNY";
  q.condition = Condition::kUsedPulled;
  q.payment.cash_up_front = true;
  q.estimate = true;
  return q;
}

// adversary report item 8: a unit of several cards confirms the per-card
// price list and plan read (unit price / cards_per_unit).
TEST(MarketText, AddedQuoteShowsThePerCardPriceStored) {
  Quote q = UsedCashQuote();
  q.unit_price = 700000;
  q.cards_per_unit = 8;
  const std::string text = AddedQuoteText(q, "t3.db");
  EXPECT_NE(text.find("700,000 CNY per card of 8 cards = 87,500 CNY per card"), std::string::npos) << text;
  q.cards_per_unit = 1;
  EXPECT_EQ(AddedQuoteText(q, "t3.db"), "added quote q1 (a800-sxm-80gb 700,000 CNY per card) to t3.db\n");
}

TEST(MarketText, ListingNotesCountsAndExcludedHint) {
  QuoteListing listing;
  listing.quotes.push_back({UsedCashQuote(), Availability{}, QuoteCategory::kOk, {}});
  ListedQuote blocked{UsedCashQuote(), Availability{}, QuoteCategory::kOk, {}};
  blocked.quote.id = "q2";
  blocked.availability.reason = "banned";
  blocked.availability.reason_text = "banned";
  listing.excluded.push_back(blocked);
  OutputSettings wide;  // the notes cell unwrapped: this test reads content, not layout
  wide.width = 1000;
  SetOutputSettings(wide);
  const std::string text = QuoteListingText(listing, {88000}, "CNY", false);
  EXPECT_NE(text.find("estimate, cash, no warranty"), std::string::npos);
  EXPECT_NE(text.find("1 quotes, 1 excluded\n(--show-excluded lists the reasons)\n"), std::string::npos);
  EXPECT_NE(QuoteListingText(listing, {88000}, "CNY", true).find("  excluded q2: banned\n"), std::string::npos);
  const nlohmann::json json = QuoteListingJson(listing, {88000}, QuoteFilter{}, "CNY");
  EXPECT_EQ(json["quotes"][0]["price_per_card"], 88000);
  EXPECT_EQ(json["excluded"][0]["reason"], "banned");
}

TEST(MarketText, RulesTruncateLongSkuListsAndHistorySaysWhenEmpty) {
  ExportRule rule;
  rule.id = "r1";
  rule.skus = std::vector<std::string>(10, "a100-sxm-80gb");
  RulesScope scope;
  scope.total = 3;
  const std::string text = RulesText({&rule}, scope);
  EXPECT_NE(text.find("..."), std::string::npos);
  EXPECT_NE(text.find("3 rules, for buyers in every region"), std::string::npos);
  EXPECT_EQ(RulesJson({&rule}, scope)["rules"][0]["id"], "r1");
  EXPECT_EQ(RulesJson({&rule}, scope)["total"], 3);
  // A filtered listing says so, and out of how many: the file's 17 rules
  // were once shown as "14 rules" for the default region without a word.
  scope.region = "CN";
  scope.date = *ParseDate("2024-06-01");
  EXPECT_EQ(RulesCountLine(1, scope), "1 of 3 rules apply to buyers in CN and are in force on 2024-06-01");
  const std::string csv = RulesTable({&rule}).RenderAs(TableFormat::kCsv);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "id,effective,until,regions,action,channels,skus,summary,source");
  EXPECT_NE(PriceHistoryText("h20", "USD", {}).find("no quotes for h20\n"), std::string::npos);
}

}  // namespace
}  // namespace suanli
