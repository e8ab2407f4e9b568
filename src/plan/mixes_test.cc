#include "plan/mixes.h"

#include <gtest/gtest.h>

namespace suanli {
namespace {

PlanQuote MakeQuote(const char* id, double price, double lead_weeks, int64_t quantity) {
  PlanQuote q;
  q.id = id;
  q.unit_price = price;
  q.lead_weeks_likely = lead_weeks;
  q.quantity = quantity;
  return q;
}

TEST(MixesTest, OneQuoteTwoByStockAndStagedSplits) {
  const PlanQuote fast = MakeQuote("fast-quote", 100, 2, 0);
  const PlanQuote slow = MakeQuote("slow-quote", 90, 8, 48);
  const std::vector<Candidate> mixes = GenerateMixes({&fast, &slow}, 64, true, 8);
  std::vector<std::string> keys;
  for (const Candidate& c : mixes) {
    std::string key;
    for (const auto& [q, cards] : c.parts) key += q->id + ":" + std::to_string(cards) + " ";
    keys.push_back(key);
  }
  // fast alone; fast first for 1/4 and 1/2 with slow for the rest (staged);
  // slow up to its stock of 48 and fast for the other 16 is the first of
  // these again (the same parts in another order), so it is not repeated.
  EXPECT_EQ(keys, (std::vector<std::string>{"fast-quote:64 ", "fast-quote:16 slow-quote:48 ",
                                            "fast-quote:32 slow-quote:32 "}));
}

TEST(MixesTest, TheSamePartsInAnotherOrderAreOneMix) {
  // Each quote's stock covers a part: a up to its 100 then b, and b up to its
  // 200 then a, are the same 100 + 200 cards.
  const PlanQuote a = MakeQuote("a", 100, 4, 100);
  const PlanQuote b = MakeQuote("b", 100, 4, 200);
  const std::vector<Candidate> mixes = GenerateMixes({&a, &b}, 300, false, 8);
  ASSERT_EQ(mixes.size(), 1u);
  EXPECT_EQ(mixes[0].parts.size(), 2u);
}

TEST(MixesTest, StockMinimumOrderAndServerPrice) {
  PlanQuote q = MakeQuote("server-quote", 800, 4, 32);
  q.min_order = 16;
  EXPECT_TRUE(CanSupply(q, 16));
  EXPECT_FALSE(CanSupply(q, 8));
  EXPECT_FALSE(CanSupply(q, 40));
  q.unit = QuoteUnit::kServer;
  q.cards_per_unit = 8;
  EXPECT_DOUBLE_EQ(PerCardPrice(q), 100);
  EXPECT_GT(Available(MakeQuote("unlimited", 1, 1, 0)), 1000000);
}

}  // namespace
}  // namespace suanli
