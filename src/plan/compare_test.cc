#include "plan/compare.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "search/min_fit.h"

namespace suanli {
namespace {

Throughput Fake(const std::string& accelerator, int gpus) {
  Throughput t;
  t.fits = true;
  t.step_time_s = 1;
  double per_card = 3000;
  if (accelerator == "slow") per_card = 1000;
  if (accelerator == "fast") per_card = 3100;  // 104 cards as the default 3,000, faster
  if (accelerator == "small-mem" && gpus < 128) t.fits = false;
  if (accelerator == "a800" && gpus < 8) t.fits = false;
  if (accelerator == "none") t.fits = false;
  double cards = gpus;
  if (accelerator == "capped") {
    cards = std::min(gpus, 50);
    t.comm_s = 0.6;
  }
  t.tokens_per_s = t.fits ? per_card * cards : 0;
  t.memory_bytes = 70e9;
  t.capacity_bytes = 75e9;
  if (!t.fits) t.reason = "needs more memory";
  return t;
}

TEST(CompareTest, FindsEquivalentCardCountsAndBounds) {
  const CardPriceFn price = [](const std::string& a, int cards) -> std::optional<CardPrice> {
    if (a == "a800") return CardPrice{"bj", "Beijing", 87500, cards, 1, Condition::kNew, 0, {}, 0};
    if (a == "slow") return CardPrice{"dom", "Domestic", 30000, cards, 1, Condition::kNew, 0, {}, 0};
    return std::nullopt;
  };
  auto r = CompareClusters("m", "a800", 100, {"slow", "small-mem", "capped", "none"}, Fake, price,
                           300000.0 * 86400 * 10, 1024, "CNY");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_DOUBLE_EQ(r->reference_tokens_per_s, 300000);
  EXPECT_DOUBLE_EQ(r->reference_cost, 8750000);
  EXPECT_NEAR(r->reference_train_days, 10, 1e-9);
  ASSERT_EQ(r->candidates.size(), 4u);
  // 1000 tokens/s per card: 300 needed, rounded up to whole nodes of 8 = 304.
  const CompareEntry& slow = r->candidates[0];
  EXPECT_TRUE(slow.matched);
  EXPECT_EQ(slow.gpus, 304);
  EXPECT_EQ(slow.bound, "compute");
  EXPECT_DOUBLE_EQ(slow.cost, 304 * 30000.0);
  EXPECT_NEAR(slow.ratio_to_reference, 3.04, 1e-12);
  // Fits only from 128 cards, where it is already faster than the reference.
  EXPECT_EQ(r->candidates[1].gpus, 128);
  EXPECT_EQ(r->candidates[1].bound, "memory capacity");
  EXPECT_FALSE(r->candidates[1].price.has_value());
  // Throughput stops growing at 50 cards: cannot match.
  EXPECT_FALSE(r->candidates[2].matched);
  EXPECT_EQ(r->candidates[2].bound, "cannot match");
  EXPECT_EQ(r->candidates[2].gpus, 64);
  EXPECT_NE(r->candidates[2].why.find("50% of the reference"), std::string::npos);
  EXPECT_NE(r->candidates[3].why.find("does not fit on up to 1024 cards"), std::string::npos);
}

// Throughput that falls as cards are added (320-376 cards train at half
// rate): the fewest cards reaching 300,000 tokens/s are 304, below the dip.
// A bisection between 256 and 512 lands in the dip and answers 384.
TEST(CompareTest, FindsTheFewestCardsWhenThroughputIsNotMonotonic) {
  int calls_in_dip = 0;
  const ThroughputFn dip = [&](const std::string& accelerator, int gpus) {
    Throughput t = Fake(accelerator == "dip" ? "slow" : accelerator, gpus);
    if (accelerator == "dip" && gpus >= 320 && gpus <= 376) {
      t.tokens_per_s /= 2;
      ++calls_in_dip;
    }
    return t;
  };
  auto r = CompareClusters("m", "a800", 100, {"dip"}, dip, nullptr, 0, 1024, "CNY");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->candidates[0].matched);
  EXPECT_EQ(r->candidates[0].gpus, 304);
  EXPECT_EQ(calls_in_dip, 0);  // found before the dip
}

TEST(CompareTest, ASizeWhoseDataParallelDegreeDividesTheBatchIsTriedBelowTheCoarseMisses) {
  // The same card as a 1,000-card reference at 1,000 sequences per step: only
  // sizes a divisor of the batch fills run at full rate (dp 125 × 8 = 1,000);
  // 768, 1,024 and 1,536 run at a third. The answer is 1,000, not the first
  // hit of the scan above the coarse misses.
  const ThroughputFn aligned = [](const std::string&, int gpus) {
    Throughput t;
    t.fits = true;
    t.step_time_s = 1;
    const bool divides = gpus <= 1000 && 1000 % (gpus / 8 > 0 ? gpus / 8 : 1) == 0 && gpus % 8 == 0;
    t.tokens_per_s = 3000.0 * gpus * (divides ? 1.0 : 1.0 / 3);
    t.layout.global_batch = 1000;
    return t;
  };
  auto r = CompareClusters("m", "h100", 1000, {"h100"}, aligned, nullptr, 0, 4096, "CNY");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->candidates[0].matched);
  EXPECT_EQ(r->candidates[0].gpus, 1000);
  EXPECT_DOUBLE_EQ(r->candidates[0].ratio_to_reference, 1.0);
}

