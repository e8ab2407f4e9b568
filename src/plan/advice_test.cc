// The near-free speed-up (plan/advice.h) on hand-built options: which option
// is mentioned, which is not, how ties fall, and that the one mentioned is
// among the options shown (its #k is its place there).
#include "plan/advice.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace suanli {
namespace {

constexpr int kStartDay = 19700;  // 2023-12-09, an arbitrary calendar day

// An option of `gpus` cards of `accel` from quote `quote`, finishing `day`
// (P50, days after kStartDay) for `cost`.
PlanOptionResult Option(const std::string& accel, int gpus, const std::string& quote, int day, double cost) {
  PlanOptionResult o;
  o.accelerator = accel;
  o.gpus = gpus;
  o.mix = {MixPart{quote, "Supplier " + quote, gpus, 2, gpus, QuoteUnit::kCard, 1, 0, 0, 0, ""}};
  o.finish_p50_days = day;
  o.finish_p90_days = day + 5;
  o.finish_p50_date = Date{kStartDay + day};
  o.finish_p90_date = Date{kStartDay + day + 5};
  o.cost.total = cost;
  return o;
}

ShownOptions ShownOf(const std::vector<PlanOptionResult>& options) {
  ShownOptions shown;
  shown.options = options;
  return shown;
}

// The case: the recommendation is the cheapest; another option
// finishes 7 weeks earlier for 0.24% more: mentioned, with its place among
// the shown options, the days saved and the share.
TEST(AdviceTest, SevenWeeksEarlierForAQuarterPercentIsMentioned) {
  const std::vector<PlanOptionResult> all = {Option("a800-sxm-80gb", 512, "slow", 120, 10'000'000),
                                             Option("a800-sxm-80gb", 512, "fast", 71, 10'024'000)};
  ShownOptions shown = ShownOf(all);
  const std::string note = NearFreeSpeedUp(all, shown);
  EXPECT_NE(note.find("near-free speed-up: #2 buy 512 a800-sxm-80gb: 512 from Supplier fast"), std::string::npos)
      << note;
  EXPECT_NE(note.find("finishes 49 days earlier"), std::string::npos) << note;
  EXPECT_NE(note.find("for 0.2% more"), std::string::npos) << note;
  EXPECT_NE(note.find("at least 7 days earlier for at most 2% more"), std::string::npos) << note;
  EXPECT_EQ(shown.options.size(), 2u);  // already shown: nothing added
}

// Earlier, but for more than the stated share: not mentioned.
TEST(AdviceTest, EarlierForMoreThanTheShareIsNotMentioned) {
  const std::vector<PlanOptionResult> all = {Option("a800-sxm-80gb", 512, "slow", 120, 10'000'000),
                                             Option("a800-sxm-80gb", 768, "fast", 40, 10'210'000)};
  ShownOptions shown = ShownOf(all);
  EXPECT_EQ(NearFreeSpeedUp(all, shown), "");
  EXPECT_EQ(shown.options.size(), 2u);
}

// Cheap enough but fewer than kNearFreeDays earlier (6 days): not mentioned;
// exactly 7 days for exactly 2% more: mentioned (both bounds inclusive).
TEST(AdviceTest, BoundsAreInclusive) {
  {
    const std::vector<PlanOptionResult> all = {Option("h800-sxm-80gb", 256, "a", 100, 5'000'000),
                                               Option("h800-sxm-80gb", 256, "b", 94, 5'001'000)};
    ShownOptions shown = ShownOf(all);
    EXPECT_EQ(NearFreeSpeedUp(all, shown), "");
  }
  {
    const double best = 5'000'000;
    const std::vector<PlanOptionResult> all = {Option("h800-sxm-80gb", 256, "a", 100, best),
                                               Option("h800-sxm-80gb", 256, "b", 93, best * (1 + kNearFreeShare))};
    ShownOptions shown = ShownOf(all);
    const std::string note = NearFreeSpeedUp(all, shown);
    EXPECT_NE(note.find("#2 "), std::string::npos) << note;
    EXPECT_NE(note.find("7 days earlier"), std::string::npos) << note;
    EXPECT_NE(note.find("for 2.0% more"), std::string::npos) << note;
  }
}

// Several qualify: the earliest wins; among those finishing the same day,
// the cheaper; with the same day and cost, the first in ranked order.
TEST(AdviceTest, TiesGoToTheEarliestThenTheCheapestThenTheRankedFirst) {
  const PlanOptionResult best = Option("ascend-910b", 256, "base", 150, 20'000'000);
  {
    const std::vector<PlanOptionResult> all = {best, Option("ascend-910b", 256, "week", 140, 20'010'000),
                                               Option("ascend-910b", 384, "month", 120, 20'300'000)};
    ShownOptions shown = ShownOf(all);
    const std::string note = NearFreeSpeedUp(all, shown);
    EXPECT_NE(note.find("#3 buy 384 ascend-910b"), std::string::npos) << note;
    EXPECT_NE(note.find("30 days earlier"), std::string::npos) << note;
  }
  {
    const std::vector<PlanOptionResult> all = {best, Option("ascend-910b", 384, "dear", 120, 20'300'000),
                                               Option("ascend-910b", 384, "cheap", 120, 20'100'000)};
    ShownOptions shown = ShownOf(all);
    const std::string note = NearFreeSpeedUp(all, shown);
    EXPECT_NE(note.find("#3 buy 384 ascend-910b: 384 from Supplier cheap"), std::string::npos) << note;
  }
  {
    const std::vector<PlanOptionResult> all = {best, Option("ascend-910b", 384, "first", 120, 20'100'000),
                                               Option("ascend-910b", 384, "second", 120, 20'100'000)};
    ShownOptions shown = ShownOf(all);
    const std::string note = NearFreeSpeedUp(all, shown);
    EXPECT_NE(note.find("#2 buy 384 ascend-910b: 384 from Supplier first"), std::string::npos) << note;
  }
}

// An option finishing the same day as the recommendation for the same cost
// is no speed-up; nor is the recommendation itself.
TEST(AdviceTest, SameDayIsNoSpeedUp) {
  const std::vector<PlanOptionResult> all = {Option("rtx-4090", 512, "a", 60, 3'000'000),
                                             Option("rtx-4090", 512, "b", 60, 3'000'000)};
  ShownOptions shown = ShownOf(all);
  EXPECT_EQ(NearFreeSpeedUp(all, shown), "");
  ShownOptions none;
  EXPECT_EQ(NearFreeSpeedUp({}, none), "");
}

// The option mentioned is one that is shown: when the ranking left it out of
// the shown options it is appended, and #k is its place there.
TEST(AdviceTest, MentionedOptionIsShown) {
  const std::vector<PlanOptionResult> all = {Option("a800-sxm-80gb", 512, "slow", 120, 10'000'000),
                                             Option("a800-sxm-80gb", 256, "slower", 200, 10'100'000),
                                             Option("a800-sxm-80gb", 640, "hidden", 70, 10'050'000)};
  ShownOptions shown = ShownOf({all[0], all[1]});
  const std::string note = NearFreeSpeedUp(all, shown);
  ASSERT_EQ(shown.options.size(), 3u);
  EXPECT_EQ(shown.options[2].gpus, 640);
  EXPECT_EQ(shown.options[2].mix.at(0).quote_id, "hidden");
  EXPECT_NE(note.find("#3 buy 640 a800-sxm-80gb: 640 from Supplier hidden"), std::string::npos) << note;

  // Already shown further down: named by its place, not appended again.
  ShownOptions again = ShownOf({all[0], all[2], all[1]});
  const std::string note2 = NearFreeSpeedUp(all, again);
  EXPECT_EQ(again.options.size(), 3u);
  EXPECT_NE(note2.find("#2 buy 640"), std::string::npos) << note2;
}

// The same cards and size rented are another option than bought: a rent that
// qualifies is named as a rent, and not matched to a shown buy of the mix.
TEST(AdviceTest, RentIsNotMatchedToABuyOfTheSameMix) {
  PlanOptionResult rent = Option("h100-sxm-80gb", 256, "q", 80, 7'010'000);
  rent.mode = BuyMode::kRent;
  const std::vector<PlanOptionResult> all = {Option("h100-sxm-80gb", 256, "q", 100, 7'000'000), rent};
  ShownOptions shown = ShownOf({all[0]});
  const std::string note = NearFreeSpeedUp(all, shown);
  ASSERT_EQ(shown.options.size(), 2u);
  EXPECT_EQ(shown.options[1].mode, BuyMode::kRent);
  EXPECT_NE(note.find("#2 rent 256 h100-sxm-80gb"), std::string::npos) << note;
}

}  // namespace
}  // namespace suanli
