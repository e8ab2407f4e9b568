// The answers table of --format csv|md (both modes, the chosen first and
// marked), the replay line of a search and a trace's rescaled arrivals.
#include "report/serve_answers_table.h"

#include <gtest/gtest.h>

#include "report/serve_choice_report.h"
#include "report/serve_report.h"

namespace suanli {
namespace {

ServeSubject AnswersSubject() {
  ServeSubject s;
  s.model = "llama-3-70b";
  s.accelerator = "h20-96gb";
  s.engine = "vllm";
  s.traffic.rate_rps = 10;
  s.traffic.input.mean_tokens = 2000;
  s.traffic.output.mean_tokens = 500;
  s.slo = ServingSlo{2.0, 0.05, 90};
  return s;
}

SimulationResult AnswersService(double ttft_s, double tpot_s, double tokens_per_s) {
  SimulationResult r;
  r.ttft.at_slo_percentile_s = ttft_s;
  r.tpot.at_slo_percentile_s = tpot_s;
  r.output_tokens_per_s = tokens_per_s;
  return r;
}

// Aggregated 30 devices (15 x tp 2) against xPyD 25 (5 prefill x tp 1 + 10 decode x tp 2), neither priced.
AcceleratorOption AnswersOption(bool xpyd_chosen) {
  AcceleratorOption o;
  o.accelerator = "h20-96gb";
  o.feasible = true;
  o.aggregated.feasible = true;
  CapacityAnswer a;
  a.layout.tp = 2;
  a.layout.weights = a.layout.kv = Precision::kFp8;
  a.replicas = 15;
  a.devices = 30;
  a.service = AnswersService(0.8155, 0.0435, 5010);
  o.aggregated.answers = {a};
  o.answer_costs.resize(1);
  DisaggregatedAnswer& d = o.disaggregated;
  d.feasible = true;
  d.prefill_layout.tp = 1;
  d.decode_layout.tp = 2;
  d.prefill_replicas = 5;
  d.decode_replicas = 10;
  d.devices = 25;
  d.prefill_service = AnswersService(1.2, 0, 0);
  d.decode_service = AnswersService(0.1, 0.0402, 500);
  d.transfer_s = 0.0123;
  d.ttft_at_slo_s = 1.3123;
  o.disaggregated_chosen = xpyd_chosen;
  o.devices = xpyd_chosen ? 25 : 30;
  return o;
}

TEST(ServeAnswersTable, ChosenXpydAnswerIsRowOneWithItsPoolsAndMarkedChosen) {
  // As the CLI prints it: plain numbers, RFC 4180 line ends.
  const std::string csv = PlainNumbers(ServeAnswersTable(AnswersSubject(), AnswersOption(true), "CNY")).RenderCsv();
  EXPECT_EQ(csv,
            "#,mode,pool,devices,replicas,tp,pp,weights,KV,TTFT P90 ms,TPOT P90 ms,tok/s/dev,rent CNY/Mtok,"
            "buy CNY/Mtok,chosen\r\n"
            "1,xPyD,fleet,25,-,-,-,-,-,1312,40.2,200,-,-,yes\r\n"
            "1,xPyD,prefill,5,5,1,1,bf16,bf16,1200,-,-,-,-,yes\r\n"
            "1,xPyD,KV transfer,-,-,-,-,-,-,12.3,-,-,-,-,yes\r\n"
            "1,xPyD,decode,20,10,2,1,bf16,bf16,100.0,40.2,-,-,-,yes\r\n"
            "2,aggregated,-,30,15,2,1,fp8,fp8,815.5,43.5,167,-,-,no\r\n");
}

TEST(ServeAnswersTable, ChosenAggregatedAnswerComesFirstAndXpydAfter) {
  const TextTable table = ServeAnswersTable(AnswersSubject(), AnswersOption(false), "CNY");
  ASSERT_EQ(table.RowCount(), 5u);
  EXPECT_EQ(table.Rows()[0][1], "aggregated");
  EXPECT_EQ(table.Rows()[0].back(), "yes");
  EXPECT_EQ(table.Rows()[1][0], "2");
  EXPECT_EQ(table.Rows()[1][1], "xPyD");
  EXPECT_EQ(table.Rows()[1].back(), "no");
}

TEST(ServeAnswersTable, WideRanksWhenAnXpydPoolUsesDpAttention) {
  AcceleratorOption o = AnswersOption(true);
  o.disaggregated.decode_layout.dp_attention = 8;
  o.disaggregated.decode_layout.ep = 8;
  const TextTable table = ServeAnswersTable(AnswersSubject(), o, "CNY");
  EXPECT_EQ(table.Header()[6], "dp-attention");
  EXPECT_EQ(table.Rows()[3][6], "8");  // the decode pool
  EXPECT_EQ(table.Rows()[4][6], "1");  // the aggregated answer
}

TEST(ServeChoiceTable, RankingRowCarriesTheChosenModesLatencies) {
  ServeChoice choice;
  choice.prices.currency = "CNY";
  choice.options = {AnswersOption(true), AnswersOption(false)};
  choice.options[1].accelerator = "h800-sxm-80gb";
  const std::string csv = PlainNumbers(ChoiceTable(choice, 90)).RenderCsv();
  EXPECT_NE(csv.find("#,accelerator,mode,devices,layout,TTFT P90 ms,TPOT P90 ms,rent CNY/Mtok"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("1,h20-96gb,xPyD,25,5P tp1 pp1 bf16 + 10D tp2 pp1 bf16,1312,40.2,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("2,h800-sxm-80gb,aggregated,30,15x tp2 pp1 fp8,815.5,43.5,"), std::string::npos) << csv;
}

TEST(ServeReplayText, SaysWithoutSearchOnlyWhenSearchWasGiven) {
  CapacityAnswer a = AnswersOption(false).aggregated.answers.front();
  ServeSubject s = AnswersSubject();
  const std::string plain = ReplayText(s, "h20-96gb", a);
  EXPECT_EQ(plain.find("without --search"), std::string::npos) << plain;
  EXPECT_NE(plain.find("this command with --accel h20-96gb --gpus 30 --tp 2"), std::string::npos) << plain;
  s.search_flag = true;
  EXPECT_NE(ReplayText(s, "h20-96gb", a).find("this command without --search, with --accel h20-96gb --gpus 30"),
            std::string::npos);
}

TEST(ServeReplayText, OnATracesLengthsSaysTheReplayRunsTheTraceItself) {
  ServeSubject s = AnswersSubject();
  s.trace = "tr.csv";
  s.traffic.sampled_lengths = {{1000, 100}, {3000, 900}};
  const std::string text = ReplayText(s, "h20-96gb", AnswersOption(false).aggregated.answers.front());
  EXPECT_NE(text.find("replays the trace's own rows in order, arrivals rescaled to 10 req/s"), std::string::npos)
      << text;
  EXPECT_NE(text.find("so its latencies differ"), std::string::npos) << text;
}

TEST(ServeTrafficText, TraceOnOneLayoutNamesTheRescaledRate) {
  ServeSubject s = AnswersSubject();
  s.trace = "tr.csv";
  EXPECT_EQ(TrafficText(s), "trace tr.csv, arrivals rescaled to 10 req/s");
  s.traffic.rate_rps = 0;
  EXPECT_EQ(TrafficText(s), "trace tr.csv");
}

}  // namespace
}  // namespace suanli
