// One quote-usability check, in a fixed order (see quote_filter.h).
#include "market/quote_filter.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"

namespace suanli {
namespace {

constexpr std::array<std::pair<QuoteCategory, std::string_view>, 11> kCategoryNames = {{
    {QuoteCategory::kOk, "ok"},
    {QuoteCategory::kFlagged, "flagged"},
    {QuoteCategory::kRule, "rule"},
    {QuoteCategory::kChannel, "channel"},
    {QuoteCategory::kTier, "tier"},
    {QuoteCategory::kRegion, "region"},
    {QuoteCategory::kFuture, "future"},
    {QuoteCategory::kExpired, "expired"},
    {QuoteCategory::kStale, "stale"},
    {QuoteCategory::kStock, "stock"},
    {QuoteCategory::kSuperseded, "superseded"},
}};

bool ContainsFolded(const std::vector<std::string>& list, std::string_view item) {
  const std::string key = ToLower(item);
  return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return ToLower(s) == key; });
}

// The export rules on the date, with the resale exception for used stock.
Availability ExportVerdict(const std::vector<ExportRule>& rules, const Quote& quote, const QuoteUse& use) {
  const BuyerPolicy& buyer = use.buyer;
  Availability out = CheckExport(rules, quote.sku, buyer.region, quote.channel, use.date, buyer.allow_grey_market,
                                 buyer.licences);
  // Used/refurbished cards sold inside the region by resellers are stock
  // imported before the ban: their resale is not an export (the article's
  // used A100s, 2023). Allowed, flagged: supply is finite and unwarranted.
  if (!out.allowed && quote.condition != Condition::kNew &&
      (quote.channel == ChannelTier::kReseller || quote.channel == ChannelTier::kGreyMarket)) {
    out.allowed = true;
    out.flagged = true;
    constexpr const char* kResale = "used stock imported before the rule, resold in-country (not an export): finite supply";
    out.reason += std::string("; ") + kResale;
    out.reason_text = TrFormat("{}; {}", out.reason_text, Tr(kResale));
  }
  return out;
}

}  // namespace

std::string SupersedeKey(const Quote& q) {
  return fmt::format("{}|{}|{}|{}", q.supplier, q.sku, QuoteUnitName(q.unit), ConditionName(q.condition));
}

std::vector<std::optional<size_t>> SupersededBy(const std::vector<const Quote*>& quotes) {
  // Entered later: the store's sequence when both have one, else the later in the list.
  const auto entered_later = [&](size_t a, size_t b) {
    const Quote& qa = *quotes[a];
    const Quote& qb = *quotes[b];
    return qa.entry_seq > 0 && qb.entry_seq > 0 ? qa.entry_seq > qb.entry_seq : a > b;
  };
  // Per offer (SupersedeKey): the newest observation, on its date the one entered last.
  std::map<std::string, size_t> newest;
  for (size_t i = 0; i < quotes.size(); ++i) {
    auto [it, first] = newest.emplace(SupersedeKey(*quotes[i]), i);
    if (first) continue;
    const Quote& best = *quotes[it->second];
    if (quotes[i]->observed > best.observed || (quotes[i]->observed == best.observed && entered_later(i, it->second)))
      it->second = i;
  }
  // Per id: the one entered last (a correction entered under the same id).
  std::map<std::string, size_t> last_of_id;
  for (size_t i = 0; i < quotes.size(); ++i) {
    auto [it, first] = last_of_id.emplace(quotes[i]->id, i);
    if (!first && entered_later(i, it->second)) it->second = i;
  }
  std::vector<std::optional<size_t>> out(quotes.size());
  for (size_t i = 0; i < quotes.size(); ++i) {
    const size_t same_id = last_of_id.at(quotes[i]->id);
    const size_t latest = newest.at(SupersedeKey(*quotes[i]));
    if (same_id != i) {
      out[i] = same_id;  // a correction: the same id entered again
    } else if (quotes[latest]->observed > quotes[i]->observed) {
      out[i] = latest;  // an older observation of the same offer
    }
    // Another id observed the same day is another lot: never superseded.
  }
  return out;
}

std::string_view QuoteCategoryName(QuoteCategory category) {
  for (const auto& [value, name] : kCategoryNames)
    if (value == category) return name;
  return "?";
}

Availability ExportVerdictOn(const std::vector<ExportRule>& rules, const Quote& quote, const BuyerPolicy& buyer,
                             Date date) {
  QuoteUse use;
  use.buyer = buyer;
  use.date = date;
  return ExportVerdict(rules, quote, use);
}

