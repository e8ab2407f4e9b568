// suanli compare: how many cards of each candidate accelerator match the
// best-layout throughput of a reference cluster, what they cost, and why.
// Parses the flags, calls CompareClusters, renders (report/compare_report.h).
#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/flag_checks.h"
#include "core/units.h"
#include "market/market.h"
#include "plan/compare.h"
#include "plan/card_prices.h"
#include "plan/throughput.h"
#include "report/compare_html.h"
#include "report/compare_report.h"
#include "report/html_page.h"

namespace suanli::cli {
namespace {

constexpr char kCompareFooter[] = R"(examples:
  suanli compare --model aquila-7b --reference a800-sxm-80gb:100
  suanli compare --model llama-2-70b --reference a800-sxm-80gb:256 \
      --candidates ascend-910b,mtt-s4000 --tokens 2T --date 2023-06-15 --region CN
  suanli compare --model aquila-7b --reference A800:100 --json
  suanli compare --model aquila-7b --reference a800-sxm-80gb:100 --report compare.html --lang zh
  suanli compare --model aquila-7b --reference a800-sxm-80gb:100 --format csv > candidates.csv
  suanli compare --model llama-3-70b --reference h100-sxm-80gb:1024 --db quotes.db --date 2026-12-01
  suanli compare --model llama-3-70b --reference h100-sxm-80gb:1024 --candidates h20-96gb,ascend-910c \
      --date 2026-12-01 --licence usg-h20-licences-2025-08

For each candidate: the fewest cards (whole nodes of 8 above 8) whose best-layout
throughput reaches the reference's at the reference's global batch (the same
tokens per step on every row; --global-batch sets it), the cost at the cheapest
quote the buyer may use on --date (seed quotes, and with --db the quote store of
`suanli market --db`; the planner's checks: export rules, region, tier, expiry,
staleness after 92 days; default date: the newest quote's; --licence RULE_ID for
each licence-required rule the buyer holds a licence under), and the bound that
decides (compute, memory capacity, bandwidth/communication), or "cannot match" with
the reason. Used cards carry their condition and warranty, and with --tokens the
planner's expected replacements past the warranty over the training days
(costs.used_annual_failure_rate); the ★ goes by cards plus replacements. A card an
export rule stops the buyer buying stays listed, marked "banned" or "licence
required", and is never the recommendation (★).)";

struct CompareFlags {
  CommonOptions common;
  std::string model, reference, tokens, date, region = "CN", tier = "enterprise";
  std::string currency = "CNY", precision = "bf16";
  std::vector<std::string> candidates = {"mtt-s4000", "iluvatar-bi-v100", "ascend-910b", "rtx-4090"};
  int max_gpus = 16384, seq_len = 0;
  int global_batch = 0;             // --global-batch: sequences per step of every row; 0 = the reference's default
  std::string db;                   // --db: quote store read besides the seed quotes
  std::vector<std::string> licences;  // --licence RULE_ID: licence-required rules the buyer holds a licence under
  std::vector<std::string> assume;  // --assume NAME=VALUE
  std::string report_path;          // --report FILE.html
  std::string stack = "auto";       // --stack: of the reference and every candidate; auto = each card's own (docs/stacks.md)
  std::string offload = "none";     // --offload none|optimizer: the stack's optimizer offload (docs/stacks.md)
  bool precision_given = false;     // --precision was on the command line
};

// The reference cluster of --reference ACCEL:CARDS.
struct Reference {
  std::string accelerator;  // accelerator id
  int cards = 0;
};

// The fix of a malformed --reference.
constexpr char kReferenceHint[] = "write ACCEL:CARDS, e.g. a800-sxm-80gb:100";

// Returns the reference cluster --reference names; errors name the flag.
Result<Reference> ParseReference(const Catalog& catalog, const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    return MakeError(TrFormat("'{}' has no card count", text), "--reference", Tr(kReferenceHint));
  }
  auto cards = ParseNumber(text.substr(colon + 1));
  if (!cards.ok() || *cards < 1 || *cards > 16384 || *cards != static_cast<int>(*cards)) {
    return MakeError(TrFormat("'{}' is not a card count 1-16384", text.substr(colon + 1)), "--reference",
                     Tr(kReferenceHint));
  }
  SUANLI_ASSIGN_OR_RETURN(const Accelerator* accelerator, AcceleratorFlag(catalog, text.substr(0, colon), "--reference"));
  return Reference{accelerator->id, static_cast<int>(*cards)};
}

// Returns the date of --date, or nullopt without it.
Result<std::optional<Date>> ParseDateFlag(const std::string& text) {
  if (text.empty()) return std::optional<Date>();
  auto parsed = ParseDate(text);
  if (!parsed.ok()) return MakeError(parsed.error().message, "--date", parsed.error().hint);
  return std::optional<Date>(*parsed);
}

// Returns the search settings of --seq-len, --precision and --assume.
Result<TrainSettings> MakeSettings(const CompareFlags& flags, const PerfAssumptions& assumptions) {
  TrainSettings settings;
  settings.seq_len = flags.seq_len;
  settings.global_batch = flags.global_batch;
  auto precision = ParsePrecision(flags.precision);
  if (!precision.ok()) return MakeError(precision.error().message, "--precision");
  settings.precision = *precision;
  settings.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  settings.assumptions = assumptions;
  return settings;
}

// Returns the quotes (seed or store) behind the prices of `result`, each once.
std::vector<CompareQuoteSource> QuoteSources(const CompareResult& result, const CardPrices& prices) {
  std::vector<std::string> ids;
  if (result.reference_price) ids.push_back(result.reference_price->quote_id);
  for (const CompareEntry& e : result.candidates) {
    if (e.price && std::find(ids.begin(), ids.end(), e.price->quote_id) == ids.end()) ids.push_back(e.price->quote_id);
  }
  std::vector<CompareQuoteSource> sources;
  for (const std::string& id : ids) {
    if (const Quote* q = prices.quote(id)) sources.push_back({q->id, q->supplier, FormatDate(q->observed), q->source, q->notes});
  }
  return sources;
}

// Writes the HTML report of `result` to flags.report_path and says so on stderr.
Status WriteCompareReport(const CompareFlags& flags, const CompareResult& result, const std::string& region,
                          const CardPrices& prices) {
  CompareHtmlInput input;
  input.result = &result;
  // The day the prices were checked on (the newest seed quote's without --date).
  input.date = FormatDate(result.price_date);
  input.region = region;
  input.tier = flags.tier;
  input.assumed = flags.assume;
  input.quotes = QuoteSources(result, prices);
  input.rerun = CompareRerun{flags.model, flags.assume};
  return WriteReport(flags.report_path, CompareReportHtml(input), flags.common.quiet);
}

// Prints the result as --json / --format asks.
void PrintCompare(const CompareFlags& flags, const CompareResult& result) {
  const TableFormat format = flags.common.table_format;
  if (format == TableFormat::kJson) {
    PrintJsonAssumed(CompareReportJson(result, CompareRerun{flags.model, flags.assume}), flags.assume);
  } else if (TableOnly(flags.common)) {
    std::cout << CompareCandidatesTable(result, CompareTableUse::kData, CompareRerun{flags.model, flags.assume})
                     .RenderAs(format);
  } else {
    std::cout << AssumedText(flags.assume) << CompareReportText(result, CompareRerun{flags.model, flags.assume});
  }
}

// Sets result.batch_note: with a stated batch, CompareClusters' note on
// sizes it left without a layout; without one, that rows whose
// data-parallel degree does not divide `target` ran the nearest batch it does.
void NoteBatch(bool stated, int target, CompareResult& result) {
  result.batch_stated = stated;
  if (stated || SameBatchEverywhere(result)) {
    if (!stated) result.batch_note = {};
    return;
  }
  constexpr const char* kNote =
      "global batch not stated: each card count runs the nearest batch to {} sequences that its data-parallel "
      "degree divides (the rows show their tokens per step); --global-batch fixes one batch for every row";
  result.batch_note = {fmt::format(kNote, target), TrFormat(kNote, target)};
}

// Compares the candidates with the reference and prints the answer.
Result<int> CompareBody(const CompareFlags& flags) {
  SUANLI_ASSIGN_OR_RETURN(const PerfAssumptions assumptions, MakePerfAssumptions(flags.assume));
  SUANLI_ASSIGN_OR_RETURN(const Catalog catalog, LoadCatalog(flags.common));
  SUANLI_ASSIGN_OR_RETURN(const ModelSpec model, ResolveModel(catalog, flags.model));
  SUANLI_ASSIGN_OR_RETURN(const Reference reference, ParseReference(catalog, flags.reference));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<std::string> candidate_ids, AcceleratorIdsFlag(catalog, flags.candidates, "--candidates"));
  SUANLI_ASSIGN_OR_RETURN(const double tokens, ParseTokensFlag(flags.tokens));
  SUANLI_ASSIGN_OR_RETURN(const std::optional<Date> date, ParseDateFlag(flags.date));
  if (flags.currency != "CNY" && flags.currency != "USD") {
    return MakeError(TrFormat("unsupported report currency '{}'", flags.currency), "--currency",
                     Tr("compare reports in CNY or USD"));
  }
  SUANLI_ASSIGN_OR_RETURN(TrainSettings settings, MakeSettings(flags, assumptions));
  SUANLI_ASSIGN_OR_RETURN(settings.stack, StackSettingId(flags.stack));
  if (flags.offload != "none" && flags.offload != "optimizer") {
    return MakeError(TrFormat("unknown offload '{}'", flags.offload), "--offload", Tr("use none or optimizer"));
  }
  settings.optimizer_offload = flags.offload == "optimizer";
  // The reference is what the candidates are measured against: it must run
  // the asked precision (as `train` does); a candidate without it trains at
  // its best and the report says so. The default bf16 falls back silently
  // only where the card has fp16 (V100), as in `train`.
  SUANLI_ASSIGN_OR_RETURN(const Accelerator* reference_card, catalog.FindAccelerator(reference.accelerator));
  // A stack named for every card that does not run on the reference (or
  // lacks the offload asked) is bad input, not an infeasible answer.
  if (Status runs = SettingsStackRuns(settings, *reference_card); !runs.ok()) {
    return MakeError(TrFormat("the reference: {}", runs.error().message), runs.error().where, runs.error().hint);
  }
  const StackOfFn stack_of = [&catalog, &settings](const std::string& id) -> Result<std::string> {
    SUANLI_ASSIGN_OR_RETURN(const Accelerator* card, catalog.FindAccelerator(id));
    SUANLI_RETURN_IF_ERROR(SettingsStackRuns(settings, *card));
    return SettingsStackOn(settings, *card).id;
  };
  if (flags.precision_given || reference_card->PeakFlops(Precision::kFp16) <= 0) {
    if (Status runs = CheckPrecisionOn(*reference_card, settings.precision, "--precision"); !runs.ok()) {
      return MakeError(TrFormat("the reference {}", runs.error().message), "--precision", runs.error().hint);
    }
  }
  // One training recipe on every row: the reference's global batch (the
  // default ~4M tokens per step rounded to its cluster size, or
  // --global-batch), so "matches" compares the same tokens per step; a
  // candidate size none of whose layouts divides it does not fit.
  // The fewest cards that fit in memory stay the one answer of `fit` and
  // `plan` (tests/one_answer): the batch that suits each size.
  const MinFitFn min_fit = MakeSearchMinFit(catalog, model, settings, flags.max_gpus);
  // Without --global-batch the reference's default batch is a target: each
  // size (the reference's too) runs the nearest batch its data-parallel
  // degree divides, so no size is left without a layout by divisibility
  // alone (docs/stacks.md §compare; validate does the same for published rows).
  const bool batch_stated = settings.global_batch > 0;
  if (!batch_stated) {
    settings.global_batch = GlobalBatchFor(settings.global_batch_tokens, EffectiveSeqLen(model, settings),
                                           reference.cards);
    settings.nearest_global_batch = true;
  }
  const ThroughputFn throughput = MakeSearchThroughput(catalog, model, settings);
  SUANLI_ASSIGN_OR_RETURN(const std::string region, RegionFlag(flags.region, "--region"));
  CardPriceOptions price_options;
  price_options.date = date;
  price_options.region = region;
  price_options.tier = flags.tier;
  price_options.currency = flags.currency;
  price_options.store = flags.db;
  price_options.licences = flags.licences;
  price_options.catalog = &catalog;
  SUANLI_ASSIGN_OR_RETURN(const CardPrices prices, MakeCardPrices(price_options));
  auto result = CompareClusters(model.id, reference.accelerator, reference.cards, candidate_ids, throughput,
                                prices.price, tokens, flags.max_gpus, flags.currency,
                                min_fit, settings.precision, stack_of);
  if (!result.ok()) return ReportInfeasible("compare", result.error());
  NoteBatch(batch_stated, settings.global_batch, *result);
  AttachPriceReasons(prices, *result);
  result->store = flags.db;
  result->quotes_store = prices.quotes_store;
  for (const std::string& note : prices.notes) std::cerr << TrFormat("note: {}", note) << "\n";
  result->stack = settings.stack;
  result->price_date = prices.date;
  result->price_date_defaulted = prices.date_defaulted;
  result->region = region;
  result->tier = flags.tier;
  if (!flags.report_path.empty()) SUANLI_RETURN_IF_ERROR(WriteCompareReport(flags, *result, region, prices));
  PrintCompare(flags, *result);
  // No feasible answer: no candidate matches, or every match is blocked.
  return BestCandidate(*result) >= 0 || result->candidates.empty() ? kExitOk : kExitInfeasible;
}

}  // namespace

