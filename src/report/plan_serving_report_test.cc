#include "report/plan_serving_report.h"

#include <gtest/gtest.h>

#include "core/i18n.h"

namespace suanli {
namespace {

ServingPlanResult OneOption() {
  ServingWorkloadPlan w;
  w.workload.name = "chat";
  w.workload.model = "llama-3-70b";
  w.workload.rate_rps = 10;
  w.workload.input_tokens = 2000;
  w.workload.output_tokens = 500;
  w.workload.tpot_ms = 50;
  w.status = PlanStatus::kFeasible;
  ServingNeed need;
  need.feasible = true;
  need.devices = 4;
  need.replicas = 1;
  need.layout.tp = 4;
  need.engine = "vllm";
  w.needs.emplace_back("h100-sxm-80gb", need);
  ServingNeed none;
  none.engine = "vllm";
  none.reason = "TPOT below the weight-read time";
  w.needs.emplace_back("tiny", none);
  ServingOption o;
  o.accelerator = "h100-sxm-80gb";
  o.mode = BuyMode::kRent;
  o.need = need;
  o.cards = 4;
  o.mix.push_back(MixPart{"h100-cloud", "cloud", 4, 0.5});
  o.cost.rental = o.cost.total = 758701;
  o.cost_per_mtok = 8.0133;
  w.options.push_back(o);
  w.recommendation.option = 0;
  w.recommendation.reasons = {"rent 4 h100-sxm-80gb"};
  ServingPlanResult result;
  result.workloads.push_back(w);
  return result;
}

TEST(PlanServingReport, TextJsonAndHtmlCarryTheFleetAndCostPerMtok) {
  SetLanguage(Language::kEnglish);
  const ServingPlanResult result = OneOption();
  PlanInput in;
  in.currency = "CNY";
  const std::string text = ServingPlanText(result, in);
  EXPECT_NE(text.find("Serving workload 1: chat"), std::string::npos) << text;
  EXPECT_NE(text.find("8.01 CNY"), std::string::npos) << text;
  EXPECT_NE(text.find("none meets the SLOs"), std::string::npos) << text;
  const nlohmann::json json = ServingPlanJson(result, in);
  EXPECT_EQ(json[0]["options"][0]["devices"], 4);
  EXPECT_EQ(json[0]["options"][0]["mode"], "rent");
  EXPECT_EQ(json[0]["fleet"][1]["feasible"], false);
  EXPECT_EQ(json[0]["fleet"][1]["reason"], "TPOT below the weight-read time");
  HtmlPage page("t", "s");
  AddServingSections(page, result, in);
  EXPECT_EQ(page.ChartCount(), 1u);  // cost per Mtok per option
}

// A tester's plan with constraints.max_devices 256 said only "none meets the
// SLOs" for an RTX 4090 that serve sizes at 278 devices: the text names the limit.
TEST(PlanServingReport, NoFleetNamesTheDeviceLimit) {
  SetLanguage(Language::kEnglish);
  ServingPlanResult result = OneOption();
  result.workloads[0].needs[1].second.max_devices = 256;
  PlanInput in;
  in.currency = "CNY";
  const std::string text = ServingPlanText(result, in);
  EXPECT_NE(text.find("none meets the SLOs within 256"), std::string::npos) << text;  // the cell wraps
  EXPECT_NE(text.find("(constraints.max_devices)"), std::string::npos) << text;
}

// A fleet of disaggregated pools reads as such in text and JSON.
TEST(PlanServingReport, XpydFleetShowsBothPools) {
  SetLanguage(Language::kEnglish);
  ServingPlanResult result = OneOption();
  ServingNeed& need = result.workloads[0].needs[0].second;
  need.disaggregated = true;
  need.devices = 66;
  need.prefill_replicas = 54;
  need.decode_replicas = 6;
  need.decode_layout.pp = 2;
  need.aggregated_devices = 80;
  PlanInput in;
  in.currency = "CNY";
  const std::string text = ServingPlanText(result, in);
  EXPECT_NE(text.find("54P + 6D"), std::string::npos) << text;
  EXPECT_NE(text.find("xPyD P tp1 pp1 + D tp1 pp2"), std::string::npos) << text;
  const nlohmann::json json = ServingPlanJson(result, in);
  EXPECT_EQ(json[0]["fleet"][0]["mode"], "disaggregated");
  EXPECT_EQ(json[0]["fleet"][0]["decode"]["pp"], 2);
  EXPECT_EQ(json[0]["fleet"][0]["aggregated_devices"], 80);
}

}  // namespace
}  // namespace suanli
