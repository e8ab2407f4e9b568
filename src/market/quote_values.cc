// The value checks of one quote; see quote_values.h.
#include "market/quote_values.h"

#include <cmath>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"

namespace suanli {
namespace {

// Bounds of what a quote row may count: no quote covers more than ten
// million cards; no payment is due more than a year after delivery.
constexpr int kMaxUnits = 10'000'000;
constexpr int kMaxCardsPerUnit = 65536;
constexpr int kMaxWarrantyMonths = 120;
constexpr int kMaxNetDays = 365;

// A buyer tier and the other names buyers write for it.
struct TierNames {
  std::string_view tier;
  std::vector<std::string_view> aliases;  // compared after ToLower (ASCII) or exactly (CJK)
};

const std::vector<TierNames>& TierTable() {
  static const std::vector<TierNames> table = {
      {"startup", {"start-up", "初创", "初创企业", "初创公司", "创业公司"}},
      {"enterprise", {"企业", "大企业", "大型企业"}},
      {"hyperscaler", {"hyperscale", "超大规模", "超大规模云厂商", "云厂商", "大厂"}},
  };
  return table;
}

// Returns the value of the whole-number field `key` of `q`.
int IntValue(const Quote& q, std::string_view key) {
  if (key == "quantity_available") return q.quantity_available;
  if (key == "min_order") return q.min_order;
  if (key == "net_days") return q.payment.net_days;
  if (key == "warranty_months") return q.warranty_months;
  return q.cards_per_unit;
}

}  // namespace

const std::vector<QuoteIntRange>& QuoteIntRanges() {
  static const std::vector<QuoteIntRange> ranges = {
      {"cards_per_unit", 1, kMaxCardsPerUnit, QuoteCount::kCards},
      {"quantity_available", 0, kMaxUnits, QuoteCount::kUnits},
      {"warranty_months", 0, kMaxWarrantyMonths, QuoteCount::kMonths},
      {"net_days", 0, kMaxNetDays, QuoteCount::kDays},
      {"min_order", 0, kMaxUnits, QuoteCount::kUnits},
  };
  return ranges;
}

const QuoteIntRange* FindQuoteIntRange(std::string_view key) {
  for (const QuoteIntRange& range : QuoteIntRanges())
    if (range.key == key) return &range;
  return nullptr;
}

std::string QuoteIntRangeMessage(const QuoteIntRange& range, std::string_view text) {
  switch (range.counts) {
    case QuoteCount::kCards:
      return TrFormat("'{}' is not a whole number of cards from {} to {}", text, range.min, range.max);
    case QuoteCount::kUnits:
      return TrFormat("'{}' is not a whole number of units from {} to {}", text, range.min, range.max);
    case QuoteCount::kMonths:
      return TrFormat("'{}' is not a whole number of months from {} to {}", text, range.min, range.max);
    case QuoteCount::kDays:
      break;
  }
  return TrFormat("'{}' is not a whole number of days from {} to {}", text, range.min, range.max);
}

const std::vector<std::string>& BuyerTiers() {
  static const std::vector<std::string> tiers = {"startup", "enterprise", "hyperscaler"};
  return tiers;
}

Result<std::string> ParseBuyerTier(std::string_view text, const std::string& where) {
  std::string trimmed(text);
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.pop_back();
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.erase(0, 1);
  const std::string lower = ToLower(trimmed);
  std::vector<std::string> spellings;
  for (const TierNames& names : TierTable()) {
    if (lower == names.tier) return std::string(names.tier);
    spellings.emplace_back(names.tier);
    for (std::string_view alias : names.aliases) {
      if (lower == alias) return std::string(names.tier);
      spellings.emplace_back(alias);
    }
  }
  std::string hint = DidYouMean(NearestMatches(lower, BuyerTiers()));
  hint += (hint.empty() ? "" : "; ") + TrFormat("buyer tiers: {} (several separated by ';')", Join(BuyerTiers(), ", "));
  return MakeError(TrFormat("unknown buyer tier '{}'", trimmed), where, hint);
}

void CheckQuoteValues(const Quote& q, QuoteProblems& errors) {
  CheckStoredQuoteValues(q, errors);
  for (const QuoteIntRange& range : QuoteIntRanges()) {
    const int value = IntValue(q, range.key);
    if (!errors.Bad(range.key) && (value < range.min || value > range.max))
      errors.Add(range.key, QuoteIntRangeMessage(range, fmt::format("{}", value)), Tr("check the value and its unit"));
  }
  // A gpu-hour price is per card: an instance of several cards priced per
  // hour is divided by its cards before it is entered (plan bills gpu-hour
  // prices per card, market list showed them divided by cards_per_unit).
  if (!errors.AnyBad({"unit", "cards_per_unit"}) && q.unit == QuoteUnit::kGpuHour && q.cards_per_unit != 1)
    errors.Add("cards_per_unit",
               TrFormat("a gpu-hour price is per card, so cards_per_unit must be 1, not {}", q.cards_per_unit),
               Tr("divide an instance's hourly price by its cards (14.92 per hour for 8 cards = 1.865 per "
                  "gpu-hour) and leave cards_per_unit out, or price the whole server per month with unit "
                  "server-month"));
  if (!errors.Bad("buyers")) {
    for (const std::string& tier : q.buyers) {
      if (std::find(BuyerTiers().begin(), BuyerTiers().end(), tier) != BuyerTiers().end()) continue;
      auto parsed = ParseBuyerTier(tier, "");
      const std::string hint = parsed.ok() ? TrFormat("write '{}'", *parsed) : parsed.error().hint;
      errors.Add("buyers", TrFormat("unknown buyer tier '{}'", tier), hint);
      break;
    }
  }
}

void CheckStoredQuoteValues(const Quote& q, QuoteProblems& errors) {
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
    errors.Add("cards_per_unit", QuoteIntRangeMessage(*FindQuoteIntRange("cards_per_unit"),
                                                      fmt::format("{}", q.cards_per_unit)),
               Tr("check the value and its unit"));
}

}  // namespace suanli