TEST(CompareTest, ReferenceMustFit) {
  auto r = CompareClusters("m", "a800", 4, {"slow"}, Fake, nullptr, 0, 1024, "CNY");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().where, "--reference");
}

}  // namespace
}  // namespace suanli

#include "plan/throughput.h"

namespace suanli {
namespace {

TEST(ThroughputTest, GlobalBatchIsAMultipleOfTheClusterSize) {
  // 4M tokens / 4096 = 1024 sequences; 100 cards -> 10 per card -> 1000.
  EXPECT_EQ(GlobalBatchFor(4.0 * 1024 * 1024, 4096, 100), 1000);
  EXPECT_EQ(GlobalBatchFor(4.0 * 1024 * 1024, 4096, 1024), 1024);
  EXPECT_EQ(GlobalBatchFor(4.0 * 1024 * 1024, 4096, 768), 768);
  // 4e6 / 2048 = 1953 sequences on 64 cards: 31 per card -> 1984.
  EXPECT_EQ(GlobalBatchFor(4e6, 2048, 64), 1984);
  // Default on 16384 cards: 16M tokens / 4096 = 4096 < 8192: a power of two.
  EXPECT_EQ(GlobalBatchFor(0, 4096, 16384), 4096);
}

// More cards than twice the target sequences: the odd part of the cluster
// size times the power of two nearest the target, so dp reaches the batch
// with tp × pp a power of two. 2,432 = 19 × 128 cards, target 1,024
// sequences: 1,216 (19 × 64; a power of two, 1,024, is divided by dp <= 128
// only); 2,560 = 5 × 512: 1,280; 3,072 = 3 × 1,024: 768 (not 1,024, which
// would need tp × pp = 3).
TEST(ThroughputTest, APartWithoutTheWorkloadsPrecisionTrainsAtTheBestItHas) {
  const Catalog catalog = *Catalog::LoadEmbedded();
  const ModelSpec model = **catalog.FindModel("llama-2-7b");
  TrainSettings settings;
  settings.precision = Precision::kFp8;
  const ThroughputFn throughput = MakeSearchThroughput(catalog, model, settings);
  const Throughput a800 = throughput("a800-sxm-80gb", 8);  // Ampere: no fp8 units
  ASSERT_TRUE(a800.fits) << a800.reason;
  EXPECT_EQ(a800.layout.precision, Precision::kBf16);
  const Throughput h800 = throughput("h800-sxm-80gb", 8);
  ASSERT_TRUE(h800.fits) << h800.reason;
  EXPECT_EQ(h800.layout.precision, Precision::kFp8);
}

TEST(ThroughputTest, GlobalBatchOnLargeClustersKeepsDataParallelismOpen) {
  EXPECT_EQ(GlobalBatchFor(0, 4096, 2432), 1216);
  EXPECT_EQ(GlobalBatchFor(0, 4096, 2560), 1280);
  EXPECT_EQ(GlobalBatchFor(0, 4096, 3072), 768);
  EXPECT_EQ(GlobalBatchFor(0, 4096, 4096), 1024);
  EXPECT_EQ(GlobalBatchFor(0, 4096, 5120), 1280);
  EXPECT_EQ(GlobalBatchFor(0, 4096, 2048), 2048);  // a multiple of the cluster (1 per card)
  for (int gpus = 2056; gpus <= 8192; gpus += 8) {
    const int batch = GlobalBatchFor(0, 4096, gpus);
    int odd = gpus;
    while (odd % 2 == 0) odd /= 2;
    ASSERT_EQ(batch % odd, 0) << gpus;
    const int dp = std::min(batch, gpus);
    ASSERT_EQ(gpus % dp == 0 ? (gpus / dp) & (gpus / dp - 1) : 1, 0) << gpus << " cards, batch " << batch;
  }
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

// `fit` and `compare` give one minimum: compare's MinFitFn and the options
// `suanli fit` builds (its default sequence length, bf16, global batch from
// the min-fit rule) reach the same search.
TEST(CompareTest, MinimumToFitIsFitsAnswer) {
  const Catalog catalog = *Catalog::LoadEmbedded();
  for (const auto& [model_id, accel_id] : {std::pair<const char*, const char*>{"llama-2-70b", "ascend-910b"},
                                           {"llama-2-70b", "a100-sxm-40gb"},
                                           {"llama-2-13b", "rtx-4090"}}) {
    const ModelSpec& model = **catalog.FindModel(model_id);
    const Accelerator& accel = **catalog.FindAccelerator(accel_id);
    const MinFitFn compare_min = MakeSearchMinFit(catalog, model, TrainSettings{}, 16384);
    SearchOptions fit_options;  // as cmd_fit.cc builds them without flags
    fit_options.seq_len =
        static_cast<int>(model.max_seq_len > 0 && model.max_seq_len < 4096 ? model.max_seq_len : 4096);
    const MinFit fit = MinTrainingDevicesOf(catalog, model, accel, fit_options, 16384);
    ASSERT_TRUE(fit.found) << model_id << " on " << accel_id;
    EXPECT_EQ(compare_min(accel_id), fit.devices) << model_id << " on " << accel_id;
  }
}

// A candidate without the requested precision trains at its best one and
// says so: fp8 asked, the A800 (no fp8 peak) ran at bf16 silently before.
TEST(CompareTest, CandidateWithoutThePrecisionSaysWhichItRanAt) {
  const Catalog catalog = *Catalog::LoadEmbedded();
  const ModelSpec& model = **catalog.FindModel("llama-3-8b");
  TrainSettings settings;
  settings.precision = Precision::kFp8;
  const ThroughputFn searched = MakeSearchThroughput(catalog, model, settings);
  EXPECT_EQ(searched("a800-sxm-80gb", 8).precision, Precision::kBf16);
  EXPECT_EQ(searched("h100-sxm-80gb", 8).precision, Precision::kFp8);
  const ThroughputFn fake = [](const std::string& accelerator, int gpus) {
    Throughput t = Fake(accelerator, gpus);
    t.precision = accelerator == "slow" ? Precision::kBf16 : Precision::kFp8;
    return t;
  };
  auto r = CompareClusters("m", "a800", 100, {"slow", "capped"}, fake, nullptr, 0, 1024, "CNY", nullptr,
                           Precision::kFp8);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->precision, Precision::kFp8);
  EXPECT_EQ(r->reference_precision, Precision::kFp8);
  EXPECT_EQ(r->candidates[0].precision, Precision::kBf16);
  EXPECT_EQ(r->candidates[1].precision, Precision::kFp8);
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

// Two candidates on the same card count (104 unpriced cards each): the ★
// goes to the faster whatever the order of --candidates; the report stars
// the first of tied rows (report/compare_report.h BestCandidate), so the
// winner comes first among them and the others keep their order.
TEST(CompareTest, TiesOnCardCountGoToTheFasterInEitherOrder) {
  for (const std::vector<std::string>& order :
       {std::vector<std::string>{"plain", "fast", "slow"}, std::vector<std::string>{"slow", "fast", "plain"},
        std::vector<std::string>{"fast", "plain", "slow"}}) {
    auto r = CompareClusters("m", "a800", 100, order, Fake, nullptr, 0, 1024, "CNY");
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    const int best = BestCompareEntry(*r);
    ASSERT_GE(best, 0);
    const CompareEntry& b = r->candidates[static_cast<size_t>(best)];
    EXPECT_EQ(b.accelerator, "fast") << order[0];
    EXPECT_EQ(b.gpus, 104);
    for (int i = 0; i < best; ++i) {
      EXPECT_FALSE(SameRecommendationKey(r->candidates[static_cast<size_t>(i)], b)) << order[0];
    }
    // "plain" ties "fast" on 104 cards and sits after it.
    const auto at = [&](const char* id) {
      return std::find_if(r->candidates.begin(), r->candidates.end(),
                          [&](const CompareEntry& e) { return e.accelerator == id; }) - r->candidates.begin();
    };
    EXPECT_LT(at("fast"), at("plain")) << order[0];
  }
}

// Equal cost and equal speed: the fewer cards, then the lower id decide.
TEST(CompareTest, RecommendBeforeBreaksTiesByThroughputThenCostThenId) {
  CompareEntry a, b;
  a.accelerator = "b-card";
  b.accelerator = "a-card";
  a.matched = b.matched = true;
  a.gpus = b.gpus = 64;
  a.tokens_per_s = b.tokens_per_s = 1000;
  EXPECT_TRUE(RecommendBefore(b, a));  // the id
  a.tokens_per_s = 1001;
  EXPECT_TRUE(RecommendBefore(a, b));  // the throughput first
  a.price = b.price = CardPrice{"q", "Q", 100, 64, 1, Condition::kNew, 0, {}, 0};
  a.cost = b.cost = 6400;
  EXPECT_TRUE(RecommendBefore(a, b));  // same cost: the faster
  b.cost = 6300;
  EXPECT_TRUE(RecommendBefore(b, a));  // the cheaper first
}

// fit, compare and plan count the fewest cards at one precision: a card
// with fp16 and no bf16 (Hygon Z100L) trains at fp16, whose gradients take
// 2 bytes, not bf16's fp32 4 (aquila-7b at 2,048 tokens: compare and plan
// said 5 at bf16 where fit said 4 at fp16).
TEST(CompareTest, MinimumToFitCountsAtThePrecisionTheCardTrains) {
  const Catalog catalog = *Catalog::LoadEmbedded();
  const ModelSpec& model = **catalog.FindModel("aquila-7b");
  const Accelerator& z100l = **catalog.FindAccelerator("hygon-z100l");
  ASSERT_LE(z100l.PeakFlops(Precision::kBf16), 0);
  EXPECT_EQ(TrainingPrecisionOn(z100l, Precision::kBf16), Precision::kFp16);
  EXPECT_EQ(TrainingPrecisionOn(**catalog.FindAccelerator("ascend-910b"), Precision::kFp8), Precision::kBf16);
  EXPECT_EQ(TrainingPrecisionOn(**catalog.FindAccelerator("h20-96gb"), Precision::kFp8), Precision::kFp8);
  SearchOptions fit_options;  // as cmd_fit.cc builds them: fp16 on the Z100L (UsePrecisionFlag)
  fit_options.seq_len = 2048;
  fit_options.precision = Precision::kFp16;
  const MinFit fit = MinTrainingDevicesOf(catalog, model, z100l, fit_options, 16384);
  ASSERT_TRUE(fit.found);
  EXPECT_EQ(MakeSearchMinFit(catalog, model, TrainSettings{}, 16384)("hygon-z100l"), fit.devices);
  const ThroughputFn throughput = MakeSearchThroughput(catalog, model, TrainSettings{});
  EXPECT_EQ(throughput("hygon-z100l", 8).precision, Precision::kFp16);
}

}  // namespace
}  // namespace suanli