int RunCompare(int argc, char** argv) {
  CLI::App app{Tr("How many cards of each candidate match a reference cluster (the article's "
                  "'how many domestic cards equal 100 A800s')."),
               "suanli compare"};
  CompareFlags flags;
  AddCommonOptions(app, flags.common);
  AddModelOptions(app, flags.model, nullptr);
  app.add_option("--reference", flags.reference, Tr("reference cluster ACCEL:CARDS, e.g. a800-sxm-80gb:100"))
      ->required();
  app.add_option("--candidates", flags.candidates, Tr("candidate accelerators (comma-separated)"))->delimiter(',');
  app.add_option("--tokens", flags.tokens, Tr("training tokens (1T, 2e12) to report training days"))
      ->check(TokenCountCheck());
  app.add_option("--date", flags.date,
                 Tr("buyer's date YYYY-MM-DD for export rules and prices (default: the newest seed quote's date)"));
  app.add_option("--region", flags.region, Tr("buyer's region for export rules (default CN)"));
  app.add_option("--tier", flags.tier, Tr("buyer tier startup|enterprise|hyperscaler (default enterprise)"))
      ->transform(BuyerTierCheck());
  app.add_option("--currency", flags.currency, Tr("report currency CNY|USD (default CNY)"))->transform(CurrencyCode);
  app.add_option("--max-gpus", flags.max_gpus, Tr("largest candidate cluster tried (default 16384)"))
      ->check(CLI::Range(1, 16384));
  app.add_option("--seq-len", flags.seq_len, Tr("tokens per sequence (default: min(model max, 4096))"))
      ->check(CLI::Range(1, 1 << 24));
  app.add_option("--global-batch", flags.global_batch,
                 Tr("sequences per step of the reference and every candidate (default: ~4M tokens rounded to the "
                    "reference's cards)"))
      ->check(CLI::Range(1, 1 << 24));
  app.add_option("--db", flags.db,
                 Tr("quote store (`suanli market --db`) whose quotes price the cards besides the seed quotes"));
  app.add_option("--licence,--license", flags.licences,
                 Tr("RULE_ID of a licence-required export rule the buyer holds a licence under (repeatable; "
                    "`suanli market rules` lists the ids)"));
  CLI::Option* precision = app.add_option(
      "--precision", flags.precision,
      Tr("training precision bf16|fp16|fp8 (the reference must have it; a candidate without it trains at its best)"));
  app.add_option("--report", flags.report_path,
                 Tr("write the comparison as an HTML page (charts, tables, quotes; works offline) to FILE.html"));
  AddStackOption(app, flags.stack, StackDefault::kAuto);
  app.add_option("--offload", flags.offload,
                 Tr("none|optimizer: optimizer states and step in host memory, for stacks that offload (DeepSpeed, "
                    "PyTorch FSDP, Colossal-AI, MaxText; default none); a card whose stack cannot is excluded"));
  AddAssumeOption(app, flags.assume);
  app.footer(Tr(kCompareFooter));
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  flags.precision_given = precision->count() > 0;
  return ExitCode("compare", CompareBody(flags));
}

}  // namespace suanli::cli
