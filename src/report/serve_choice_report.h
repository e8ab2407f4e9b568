// Renderers of the serve capacity search with costs: cost per million output
// tokens (rented and bought) with the assumptions behind it, aggregated
// against disaggregated serving, the accelerator ranking with why each
// runner-up lost, and the two-accelerator crossover. Formatting only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plan/serve_prices.h"
#include "report/serve_report.h"
#include "report/table.h"
#include "serve/crossover.h"
#include "serve/fleet_choice.h"

namespace suanli {

// What the costed search found: one option per accelerator, ranked.
struct ServeChoice {
  std::vector<AcceleratorOption> options;  // ranked (RankAccelerators)
  ServePrices prices;                      // date, region, currency, notes (by_accelerator unused here)
  double own_years = 3;                    // years a bought fleet is kept and serves (--own-years)
  std::optional<Crossover> crossover;      // when --accel named two
  std::string crossover_error;             // why no crossover could be computed ("" = none)
  int skipped_no_fit = 0;                  // --accel all: accelerators on which no layout fits
  int skipped_platform = 0;                // --accel all: accelerators the engine does not run on
};

// Returns the chosen answer of `o` in words, its mode's layout and formats
// ("6 devices: 3 prefill x tp 1 pp 1 (fp8 weights, KV fp8) + ..."), or "" when infeasible.
std::string ChosenAnswerText(const AcceleratorOption& o);
// Returns why the chosen mode of `o` won, in words: "cheaper than
// aggregated" when both modes are priced, "fewer devices than aggregated:
// 66 vs 80; neither mode is priced" when not, or which mode cannot meet the SLOs.
std::string ChoiceBasisText(const AcceleratorOption& o);
// Returns the lines comparing aggregated and disaggregated serving of `o`:
// each mode's devices and cost, the xPyD pools' latencies and KV transfer,
// the mode chosen and why, and how to check an xPyD answer.
std::vector<std::string> ModeLines(const AcceleratorOption& o, double percentile);
// Returns the KV transfer of an xPyD answer in words that multiply out:
// the percentile prompt's KV for the whole model, each prefill device's
// share, its link and the seconds share / link.
std::string KvTransferText(const DisaggregatedAnswer& d, double percentile);
// Returns how to check an xPyD answer of `o`: the same search on its
// accelerator, and each pool's serve flags (serve runs no fixed xPyD layout).
std::string XpydCheckText(const AcceleratorOption& o);
// Returns the xPyD answer's pools: prefill, the KV transfer, decode and the
// fleet, each with replicas, layout, devices and its TTFT/TPOT at the percentile (ms).
TextTable XpydPoolsTable(const AcceleratorOption& o, double percentile);
// Returns the ranking's heading: by cost per million output tokens when the
// feasible options are priced, else what it ranks by (devices), noting that
// accelerators the buyer cannot buy come after the rest.
std::string RankingHeading(const ServeChoice& choice);
// Returns whether the chosen answer of `o` serves int4 weights (in any pool of an xPyD answer).
bool ChosenInt4(const AcceleratorOption& o);
// Returns the ranking table: accelerator, the chosen mode, devices, layout, with `percentile` > 0
// TTFT and TPOT at it (ms; the xPyD fleet's or the first aggregated answer's), rent and buy per Mtok, why lost.
TextTable ChoiceTable(const ServeChoice& choice, double percentile = 0);
// Returns the lines stating the cost assumptions (current language).
std::vector<std::string> CostAssumptionLines(const ServeChoice& choice);
// Returns the crossover in words (current language), or "" without one.
std::string CrossoverText(const ServeChoice& choice);
// Returns the text report: one accelerator's answers with costs and the
// disaggregated alternative, or the ranking of several; then assumptions.
std::string ServeChoiceText(const ServeSubject& subject, const ServeChoice& choice);
// Returns the JSON report (English values, units in keys).
nlohmann::json ServeChoiceJson(const ServeSubject& subject, const ServeChoice& choice);

}  // namespace suanli
