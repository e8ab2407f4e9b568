// Why an asked-for accelerator has no option (plan/no_offer.h).
#include "plan/no_offer.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"
#include "market/quote_filter.h"
#include "plan/market_adapter.h"

namespace suanli {

std::map<std::string, std::string> NoOfferReasons(const std::vector<Quote>& quotes,
                                                  const std::vector<ExportRule>& rules, const Scenario& scenario) {
  const QuoteUse use = QuoteUseOf(scenario);
  std::map<std::string, std::vector<CheckedQuote>> by_sku;
  for (const Quote& q : quotes) by_sku[q.sku].push_back(CheckedQuote{&q, CheckQuoteUse(rules, q, use)});
  std::map<std::string, std::string> out;
  for (const auto& [sku, checked] : by_sku) {
    if (std::any_of(checked.begin(), checked.end(), [](const CheckedQuote& c) { return c.verdict.usable(); }))
      continue;
    // ExplainNoUsableQuote names quotes observed after the date only when
    // nothing else refused the rest; the user who asked for the part is told
    // every reason, so the later quotes are explained on their own.
    std::vector<CheckedQuote> future, rest;
    for (const CheckedQuote& c : checked)
      (c.verdict.category == QuoteCategory::kFuture ? future : rest).push_back(c);
    std::vector<std::string> parts;
    if (!future.empty()) parts.push_back(ExplainNoUsableQuote(future, use).text);
    if (!rest.empty()) parts.push_back(ExplainNoUsableQuote(rest, use).text);
    out[sku] = fmt::format("{}", fmt::join(parts, Tr("; ")));
  }
  return out;
}

void ExcludeUnoffered(const PlanInput& in, const std::vector<PlanOptionResult>& options, WorkloadPlan& plan) {
  for (const std::string& sku : in.constraints.accelerators) {
    const auto named = [&sku](const auto& entry) { return entry.accelerator == sku; };
    if (std::any_of(options.begin(), options.end(), named) ||
        std::any_of(plan.excluded.begin(), plan.excluded.end(), named))
      continue;
    const auto it = in.no_offer.find(sku);
    plan.excluded.push_back(Excluded{
        sku, it == in.no_offer.end()
                 ? Tr("no quote in the market names it (add one under market.quotes or to the store)")
                 : TrFormat("no quote on offer on {}: {}", FormatDate(in.date), it->second)});
  }
  if (!in.constraints.accelerators.empty()) return;
  // Every other catalog accelerator of an allowed vendor that has no option
  // and no reason yet: the buyer can tell "considered and lost" from "no
  // quote on offer". Named one by one under a vendor constraint; without one,
  // in one line (the catalog is long).
  const auto& vendors = in.constraints.vendors;
  std::vector<std::string> unoffered;
  for (const PlanAccelerator& a : in.catalog_accelerators) {
    if (!vendors.empty() && std::none_of(vendors.begin(), vendors.end(), [&](const std::string& v) {
          return NormalizeId(v) == NormalizeId(a.vendor);
        }))
      continue;
    const auto named = [&a](const auto& entry) { return entry.accelerator == a.id; };
    if (std::any_of(options.begin(), options.end(), named) ||
        std::any_of(plan.excluded.begin(), plan.excluded.end(), named))
      continue;
    const auto it = in.no_offer.find(a.id);
    if (it != in.no_offer.end()) {
      plan.excluded.push_back(Excluded{a.id, TrFormat("no quote on offer on {}: {}", FormatDate(in.date), it->second)});
    } else if (!vendors.empty()) {
      plan.excluded.push_back(
          Excluded{a.id, TrFormat("no quote on offer to this buyer on {} (none in the market names it, or none is "
                                  "sold to this buyer's region)",
                                  FormatDate(in.date))});
    } else {
      unoffered.push_back(a.id);
    }
  }
  if (!unoffered.empty()) {
    plan.excluded.push_back(Excluded{
        "*", TrFormat("no quote on offer to this buyer on {} for the other {} catalog accelerators (none in the "
                      "market names them, or none is sold to this buyer's region): {}",
                      FormatDate(in.date), unoffered.size(), fmt::join(unoffered, ", "))});
  }
}

}  // namespace suanli
