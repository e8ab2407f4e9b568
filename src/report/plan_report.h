// Renderers of the plan and compare results: text for people, JSON for
// machines. Formatting only; every number is computed by src/plan.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/compare.h"
#include "plan/plan.h"
#include "report/table.h"

namespace suanli {

struct ServingPlanResult;

// What the report says about the scenario besides the results.
struct PlanReport {
  std::string file;                 // scenario file as given
  const PlanInput* input = nullptr; // buyer, objective, constraints, options, costs
  int quotes_seed = 0;              // quotes from the embedded seed market
  int quotes_store = 0;             // from the SQLite store
  int quotes_inline = 0;            // from the scenario file
  std::string store;                // store path or empty
  std::vector<std::string> assumptions;  // further notes in words
  std::vector<DropGroup> market_dropped;  // quotes not on offer on the date, by reason
  const PlanResult* result = nullptr;
  const ServingPlanResult* serving = nullptr;  // serving workloads (plan/serving_plan.h), or null
};

// Returns true when every training and serving workload has an option.
bool PlanFeasible(const PlanReport& report);
// Appends `text` wrapped to the output width: the first line after `first`,
// the rest indented by `rest` spaces; `style` colours each line (or not).
void AppendWrapped(std::string& out, const std::string& first, const std::string& text, size_t rest,
                   std::string (*style)(std::string_view) = nullptr);
// Appends a heading line and `items` as wrapped bullets (nothing when empty).
void AppendBullets(std::string& out, const std::string& heading, const std::vector<std::string>& items);
// Returns the cost breakdown as JSON (every part and the total, rounded).
nlohmann::json CostJson(const CostBreakdown& cost);
// Returns the dropped groups as JSON [{what, reason, count}].
nlohmann::json DroppedJson(const std::vector<DropGroup>& groups);
// Returns one option of `w` as JSON (the `options[]` and `near_misses[]`
// entries; a near miss adds `misses`: budget, deadline or horizon).
nlohmann::json PlanOptionJson(const WorkloadPlan& w, const PlanOptionResult& o, const PlanInput& in);
// Returns one line per near miss of `w`: "1,024 × h20 rent (...): P10 ..., P50
// ..., P90 ...; cost ..., cash ...; misses the deadline 2027-05-31 at P90".
std::vector<std::string> PlanNearMissLines(const WorkloadPlan& w, const PlanInput& in);

// The options of one workload as a table: the narrow one fits a terminal
// (quotes, arrival and training days go under it), the full one has every
// column (CSV, Markdown, the HTML page). Variants that differ only in a
// detail the table does not show are left out of the narrow one.
// `machine` (CSV): every column with plain numbers (no separators, no
// currency text; the units in the header).
TextTable PlanOptionsTable(const WorkloadPlan& plan, const std::string& currency, bool narrow, bool machine = false);
// Returns the whole layout as JSON: LayoutJson plus seq_len, precision,
// recompute_layers, sequence_parallel, dp_overlap, attention and ep_overlap
// (every setting `suanli train` needs to give the same tokens/s).
nlohmann::json PlanLayoutJson(const ParallelConfig& layout);
// Returns the whole layout in words: "tp1 pp1 dp448 ep64, micro-batch 1,
// global batch 4032 × 4096 tokens, ZeRO 3, recompute modules, EP overlap on, bf16".
std::string PlanLayoutLongText(const ParallelConfig& layout);
// Returns a scenario value shown in words (buyer tier, objective, recompute:
// "enterprise", "lowest_cost", "none") in the current language; JSON and CSV
// keep the English value.
std::string PlanValueText(std::string_view value);
// Returns the `suanli train` command that reproduces the option's layout and
// tokens/s (every layout flag given explicitly).
std::string PlanTrainCommand(const WorkloadPlan& plan, const PlanOptionResult& option);
// The options of one workload for the HTML page: the narrow table's columns
// (a mark column: * on the frontier, ★ recommended), layouts that never wrap;
// quotes and schedule go under it (PlanScheduleLines).
TextTable PlanOptionsPageTable(const WorkloadPlan& plan, const std::string& currency);
// Returns one line per option: "#1: 960 × quote (1 wk); arrives week 1.0,
// trains 10.2 days ...; pays 2.4 M CNY cash, 1.1 M CNY after resale", or which
// earlier option it repeats (CollapsedOptions).
std::vector<std::string> PlanScheduleLines(const WorkloadPlan& plan, const std::string& currency);
// Returns, per option, the index of the earlier option it repeats in the
// narrow table (same accelerator, cards, mode, quotes and layout), or -1.
std::vector<int> CollapsedOptions(const WorkloadPlan& plan);
// Returns "960 × rtx4090-retail-cn-2023-06 (1 wk)" per part, joined by " + "
// ("94 × quote (0.5 wk; 12 whole servers, 96 cards paid)" where whole servers
// are paid for).
std::string MixPartsText(const std::vector<MixPart>& parts);
// Returns "110,000 CNY/card": the part's price in `currency` (a server's
// price and its per-card share; ", quoted 15,000 USD/card" where the quote
// was in another currency); `machine`: plain numbers.
std::string MixPartPriceText(const MixPart& part, const std::string& currency, bool machine = false);
// Returns MixPartsText with each part's MixPartPriceText: "960 × q (1 wk) at 110,000 CNY/card".
std::string MixPartsPricedText(const std::vector<MixPart>& parts, const std::string& currency, bool machine = false);
// Returns the mix as JSON [{quote_id, supplier, cards, lead_weeks, unit, cards_per_unit, unit_price,
// price_per_card, price_per_card_unit, currency, quote_unit_price, quote_currency}] (prices per unit
// and per card in `currency`, the report's; the quote's own price in its own currency).
nlohmann::json MixJson(const std::vector<MixPart>& parts, const std::string& currency);
// Returns MixPartsText of the option's quotes.
std::string PlanMixText(const PlanOptionResult& option);
// Returns the notes on the quotes of the shown options, without repeats and
// without those the recommendation already gives among its reasons.
std::vector<std::string> PlanQuoteNotes(const WorkloadPlan& plan);
// Returns one line per group: "quotes: 3 stale: ...; 1 expired: ...".
std::vector<std::string> PlanDroppedLines(const std::vector<DropGroup>& groups);
// Returns the frontier in words: every point shown, earlier to cheaper, and
// whether it samples the whole frontier.
std::string PlanFrontierText(const WorkloadPlan& plan, const std::string& currency);
// Returns the exclusions of accelerators that have options (limits: "needs at
// least 16 cards") when `with_options`, else those of accelerators without any.
std::vector<Excluded> PlanExclusions(const WorkloadPlan& plan, bool with_options);
// Returns the cost assumptions as "label: value (source)" lines.
std::vector<std::string> PlanAssumptionLines(const PlanReport& report);
// Returns the cost breakdown of `option` as (label, amount) pairs in table order.
std::vector<std::pair<std::string, double>> PlanCostParts(const CostBreakdown& cost);

// Returns "Programme: the 3 workloads together (feasible)" (or NOT FEASIBLE as a whole).
std::string PlanProgrammeHeading(const ProgrammeCheck& check);
// Returns the programme's totals in words: cash and after-resale cost of the
// recommendations together against the budget, cards held at once per quote
// two or more draw from, and every breach.
std::vector<std::string> PlanProgrammeLines(const ProgrammeCheck& check, const std::string& currency);
// Returns the programme check as JSON (the top-level "programme" object).
nlohmann::json PlanProgrammeJson(const ProgrammeCheck& check);

// Returns the JSON document of `suanli plan --json` (docs/scenario.md).
nlohmann::json PlanReportJson(const PlanReport& report);
// Returns the text report of `suanli plan`, fitted to the output width.
std::string PlanReportText(const PlanReport& report);
// Returns the CSV rows of `suanli plan --format csv` (docs/reports.md): one
// per option of every workload, training then serving, each with workload,
// kind (train|serve), model, option (its 1-based rank) and recommended
// (true|false) before the option's JSON keys.
std::vector<nlohmann::json> PlanCsvRows(const PlanReport& report);
// Returns the options of every workload in `format`: csv, one table of
// PlanCsvRows whatever the workloads; md, the options table of each
// training workload (with a workload column when there are several), each
// serving workload's after it, then the programme totals.
std::string PlanReportTables(const PlanReport& report, TableFormat format);

}  // namespace suanli
