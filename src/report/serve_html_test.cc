// The serve report page: its charts by name, the key facts, Chinese captions.
#include "report/serve_html.h"

#include <gtest/gtest.h>

#include "core/i18n.h"
#include "report/serve_choice_report.h"
#include "report/serve_report.h"

namespace suanli {
namespace {

ServeSubject Subject() {
  ServeSubject s;
  s.model = "llama-2-70b";
  s.accelerator = "h800-sxm-80gb";
  s.engine = "vllm";
  s.traffic.rate_rps = 20;
  s.traffic.input.mean_tokens = 2000;
  s.traffic.output.mean_tokens = 300;
  s.slo = ServingSlo{2.0, 0.05, 99};
  return s;
}

SimulationResult Service(double ttft_s, double tpot_s, double tokens_per_s, bool meets) {
  SimulationResult r;
  r.requests = r.completed = 600;
  r.ttft = {ttft_s, ttft_s, ttft_s * 1.5, ttft_s * 2, ttft_s * 2, 600};
  r.tpot = {tpot_s, tpot_s, tpot_s * 1.2, tpot_s * 1.4, tpot_s * 1.4, 600};
  r.output_tokens_per_s = tokens_per_s;
  r.meets_slo = meets;
  return r;
}

CapacityResult Feasible() {
  CapacityResult result;
  result.feasible = true;
  result.layouts = 12;
  result.simulations = 40;
  CapacityAnswer a;
  a.layout.tp = 4;
  a.replicas = 3;
  a.devices = 12;
  a.service = Service(0.8, 0.03, 1800, true);
  result.answers.push_back(a);
  return result;
}

ServeSweep DeviceSweep() {
  ServeSweep sweep;
  sweep.axis = SweepAxis::kDevices;
  for (int n = 1; n <= 6; ++n) {
    sweep.points.push_back({n, 4 * n, 20, Service(8.0 / n, 0.1 / n, 1000.0 * n, n >= 3)});
  }
  return sweep;
}

TEST(ServeHtml, CapacityPageHasLatencyAndThroughputChartsAndTheFacts) {
  const HtmlPage page = CapacityPage(Subject(), Feasible(), DeviceSweep());
  EXPECT_EQ(page.ChartCount(), 2u);
  const std::string html = page.Render();
  EXPECT_NE(html.find("data-chart=\"latency\""), std::string::npos);
  EXPECT_NE(html.find("data-chart=\"throughput\""), std::string::npos);
  EXPECT_NE(html.find("llama-2-70b"), std::string::npos);
  EXPECT_NE(html.find("h800-sxm-80gb"), std::string::npos);
  EXPECT_NE(html.find("20 req/s Poisson"), std::string::npos);
  EXPECT_NE(html.find("TTFT 2,000 ms, TPOT 50.0 ms at P99"), std::string::npos);
  EXPECT_NE(html.find("12 devices"), std::string::npos);  // the answer
  EXPECT_NE(html.find("TTFT P99"), std::string::npos);     // a latency series
}

// One accelerator whose xPyD pools (66 devices) beat aggregated (80) with
// neither priced, as Qwen2.5-72B on H20 at 20 req/s for a CN buyer.
ServeChoice XpydChoice() {
  AcceleratorOption o;
  o.accelerator = "h20-96gb";
  o.feasible = true;
  o.aggregated = Feasible();
  o.aggregated.answers.front().devices = 80;
  o.answer_costs.resize(1);
  DisaggregatedAnswer& d = o.disaggregated;
  d.feasible = true;
  d.prefill_replicas = 54;
  d.decode_replicas = 6;
  d.decode_layout.pp = 2;
  d.devices = 66;
  d.prefill_service = Service(2.1, 0, 0, true);
  d.decode_service = Service(0.5, 0.046, 0, true);
  d.decode_service.tpot.at_slo_percentile_s = 0.046;
  d.ttft_at_slo_s = 2.856;
  d.transfer_prompt_tokens = 3000;
  d.transfer_kv_bytes = d.transfer_share_bytes = 983e6;
  d.link_Bps = 50e9;
  d.transfer_s = d.transfer_share_bytes / d.link_Bps;
  o.disaggregated_chosen = true;
  o.devices = 66;
  ServeChoice choice;
  choice.options.push_back(o);
  return choice;
}

// The tester's page said "66 devices ... (xPyD)" but showed only the
// aggregated 80-device layout, never the chosen answer's latencies.
TEST(ServeHtml, ChosenXpydAnswerShowsItsPoolsAndLatencies) {
  const std::string html = CapacityPage(Subject(), XpydChoice(), DeviceSweep()).Render();
  EXPECT_NE(html.find("66 devices"), std::string::npos);
  EXPECT_NE(html.find("2,856"), std::string::npos);  // the fleet's TTFT at the percentile
  EXPECT_NE(html.find("46.0"), std::string::npos);   // the decode pool's TPOT
  EXPECT_NE(html.find("tp1 pp2"), std::string::npos);  // the decode pool's layout
  EXPECT_NE(html.find("compared, not chosen"), std::string::npos);
  EXPECT_NE(html.find("to check this xPyD answer"), std::string::npos);
}

// Picked for fewer devices when neither mode is priced: not "cheaper".
TEST(ServeReport, XpydChosenWithoutPricesSaysFewerDevices) {
  const ServeChoice choice = XpydChoice();
  const AcceleratorOption& o = choice.options.front();
  EXPECT_EQ(ChoiceBasisText(o), "fewer devices than aggregated: 66 vs 80; neither mode is priced");
  EXPECT_EQ(ChosenAnswerText(o).find("cheaper"), std::string::npos) << ChosenAnswerText(o);
  const std::string text = ServeChoiceText(Subject(), XpydChoice());
  EXPECT_EQ(text.find("cheaper than aggregated"), std::string::npos) << text;
  EXPECT_NE(text.find("19.7 ms"), std::string::npos) << text;  // 983 MB / 50 GB/s
}

// Nothing priced: the ranking says it ranks by devices, and marks an
// accelerator the buyer cannot buy.
TEST(ServeReport, RankingHeadingSaysWhatItRanksBy) {
  ServeChoice choice = XpydChoice();
  choice.options.push_back(choice.options.front());
  choice.options.back().accelerator = "h100-sxm-80gb";
  choice.options.back().pricing.blocked_reason = "banned";
  EXPECT_EQ(RankingHeading(choice).find("cost per million"), std::string::npos) << RankingHeading(choice);
  EXPECT_NE(RankingHeading(choice).find("ranked by devices"), std::string::npos);
  EXPECT_NE(ChoiceTable(choice, 99).Render().find("(blocked)"), std::string::npos);
}

TEST(ServeHtml, InfeasibleCapacityHasNoChartsAndSaysWhy) {
  CapacityResult result;
  result.reason = result.reason_text = "the TPOT target is below the fastest lone decode step";
  const HtmlPage page = CapacityPage(Subject(), result, ServeSweep{});
  EXPECT_EQ(page.ChartCount(), 0u);
  EXPECT_NE(page.Render().find("no feasible answer"), std::string::npos);
}

TEST(ServeHtml, LoadSweepOfOneLayout) {
  ServeRun run;
  run.layout.tp = 2;
  run.replicas = 2;
  run.service = Service(0.5, 0.02, 3000, true);
  ServeSweep sweep;
  sweep.axis = SweepAxis::kLoad;
  for (double rate : {5.0, 10.0, 20.0, 40.0}) sweep.points.push_back({2, 4, rate, Service(rate / 40, 0.02, rate * 100, rate < 30)});
  const HtmlPage page = ServeRunPage(Subject(), run, sweep);
  EXPECT_EQ(page.ChartCount(), 2u);
  EXPECT_NE(page.Render().find("offered load (req/s)"), std::string::npos);
}

// The answer box quotes the SLO's percentile (P99 here), the one the verdict judges, not P90.
TEST(ServeHtml, AnswerBoxQuotesTheSloPercentile) {
  ServeRun run;
  run.layout.tp = 2;
  run.replicas = 1;
  run.verdict.served = true;
  run.service = Service(0.4, 0.04, 3000, false);  // P90 600 ms / 48 ms, P99 800 ms / 56 ms
  const std::string html = ServeRunPage(Subject(), run, ServeSweep{}).Render();
  EXPECT_NE(html.find("TTFT P99 800 ms, TPOT P99 56.0 ms"), std::string::npos);
  EXPECT_EQ(html.find("TTFT P90 600 ms"), std::string::npos);
}

// A percentile besides P50/P90/P99 gets its own column; the usual ones do not repeat.
TEST(ServeReport, LatencyTableShowsTheSloPercentile) {
  const SimulationResult r = Service(0.4, 0.04, 3000, false);
  EXPECT_EQ(LatencyTable(r, 99).Header(), (std::vector<std::string>{"latency (ms)", "P50", "P90", "P99"}));
  const TextTable table = LatencyTable(r, 95);
  EXPECT_EQ(table.Header(), (std::vector<std::string>{"latency (ms)", "P50", "P90", "P95", "P99"}));
  EXPECT_EQ(table.Rows()[0][3], "800.0");  // at_slo_percentile_s
}

// DP attention and expert parallelism are part of every layout shown, and the flags replay it.
TEST(ServeReport, LayoutsCarryDpAttentionAndEp) {
  CapacityResult result = Feasible();
  CapacityAnswer& a = result.answers.front();
  a.layout.tp = 1;
  a.layout.dp_attention = 8;
  a.layout.ep = 8;
  a.layout.weights = Precision::kFp8;
  a.replicas = 1;
  a.devices = 8;
  EXPECT_EQ(ServingLayoutText(a.layout),
            "tp 1, dp-attention 8, pp 1, ep 8, fp8 weights, bf16 KV, max batch 256, budget 8,192 tokens");
  EXPECT_EQ(ServingRanksShort(a.layout), "tp1 dp-attention8 pp1 ep8");
  EXPECT_EQ(ServeLayoutFlags(a.layout, 8),
            "--gpus 8 --tp 1 --dp-attention 8 --pp 1 --ep 8 --weights fp8 --kv bf16 --max-batch 256 "
            "--prefill-budget 8192");
  const TextTable table = CapacityTable(Subject(), result);
  EXPECT_EQ(table.Header()[4], "dp-attention");
  EXPECT_EQ(table.Header()[6], "ep");
  EXPECT_EQ(table.Rows()[0][4], "8");
  const nlohmann::json json = CapacityJson(Subject(), result);
  EXPECT_EQ(json["answers"][0]["layout"]["dp_attention"], 8);
  EXPECT_EQ(json["answers"][0]["layout"]["ep"], 8);
  EXPECT_NE(CapacityText(Subject(), result).find("--dp-attention 8"), std::string::npos);
}

// CSV cells are plain numbers; text that only looks numeric in part stays.
TEST(ServeReport, PlainNumbersDropsThousandsSeparators) {
  TextTable table({"devices", "tok/s", "layout"});
  table.AddRow({"1,350", "12,345.6", "1x tp1 pp1, fp8"});
  table.AddRow({"8", "56.7", "a,b"});
  const TextTable plain = PlainNumbers(table);
  EXPECT_EQ(plain.Rows()[0], (std::vector<std::string>{"1350", "12345.6", "1x tp1 pp1, fp8"}));
  EXPECT_EQ(plain.Rows()[1], (std::vector<std::string>{"8", "56.7", "a,b"}));
}

// A layout that served nothing (every prompt longer than the KV cache) says
// why, in the text, JSON and page, and shows no latencies of zero.
TEST(ServeHtml, UnservedRunShowsTheReasonNotZeroLatencies) {
  ServeRun run;
  run.replicas = 1;
  run.service.requests = run.service.rejected = 2000;
  run.verdict = {false, "2,000 of 2,000 requests were rejected", "2,000 of 2,000 requests were rejected"};
  const std::string text = ServeRunText(Subject(), run);
  EXPECT_NE(text.find("no feasible answer: 2,000 of 2,000 requests were rejected"), std::string::npos) << text;
  EXPECT_EQ(text.find("latency (ms)"), std::string::npos) << text;
  EXPECT_EQ(text.find("throughput"), std::string::npos) << text;
  const nlohmann::json json = ServeRunJson(Subject(), run);
  EXPECT_EQ(json["feasible"], false);
  EXPECT_EQ(json["reason"], "2,000 of 2,000 requests were rejected");
  EXPECT_TRUE(json["service"]["ttft"]["p50_ms"].is_null());
  const HtmlPage page = ServeRunPage(Subject(), run, ServeSweep{});
  EXPECT_EQ(page.ChartCount(), 0u);
  const std::string html = page.Render();
  EXPECT_NE(html.find("no feasible answer"), std::string::npos);
  EXPECT_EQ(html.find("Simulated latency"), std::string::npos);
}

TEST(ServeHtml, CountsReadAsEnglishAndChinese) {
  EXPECT_EQ(ReplicasText(1), "1 replica");
  EXPECT_EQ(ReplicasText(2), "2 replicas");
  EXPECT_EQ(DevicesText(1), "1 device");
  EXPECT_EQ(DevicesText(1024), "1,024 devices");
  ServeRun run;
  run.replicas = 1;
  EXPECT_EQ(ServeRunLayoutLine(run).find("(s)"), std::string::npos);
  EXPECT_NE(ServeRunLayoutLine(run).find("1 replica x ("), std::string::npos);
  EXPECT_NE(ServeRunLayoutLine(run).find(") = 1 device"), std::string::npos);
  SetLanguage(Language::kChinese);
  const std::string one = ReplicasText(1), many = DevicesText(8);
  SetLanguage(Language::kEnglish);
  EXPECT_EQ(one, "1 个副本");
  EXPECT_EQ(many, "8 张卡");
}

TEST(ServeHtml, ChineseCaptionsAndFacts) {
  SetLanguage(Language::kChinese);
  const std::string html = CapacityPage(Subject(), Feasible(), DeviceSweep()).Render();
  SetLanguage(Language::kEnglish);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(html.find(TrIn(Language::kChinese, "Latency and throughput against the number of devices")),
            std::string::npos);
  EXPECT_NE(TrIn(Language::kChinese, "Latency and throughput against the number of devices"),
            "Latency and throughput against the number of devices");
  EXPECT_NE(html.find(TrIn(Language::kChinese, "latency targets (SLO)")), std::string::npos);
  EXPECT_EQ(html.find("Latency and throughput against"), std::string::npos);
}

TEST(ServeHtml, ValidationPageChartsPredictedAgainstPublished) {
  std::vector<ServingCheck> checks(2);
  checks[0].row.id = "r1";
  checks[0].row.metric = "ttft_ms";
  checks[0].row.value = 100;
  checks[0].predicted = true;
  checks[0].prediction = 110;
  checks[1].row.id = "r2";
  checks[1].row.metric = "tpot_ms";
  checks[1].row.value = 20;
  checks[1].reason = "unknown accelerator";
  const HtmlPage page = ServingValidationPage("runs.csv", checks);
  EXPECT_EQ(page.ChartCount(), 1u);
  const std::string html = page.Render();
  EXPECT_NE(html.find("data-chart=\"validation\""), std::string::npos);
  EXPECT_NE(html.find("unknown accelerator"), std::string::npos);
}

}  // namespace
}  // namespace suanli
