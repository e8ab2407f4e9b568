// The compare report page: its charts, the recommendation, the quotes, Chinese captions.
#include "report/compare_html.h"

#include <gtest/gtest.h>

#include "core/date.h"
#include "core/i18n.h"
#include "market/costs.h"
#include "report/compare_report.h"

namespace suanli {
namespace {

// Returns a comparison with one cheap match, one dearer match and one that cannot match.
CompareResult SampleComparison() {
  CompareResult r;
  r.model = "aquila-7b";
  r.reference_accelerator = "a800-sxm-80gb";
  r.reference_gpus = 100;
  r.reference_tokens_per_s = 450000;
  r.reference_price = CardPrice{"a800-q", "Beijing distributor", 87500, 0, 1, Condition::kNew, 0, {}, 0};
  r.reference_cost = 8750000;
  r.currency = "CNY";
  auto entry = [](const std::string& accelerator, bool matched, int gpus, double tokens_per_s,
                  const std::string& bound) {
    CompareEntry e;
    e.accelerator = accelerator;
    e.matched = matched;
    e.gpus = gpus;
    e.tokens_per_s = tokens_per_s;
    e.ratio_to_reference = gpus / 100.0;
    e.bound = bound;
    e.why = e.why_text = bound == "cannot match" ? "does not fit" : "w";
    return e;
  };
  CompareEntry cheap = entry("rtx-4090", true, 256, 456000, "compute");
  cheap.price = CardPrice{"rtx-q", "retail", 13500, 0, 1, Condition::kNew, 0, {}, 0};
  cheap.cost = 256 * 13500.0;
  CompareEntry dear = entry("iluvatar-bi-v100", true, 344, 458000, "compute");
  dear.price = CardPrice{"ilu-q", "channel", 35000, 0, 1, Condition::kNew, 0, {}, 0};
  dear.cost = 344 * 35000.0;
  CompareEntry none = entry("mtt-s4000", false, 16384, 0, "cannot match");
  r.candidates = {dear, cheap, none};
  return r;
}

TEST(CompareHtml, ChartsRecommendationAndQuotes) {
  const CompareResult r = SampleComparison();
  EXPECT_EQ(BestCandidate(r), 1);  // the cheaper match
  CompareHtmlInput in;
  in.result = &r;
  in.region = "CN";
  in.tier = "enterprise";
  in.date = "2023-06-15";
  in.quotes = {{"rtx-q", "retail", "2023-06-01", "https://example.org/rtx", "no warranty"}};
  const std::string html = CompareReportHtml(in);
  EXPECT_NE(html.find("data-chart=\"cards\""), std::string::npos);
  EXPECT_NE(html.find("data-chart=\"cost\""), std::string::npos);
  EXPECT_NE(html.find("data-chart=\"per-card\""), std::string::npos);
  EXPECT_NE(html.find("Cheapest match: 256 × rtx-4090 (2.56× the reference&#39;s cards)"), std::string::npos);
  EXPECT_NE(html.find("https://example.org/rtx"), std::string::npos);
  EXPECT_NE(html.find("no warranty"), std::string::npos);
  EXPECT_NE(html.find("\"2.56×\""), std::string::npos);     // the ratio label over the bar
  EXPECT_NE(html.find("cannot match"), std::string::npos);  // the candidate that cannot match
  EXPECT_NE(html.find("100 × a800-sxm-80gb"), std::string::npos);
}

TEST(CompareHtml, ChineseCaptions) {
  const CompareResult r = SampleComparison();
  CompareHtmlInput in;
  in.result = &r;
  SetLanguage(Language::kChinese);
  const std::string html = CompareReportHtml(in);
  const std::string text = CompareReportText(r);
  const auto missing = MissingTranslations();
  SetLanguage(Language::kEnglish);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find(TrIn(Language::kChinese, "Cards needed to match the reference (labels: cards relative to "
                                               "the reference)")),
            std::string::npos);
  EXPECT_EQ(html.find("Cards needed to match"), std::string::npos);
  EXPECT_NE(text.find("万元"), std::string::npos);
  EXPECT_TRUE(missing.empty()) << missing.front();
}

TEST(CompareReport, CsvHasPlainNumbersAndNoMarks) {
  const CompareResult r = SampleComparison();
  const std::string csv = CompareCandidatesTable(r, CompareTableUse::kData).RenderCsv();
  EXPECT_NE(csv.find("rtx-4090,256,2.56,456000,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("★"), std::string::npos);
  EXPECT_NE(CompareReportText(r).find("rtx-4090 ★"), std::string::npos);
}

// A layout next to a number names what decides it (zero, recompute, vp,
// micro-batch), and the page gives the train command that reproduces it.
TEST(CompareHtml, LayoutsCarryTheirSettingsAndTrainCommands) {
  CompareResult r = SampleComparison();
  r.candidates[1].layout.pp = 4;
  r.candidates[1].layout.dp = 64;
  r.candidates[1].layout.vp = 4;
  r.candidates[1].layout.zero = 2;
  r.candidates[1].layout.recompute = Recompute::kNone;
  r.candidates[1].layout.global_batch = 1984;
  CompareHtmlInput in;
  in.result = &r;
  in.rerun = {"models/my model.json", {}};
  const std::string html = CompareReportHtml(in);
  EXPECT_NE(html.find("tp1 pp4 dp64 vp4 mb1 zero2 none"), std::string::npos);
  EXPECT_NE(html.find("suanli train --model &#39;models/my model.json&#39; --accel rtx-4090 --gpus 256 --tp 1 "
                      "--pp 4 --dp 64 --vp 4 --micro-batch 1 --global-batch 1984"),
            std::string::npos);
  // The text and JSON give the same command.
  const std::string command = CompareTrainCommand(r, in.rerun, "rtx-4090", 256, r.candidates[1].layout);
  EXPECT_NE(CompareReportText(r, in.rerun).find(command), std::string::npos);
  EXPECT_EQ(CompareReportJson(r, in.rerun)["candidates"][1]["train_command"], command);
  EXPECT_TRUE(CompareReportJson(r, in.rerun)["candidates"][2]["train_command"].is_null());  // cannot match
}

// A card an export rule stops the buyer buying is never the recommendation
// (was: 1,080 × h800-sxm-80gb starred for a CN buyer in late 2026 while the
// price section said H800 was blocked): the star, JSON `best` and the page's
// verdict go to the best buyable match; the blocked row stays, marked, with
// the reason; with every match blocked the report says there is none.
TEST(CompareReport, BlockedCardIsNeverTheRecommendation) {
  CompareResult r = SampleComparison();
  r.region = "CN";
  r.tier = "enterprise";
  r.price_date = *ParseDate("2026-12-01");
  CompareEntry& cheap = r.candidates[1];  // rtx-4090, 256 cards, the cheapest match
  cheap.price.reset();
  cheap.cost = 0;
  cheap.gpus = 200;  // also the fewest cards
  cheap.blocked = {"rtx-4090: not sold to CN buyers (ban)", "rtx-4090: not sold to CN buyers (ban)"};
  r.candidates[0].price.reset();  // iluvatar: a match without a usable quote
  r.candidates[0].no_price = {"1 quote stale", "1 quote stale"};
  EXPECT_EQ(BestCandidate(r), 0);
  const std::string text = CompareReportText(r);
  EXPECT_NE(text.find("fewest cards to match: 344 × iluvatar-bi-v100"), std::string::npos) << text;
  EXPECT_EQ(text.find("rtx-4090 ★"), std::string::npos) << text;
  EXPECT_NE(text.find("banned for this buyer: rtx-4090: not sold to CN buyers (ban)"), std::string::npos) << text;
  EXPECT_NE(text.find("no quote"), std::string::npos) << text;  // the iluvatar cost cell, not a bare "-"
  EXPECT_NE(text.find("card cost \"banned\""), std::string::npos) << text;
  const nlohmann::json json = CompareReportJson(r);
  EXPECT_EQ(json["best"], "iluvatar-bi-v100");
  EXPECT_EQ(json["candidates"][1]["buyable"], false);
  EXPECT_EQ(json["candidates"][1]["blocked_reason"], "rtx-4090: not sold to CN buyers (ban)");
  const std::string csv = CompareCandidatesTable(r, CompareTableUse::kData).RenderAs(TableFormat::kCsv);
  EXPECT_NE(csv.find("banned: rtx-4090"), std::string::npos) << csv;
  EXPECT_EQ(json["candidates"][1]["blocked_by"], "ban");
  CompareHtmlInput in;
  in.result = &r;
  EXPECT_NE(CompareReportHtml(in).find("Fewest cards to match: 344 × iluvatar-bi-v100"), std::string::npos);

  r.candidates[0].blocked = cheap.blocked;  // every match blocked
  EXPECT_EQ(BestCandidate(r), -1);
  EXPECT_EQ(CompareReportJson(r)["best"], nullptr);
  EXPECT_NE(CompareReportText(r).find("No match the buyer may buy"), std::string::npos);
  EXPECT_NE(CompareReportHtml(in).find("No match the buyer may buy"), std::string::npos);
}

// A licence-required rule reads "licence required" (en and zh), not
// "blocked"/"禁售" (banned), and says how to price it for a licence holder.
TEST(CompareReport, LicenceRequiredIsNotABan) {
  CompareResult r = SampleComparison();
  r.region = "CN";
  r.tier = "enterprise";
  r.price_date = *ParseDate("2026-12-01");
  CompareEntry& h20 = r.candidates[1];
  h20.price.reset();
  h20.blocked = {"h20-96gb: export licence required", "h20-96gb: export licence required"};
  h20.blocked_licence = true;
  const std::string text = CompareReportText(r);
  EXPECT_NE(text.find("card cost \"licence required\": a CN enterprise buyer needs an export licence"),
            std::string::npos) << text;
  EXPECT_NE(text.find("licence required for this buyer: h20-96gb"), std::string::npos) << text;
  EXPECT_EQ(text.find("banned"), std::string::npos) << text;
  EXPECT_EQ(CompareReportJson(r)["candidates"][1]["blocked_by"], "licence-required");
  SetLanguage(Language::kChinese);
  const std::string zh = CompareReportText(r);
  SetLanguage(Language::kEnglish);
  EXPECT_NE(zh.find("需许可证"), std::string::npos) << zh;
  EXPECT_EQ(zh.find("禁售"), std::string::npos) << zh;
}

// A used card without warranty: its condition on every output, the
// planner's expected replacements over the training days added, and the ★
// by purchase plus replacements (was: 3,136 used A100 starred at the card
// price alone, nothing saying they were used).
TEST(CompareReport, UsedCardsShowConditionAndReplacementRisk) {
  CompareResult r = SampleComparison();
  r.tokens = 1e12;
  CompareEntry& used = r.candidates[1];  // rtx-4090, the cheapest by purchase
  used.price->condition = Condition::kUsedPulled;
  used.train_days = 12 * kDaysPerMonth;  // 12 months held
  r.candidates[0].train_days = 12 * kDaysPerMonth;
  PriceUsedCardRisk(r, 0.25);
  // 256 cards x 0.25/yr x 12 months / 12 x 13,500 (market/costs.h ExpectedReplacementCost).
  EXPECT_NEAR(used.replacement_risk, ExpectedReplacementCost(256, 13500, 0.25, 12, 0), 1e-6);
  EXPECT_NEAR(used.replacement_risk, 864000, 1);
  EXPECT_EQ(r.candidates[0].replacement_risk, 0);  // new cards
  EXPECT_EQ(BestCandidate(r), 1);  // 3.456M + 0.864M < 12.04M
  used.price->price_per_card = 40000;  // dearer used cards: 10.24M + 2.56M > 12.04M
  used.cost = 256 * 40000.0;
  PriceUsedCardRisk(r, 0.25);
  EXPECT_EQ(BestCandidate(r), 0);  // the replacements decide
  const std::string text = CompareReportText(r);
  EXPECT_NE(text.find("used-pulled, no warranty; expected replacements"), std::string::npos) << text;
  const nlohmann::json json = CompareReportJson(r);
  EXPECT_EQ(json["candidates"][1]["price"]["condition"], "used-pulled");
  EXPECT_EQ(json["candidates"][1]["price"]["warranty_months"], 0);
  EXPECT_NEAR(json["candidates"][1]["replacement_risk"].get<double>(), 2560000, 1);
  EXPECT_EQ(json["candidates"][0]["replacement_risk"], 0.0);
  const std::string csv = CompareCandidatesTable(r, CompareTableUse::kData).RenderAs(TableFormat::kCsv);
  EXPECT_NE(csv.find("used-pulled"), std::string::npos) << csv;
  EXPECT_NE(csv.find("2560000"), std::string::npos) << csv;
  // Without --tokens the risk is not priced, and the report says so.
  r.tokens = 0;
  PriceUsedCardRisk(r, 0.25);
  EXPECT_EQ(used.replacement_risk, 0);
  EXPECT_NE(CompareReportText(r).find("replacement risk not priced"), std::string::npos);
  EXPECT_EQ(CompareReportJson(r)["candidates"][1]["replacement_risk"], nullptr);
}

// One rounding of the ratio to the reference for JSON and CSV (was: 3136/1024
// = 3.0625 printed 3.062 in CSV and 3.063 in JSON).
TEST(CompareReport, RatioRoundedOnceForEveryFormat) {
  CompareResult r = SampleComparison();
  r.reference_gpus = 1024;
  r.candidates[1].gpus = 3136;
  r.candidates[1].ratio_to_reference = 3136.0 / 1024;
  EXPECT_EQ(CompareReportJson(r)["candidates"][1]["ratio_to_reference"], 3.063);
  const std::string csv = CompareCandidatesTable(r, CompareTableUse::kData).RenderAs(TableFormat::kCsv);
  EXPECT_NE(csv.find(",3.063,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("3.062"), std::string::npos) << csv;
}

// Every row trains at the reference's global batch, and the report says it
// in tokens per step; were a row's batch to differ, the heading no longer
// claims "the same batch" and each command names its tokens per step (was:
// "the same batch and settings" over --global-batch 128 and 176).
TEST(CompareReport, BatchInTokensPerStepAndTrueHeading) {
  CompareResult r = SampleComparison();
  r.reference_layout.global_batch = 128;
  r.reference_layout.seq_len = 32768;
  for (CompareEntry& e : r.candidates) e.layout = r.reference_layout;
  ASSERT_TRUE(SameBatchEverywhere(r));
  std::string text = CompareReportText(r);
  EXPECT_NE(text.find("every row at the reference's global batch, 128 sequences × 32,768 tokens = 4.194M tokens "
                      "per step"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("4.194M tokens per step, cards cost"), std::string::npos) << text;  // the reference line
  EXPECT_EQ(CompareReportJson(r)["batch"]["tokens_per_step"], 128.0 * 32768);
  EXPECT_EQ(CompareReportJson(r)["candidates"][0]["tokens_per_step"], 128.0 * 32768);
  EXPECT_NE(CompareCandidatesTable(r, CompareTableUse::kData).RenderAs(TableFormat::kCsv).find("4194304"),
            std::string::npos);

  r.candidates[1].layout.global_batch = 176;  // a row at another batch
  EXPECT_FALSE(SameBatchEverywhere(r));
  text = CompareReportText(r);
  EXPECT_EQ(text.find("the same batch"), std::string::npos) << text;
  EXPECT_NE(text.find("the global batch differs between rows"), std::string::npos) << text;
  EXPECT_NE(text.find("rtx-4090 × 256 at 5.767M tokens per step"), std::string::npos) << text;
  EXPECT_EQ(CompareReportJson(r)["batch"]["same_for_every_row"], false);
}

}  // namespace
}  // namespace suanli
