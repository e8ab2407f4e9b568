// suanli compare: how many cards of each candidate accelerator match the
// best-layout throughput of a reference cluster, what they cost, and why.
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "core/units.h"
#include "plan/compare.h"
#include "plan/market_adapter.h"
#include "plan/throughput.h"
#include "report/plan_report.h"

namespace suanli::cli {
namespace {

constexpr char kFooter[] = R"(examples:
  suanli compare --model aquila-7b --reference a800-sxm-80gb:100
  suanli compare --model llama-2-70b --reference a800-sxm-80gb:256 \
      --candidates ascend-910b,mtt-s4000 --tokens 2T --date 2023-06-15 --region CN
  suanli compare --model aquila-7b --reference A800:100 --json

For each candidate: the fewest cards (whole nodes of 8 above 8) whose best-layout
throughput reaches the reference's, the cost at the cheapest seed-market quote the
buyer may use, and the bound that decides (compute, memory capacity,
bandwidth/communication), or "cannot match" with the reason.)";

}  // namespace

int RunCompare(int argc, char** argv) {
  CLI::App app{"How many cards of each candidate match a reference cluster (the article's "
               "'how many domestic cards equal 100 A800s').",
               "suanli compare"};
  CommonOptions common;
  AddCommonOptions(app, common);
  std::string model_arg, reference_arg, tokens_arg, date_arg, region = "CN", tier = "enterprise";
  std::string currency = "CNY", precision_arg = "bf16";
  std::vector<std::string> candidates = {"mtt-s4000", "iluvatar-bi-v100", "ascend-910b", "rtx-4090"};
  int max_gpus = 16384, seq_len = 0;
  AddModelOptions(app, model_arg, nullptr);
  app.add_option("--reference", reference_arg, "reference cluster ACCEL:CARDS, e.g. a800-sxm-80gb:100")
      ->required();
  app.add_option("--candidates", candidates, "candidate accelerators (comma-separated)")
      ->delimiter(',');
  app.add_option("--tokens", tokens_arg, "training tokens (1T, 2e12) to report training days");
  app.add_option("--date", date_arg, "buyer's date YYYY-MM-DD for export rules and prices");
  app.add_option("--region", region, "buyer's region for export rules (default CN)");
  app.add_option("--tier", tier, "buyer tier startup|enterprise|hyperscaler (default enterprise)");
  app.add_option("--currency", currency, "report currency CNY|USD (default CNY)");
  app.add_option("--max-gpus", max_gpus, "largest candidate cluster tried (default 16384)")
      ->check(CLI::Range(1, 16384));
  app.add_option("--seq-len", seq_len, "tokens per sequence (default: min(model max, 4096))");
  app.add_option("--precision", precision_arg, "training precision bf16|fp16|fp8");
  std::vector<std::string> assume;
  AddAssumeOption(app, assume);
  app.footer(kFooter);
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  auto assumptions = MakePerfAssumptions(assume);
  if (!assumptions.ok()) return ReportError("compare", assumptions.error());

  auto catalog = LoadCatalog(common);
  if (!catalog.ok()) return ReportError("compare", catalog.error());
  auto model = ResolveModel(*catalog, model_arg);
  if (!model.ok()) return ReportError("compare", model.error());

  const size_t colon = reference_arg.rfind(':');
  if (colon == std::string::npos) {
    return ReportError("compare", MakeError(fmt::format("'{}' has no card count", reference_arg),
                                            "--reference", "write ACCEL:CARDS, e.g. a800-sxm-80gb:100"));
  }
  auto ref_cards = ParseNumber(reference_arg.substr(colon + 1));
  if (!ref_cards.ok() || *ref_cards < 1 || *ref_cards > 16384 ||
      *ref_cards != static_cast<int>(*ref_cards)) {
    return ReportError("compare", MakeError(fmt::format("'{}' is not a card count 1-16384",
                                                        reference_arg.substr(colon + 1)),
                                            "--reference", "write ACCEL:CARDS, e.g. a800-sxm-80gb:100"));
  }
  auto reference = catalog->FindAccelerator(reference_arg.substr(0, colon));
  if (!reference.ok()) {
    return ReportError("compare", MakeError(reference.error().message, "--reference",
                                            reference.error().hint));
  }
  std::vector<std::string> candidate_ids;
  for (const std::string& c : candidates) {
    auto accel = catalog->FindAccelerator(c);
    if (!accel.ok()) {
      return ReportError("compare", MakeError(accel.error().message, "--candidates", accel.error().hint));
    }
    candidate_ids.push_back((*accel)->id);
  }
  double tokens = 0;
  if (!tokens_arg.empty()) {
    auto parsed = ParseQuantity(tokens_arg, Dimension::kTokens);
    if (!parsed.ok() || *parsed <= 0) {
      return ReportError("compare", MakeError(fmt::format("'{}' is not a token count", tokens_arg),
                                              "--tokens", "write e.g. 1T or 2e12"));
    }
    tokens = *parsed;
  }
  std::optional<Date> date;
  if (!date_arg.empty()) {
    auto parsed = ParseDate(date_arg);
    if (!parsed.ok()) return ReportError("compare", MakeError(parsed.error().message, "--date", parsed.error().hint));
    date = *parsed;
  }
  if (currency != "CNY" && currency != "USD") {
    return ReportError("compare", MakeError(fmt::format("unsupported currency '{}'", currency),
                                            "--currency", "use CNY or USD"));
  }
  TrainSettings settings;
  settings.seq_len = seq_len;
  auto precision = ParsePrecision(precision_arg);
  if (!precision.ok()) return ReportError("compare", MakeError(precision.error().message, "--precision"));
  settings.precision = *precision;
  settings.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  settings.assumptions = *assumptions;
  const ThroughputFn throughput = MakeSearchThroughput(*catalog, *model, settings);
  auto price = MakeSeedCardPrice(date, region, tier, currency);
  if (!price.ok()) return ReportError("compare", price.error());

  auto result = CompareClusters(model->id, (*reference)->id, static_cast<int>(*ref_cards),
                                candidate_ids, throughput, *price, tokens, max_gpus, currency,
                                MakeSearchMinFit(*catalog, *model, settings, max_gpus));
  if (!result.ok()) {
    ReportError("compare", result.error());
    return kExitInfeasible;
  }
  if (common.json) {
    nlohmann::json out = CompareReportJson(*result);
    if (!assume.empty()) out["assumed"] = assume;
    PrintJson(out);
  } else {
    std::cout << AssumedText(assume) << CompareReportText(*result);
  }
  bool any = false;
  for (const CompareEntry& e : result->candidates) any = any || e.matched;
  return any || result->candidates.empty() ? kExitOk : kExitInfeasible;
}

}  // namespace suanli::cli