QuoteVerdict CheckQuoteUse(const std::vector<ExportRule>& rules, const Quote& quote, const QuoteUse& use) {
  QuoteVerdict verdict;
  // Drops the quote for `category`, the reason formatted in English and in the current language.
  const auto drop = [&](QuoteCategory category, std::string_view english, const auto&... args) {
    verdict.category = category;
    verdict.availability.allowed = false;
    verdict.availability.flagged = false;
    verdict.availability.reason = fmt::format(fmt::runtime(english), args...);
    verdict.availability.reason_text = TrFormat(english, args...);
    return verdict;
  };
  // A quote not yet observed does not exist on the date: nothing else about
  // it is worth reporting.
  if (use.date < quote.observed)
    return drop(QuoteCategory::kFuture, "observed {}, after {}", FormatDate(quote.observed), FormatDate(use.date));
  if (use.check_buyer) {
    const BuyerPolicy& buyer = use.buyer;
    // The rule in force is recorded whichever check decides.
    const Availability export_verdict = ExportVerdict(rules, quote, use);
    verdict.availability.rule_id = export_verdict.rule_id;
    verdict.availability.action = export_verdict.action;
    // A quote offered only to other regions was never on offer to this
    // buyer, whatever the rules for its region say: region first.
    if (!quote.regions.empty() && !ContainsFolded(quote.regions, buyer.region))
      return drop(QuoteCategory::kRegion, "sold only to buyers in {}", Join(quote.regions, ", "));
    // Export rules next: a ban is the most fundamental reason, named even
    // when the quote has also expired.
    verdict.availability = export_verdict;
    if (!verdict.availability.allowed) {
      verdict.category = QuoteCategory::kRule;
      verdict.availability.flagged = false;
      return verdict;
    }
    if (quote.channel == ChannelTier::kGreyMarket && !buyer.allow_grey_market)
      return drop(QuoteCategory::kChannel, "grey-market supply and buyer.allow_grey_market is false");
    if (!quote.buyers.empty() && !ContainsFolded(quote.buyers, buyer.tier))
      return drop(QuoteCategory::kTier, "{} sells only to {} buyers, not {}", ChannelTierName(quote.channel),
                  Join(quote.buyers, ", "), buyer.tier);
  }
  if (quote.valid_until && use.date > *quote.valid_until)
    return drop(QuoteCategory::kExpired, "expired on {}", FormatDate(*quote.valid_until));
  if (!quote.valid_until && use.max_quote_age_days &&
      DaysBetween(quote.observed, use.date) > *use.max_quote_age_days)
    return drop(QuoteCategory::kStale, "observed {}, {} days before {}; limit {} days", FormatDate(quote.observed),
                DaysBetween(quote.observed, use.date), FormatDate(use.date), *use.max_quote_age_days);
  if (use.cards_wanted > 0 && quote.quantity_available > 0 && quote.quantity_available < use.cards_wanted)
    return drop(QuoteCategory::kStock, "{} cards in stock, {} wanted", quote.quantity_available, use.cards_wanted);
  verdict.category = verdict.availability.flagged ? QuoteCategory::kFlagged : QuoteCategory::kOk;
  return verdict;
}

std::vector<QuoteVerdict> ClassifyQuotes(const std::vector<ExportRule>& rules, const std::vector<const Quote*>& quotes,
                                         const std::function<QuoteUse(const Quote&)>& use_of, bool keep_superseded) {
  std::vector<QuoteVerdict> verdicts;
  verdicts.reserve(quotes.size());
  for (const Quote* q : quotes) verdicts.push_back(CheckQuoteUse(rules, *q, use_of(*q)));
  // Of the quotes on offer (blocked ones kept; future, expired and stale
  // ones not), a supplier's newest observation supersedes its older ones.
  std::vector<const Quote*> on_offer;
  std::vector<size_t> at;
  for (size_t i = 0; i < quotes.size(); ++i) {
    const QuoteCategory c = verdicts[i].category;
    if (c == QuoteCategory::kExpired || c == QuoteCategory::kStale || c == QuoteCategory::kFuture) continue;
    on_offer.push_back(quotes[i]);
    at.push_back(i);
  }
  const std::vector<std::optional<size_t>> superseded = SupersededBy(on_offer);
  for (size_t k = 0; k < on_offer.size(); ++k) {
    if (!superseded[k]) continue;
    QuoteVerdict& verdict = verdicts[at[k]];
    const Quote& newer = *on_offer[*superseded[k]];
    verdict.superseded_by = newer.id;
    if (keep_superseded) continue;
    constexpr const char* kSuperseded = "superseded by {} (observed {}), the same supplier's newer quote for this "
                                        "SKU, unit and condition";
    verdict.category = QuoteCategory::kSuperseded;
    verdict.availability.allowed = false;
    verdict.availability.flagged = false;
    constexpr const char* kCorrection = "superseded by {} (observed {}), a correction entered later under the same id";
    const char* why = newer.id == on_offer[k]->id ? kCorrection : kSuperseded;
    verdict.availability.reason = fmt::format(fmt::runtime(why), newer.id, FormatDate(newer.observed));
    verdict.availability.reason_text = TrFormat(why, newer.id, FormatDate(newer.observed));
  }
  return verdicts;
}

