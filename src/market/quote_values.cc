// The value checks of one quote; see quote_values.h.
#include "market/quote_values.h"

#include <cmath>

#include <fmt/format.h>

#include "core/i18n.h"

namespace suanli {

void CheckQuoteValues(const Quote& q, QuoteProblems& errors) {
  if (q.id.empty() && !errors.Bad("id")) errors.Add("id", Tr("missing quote id"), Tr("add a unique id"));
  if (q.sku.empty() && !errors.Bad("sku")) errors.Add("sku", Tr("missing sku"), Tr("add the accelerator id"));
  if (!errors.Bad("unit_price")) {
    if (std::isnan(q.unit_price)) {
      errors.Add("unit_price", Tr("price is not a number"), Tr("write a price such as 87500"));
    } else if (q.unit_price < 0) {
      errors.Add("unit_price", TrFormat("negative price {:g}", q.unit_price), Tr("prices are > 0 in the quote currency"));
    } else if (q.unit_price == 0) {
      errors.Add("unit_price", Tr("price is zero"),
                 Tr("write the price per unit in the quote currency; leave out a quote with no price"));
    } else if (!(q.unit_price < 1e12)) {
      // No accelerator, server or rental costs a trillion per unit: such a
      // value is a typo or a unit error.
      errors.Add("unit_price", TrFormat("absurd price {:g}", q.unit_price),
                 Tr("prices are per unit (card, server, GPU-hour, server-month), below 1e12"));
    }
  }
  if (!errors.Bad("currency") && !IsCurrencyCode(q.currency))
    errors.Add("currency", TrFormat("malformed currency '{}'", q.currency), Tr("write an ISO 4217 code such as CNY or USD"));
  if (!errors.AnyBad({"valid_until", "observed"}) && q.valid_until && *q.valid_until < q.observed)
    errors.Add("valid_until", Tr("valid_until is before observed"),
               Tr("a quote is valid from the day it was observed: check both dates"));
  const bool lead_bad = errors.AnyBad({"lead_weeks_min", "lead_weeks_likely", "lead_weeks_max"});
  if (!lead_bad && q.lead_weeks_min < 0)
    errors.Add("lead_weeks_min", Tr("negative lead time"), Tr("lead times are in weeks and cannot be negative"));
  if (!lead_bad && !(q.lead_weeks_likely <= kMaxLeadWeeks))
    errors.Add("lead_weeks_likely",
               TrFormat("lead time likely {:g} weeks is over five years ({:g} weeks)", q.lead_weeks_likely, kMaxLeadWeeks),
               Tr("lead times are in weeks"));
  // A max left out takes the likely value: one problem, reported once.
  const bool max_is_likely = q.lead_weeks_max == q.lead_weeks_likely && !(q.lead_weeks_likely <= kMaxLeadWeeks);
  if (!lead_bad && !max_is_likely && !(q.lead_weeks_max <= kMaxLeadWeeks))
    errors.Add("lead_weeks_max",
               TrFormat("lead time max {:g} weeks is over five years ({:g} weeks)", q.lead_weeks_max, kMaxLeadWeeks),
               Tr("lead times are in weeks"));
  if (!lead_bad && q.lead_weeks_min > q.lead_weeks_likely)
    errors.Add("lead_weeks_min", TrFormat("lead time min {:g} > likely {:g} weeks", q.lead_weeks_min, q.lead_weeks_likely),
               Tr("order them min <= likely <= max"));
  if (!lead_bad && q.lead_weeks_likely > q.lead_weeks_max)
    errors.Add("lead_weeks_max", TrFormat("lead time likely {:g} > max {:g} weeks", q.lead_weeks_likely, q.lead_weeks_max),
               Tr("order them min <= likely <= max"));
  for (auto [key, value] : {std::pair<std::string_view, double>{"deposit_fraction", q.payment.deposit_fraction},
                            {"bundle_fraction", q.bundle_fraction}}) {
    if (!errors.Bad(key) && !(value >= 0 && value <= 1))
      errors.Add(key, TrFormat("fraction {:g} is outside [0,1]", value), Tr("write a fraction, e.g. 0.3 for 30%"));
  }
  if (!errors.Bad("bundle_amount")) {
    if (q.bundle_amount < 0) {
      errors.Add("bundle_amount", Tr("negative bundle amount"));
    } else if (!(q.bundle_amount < 1e12)) {
      errors.Add("bundle_amount", TrFormat("absurd bundle amount {:g}", q.bundle_amount),
                 Tr("the bundle amount is in the quote currency, below 1e12"));
    }
  }
  if (!errors.Bad("cards_per_unit") && q.cards_per_unit < 1)
    errors.Add("cards_per_unit", Tr("cards_per_unit must be >= 1"));
}

}  // namespace suanli
