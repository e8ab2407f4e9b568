// Why an asked-for accelerator has no option (plan/no_offer.h).
#include "plan/no_offer.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/i18n.h"
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
}

}  // namespace suanli