ReasonText ExplainNoUsableQuote(const std::vector<CheckedQuote>& checked, const QuoteUse& use) {
  ReasonText out;
  // Appends one part: `english` with `en` arguments, its translation with `text` ones.
  const auto add = [&out](std::string_view english, const auto& en, const auto& text) {
    out.english += (out.english.empty() ? "" : "; ") + std::apply(
        [&](const auto&... a) { return fmt::format(fmt::runtime(english), a...); }, en);
    out.text += (out.text.empty() ? "" : Tr("; ")) + std::apply(
        [&](const auto&... a) { return TrFormat(english, a...); }, text);
  };
  // Listed with the rules first (what stops supply for everyone in the region).
  constexpr QuoteCategory kOrder[] = {QuoteCategory::kFuture, QuoteCategory::kRule,    QuoteCategory::kChannel,
                                      QuoteCategory::kTier,   QuoteCategory::kRegion,  QuoteCategory::kExpired,
                                      QuoteCategory::kStale,  QuoteCategory::kStock};
  // Quotes not yet observed matter only when nothing else explains it.
  const bool only_future = std::all_of(checked.begin(), checked.end(), [](const CheckedQuote& c) {
    return c.verdict.category == QuoteCategory::kFuture || c.verdict.usable();
  });
  for (const QuoteCategory category : kOrder) {
    if (category == QuoteCategory::kFuture && !only_future) continue;
    std::vector<const CheckedQuote*> group;
    for (const CheckedQuote& c : checked) {
      if (c.verdict.category == category) group.push_back(&c);
    }
    if (group.empty()) continue;
    const size_t n = group.size();
    const std::string count_en = n == 1 ? "1 quote" : fmt::format("{} quotes", n);
    const std::string count = n == 1 ? Tr("1 quote") : TrFormat("{} quotes", n);
    Date first = group.front()->quote->observed, newest = first, until;
    bool one_date = true;
    for (const CheckedQuote* c : group) {
      first = std::min(first, c->quote->observed);
      newest = std::max(newest, c->quote->observed);
      one_date = one_date && c->quote->observed == group.front()->quote->observed;
      if (c->quote->valid_until) until = std::max(until, *c->quote->valid_until);
    }
    // The first quote's own reason stands for the group.
    const Availability& a = group.front()->verdict.availability;
    switch (category) {
      case QuoteCategory::kFuture: {
        const std::string on = FormatDate(use.date), seen = FormatDate(first);
        add("{} observed after {} (the first on {})", std::tie(count_en, on, seen), std::tie(count, on, seen));
        break;
      }
      case QuoteCategory::kRule:
        add("{} blocked by an export rule ({})", std::tie(count_en, a.reason), std::tie(count, a.reason_text));
        break;
      case QuoteCategory::kChannel:
      case QuoteCategory::kTier:
      case QuoteCategory::kRegion:
        add("{} not sold to this buyer ({})", std::tie(count_en, a.reason), std::tie(count, a.reason_text));
        break;
      case QuoteCategory::kExpired: {
        const std::string last = FormatDate(until);
        add("{} expired (the latest valid until {})", std::tie(count_en, last), std::tie(count, last));
        break;
      }
      case QuoteCategory::kStale: {
        const std::string seen = FormatDate(newest), on = FormatDate(use.date);
        const int64_t days = DaysBetween(newest, use.date);
        const int limit = use.max_quote_age_days.value_or(0);
        add(one_date ? "{} stale (observed {}, {} days before {}; limit {} days)"
                     : "{} stale (newest observed {}, {} days before {}; limit {} days)",
            std::tie(count_en, seen, days, on, limit), std::tie(count, seen, days, on, limit));
        break;
      }
      case QuoteCategory::kStock:
        add("{} short of stock ({})", std::tie(count_en, a.reason), std::tie(count, a.reason_text));
        break;
      default:
        break;
    }
  }
  if (out.english.empty()) add("no quote in the market", std::tuple<>(), std::tuple<>());
  return out;
}

}  // namespace suanli
