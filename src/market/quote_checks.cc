// Checks of a new store row and the tolerant reading of a store (market/quote_checks.h).
#include "market/quote_checks.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"

namespace suanli {
namespace {

// Returns "WHERE FIELD", or FIELD alone when `where` is empty (as ValidateQuote).
std::string At(const std::string& where, std::string_view field) {
  return where.empty() ? fmt::format(" {}", field) : fmt::format("{} {}", where, field);
}

// Returns true when `text` has nothing but spaces and tabs.
bool Blank(std::string_view text) { return text.find_first_not_of(" \t") == std::string_view::npos; }

// Returns the year of `date`.
int YearOf(Date date) { return std::stoi(FormatDate(date).substr(0, 4)); }

}  // namespace

const std::vector<std::string>& ReportCurrencies() {
  static const std::vector<std::string> currencies = {"CNY", "USD"};
  return currencies;
}

Status CheckQuoteCurrency(const Quote& quote, const FxTable& fx, const std::string& where,
                          const std::string& db_flag) {
  for (const std::string& to : ReportCurrencies()) {
    if (fx.Convert(1.0, quote.currency, to, quote.observed).ok()) continue;
    std::vector<std::string> known = fx.Currencies();
    if (known.empty()) known = ReportCurrencies();
    return MakeError(TrFormat("currency '{}' has no FX rate to {}, so no plan could price this quote", quote.currency,
                              to),
                     At(where, "currency"),
                     TrFormat("quote in one of the known currencies ({}), or first add a rate: suanli market fx add{} "
                              "--date {} --from {} --to {} --rate R --source TEXT",
                              Join(known, ", "), db_flag, FormatDate(quote.observed), quote.currency, to));
  }
  return OkStatus();
}

Status CheckNewQuote(const Quote& quote, const NewQuoteContext& context, const std::string& where) {
  if (Blank(quote.supplier)) {
    return MakeError(Tr("empty supplier"), At(where, "supplier"),
                     Tr("name who quoted, e.g. \"Shenzhen reseller\" (it also forms the default id)"));
  }
  if (quote.supplier.size() > kMaxSupplierBytes) {
    return MakeError(TrFormat("supplier is {} bytes long, more than {}", quote.supplier.size(), kMaxSupplierBytes),
                     At(where, "supplier"), Tr("give a short name; put the detail in notes or source"));
  }
  if (quote.id.size() > kMaxQuoteIdBytes) {
    return MakeError(TrFormat("id is {} bytes long, more than {}", quote.id.size(), kMaxQuoteIdBytes),
                     At(where, "id"), Tr("give a shorter id"));
  }
  if (context.fx != nullptr) SUANLI_RETURN_IF_ERROR(CheckQuoteCurrency(quote, *context.fx, where, context.db_flag));
  if (context.fx != nullptr && context.check_plausibility)
    SUANLI_RETURN_IF_ERROR(PricePlausibilityProblem(quote, *context.fx, where));
  if (context.today && quote.observed > *context.today) {
    return MakeError(TrFormat("observed {} is after today ({})", FormatDate(quote.observed),
                              FormatDate(*context.today)),
                     At(where, "observed"), Tr("give the date the price was seen, not a future one"));
  }
  if (context.release_year) {
    const std::optional<int> year = context.release_year(quote.sku);
    if (year && YearOf(quote.observed) < *year - kPreReleaseQuoteYears) {
      return MakeError(TrFormat("observed {} is before {} existed (released {}, catalog); quotes from {} on are "
                                "accepted (pre-orders, samples)",
                                FormatDate(quote.observed), quote.sku, *year, *year - kPreReleaseQuoteYears),
                       At(where, "observed"), Tr("check the date and the SKU (suanli show SKU gives its year)"));
    }
  }
  return OkStatus();
}

std::string DefaultQuoteId(const Quote& quote) {
  std::string supplier = NormalizeId(quote.supplier);
  if (supplier.size() > kIdSupplierChars) supplier.resize(kIdSupplierChars);
  while (!supplier.empty() && supplier.back() == '-') supplier.pop_back();
  return fmt::format("{}-{}-{}", quote.sku, FormatDate(quote.observed), supplier);
}

ConvertibleQuotes DropUnconvertible(std::vector<Quote> quotes, const FxTable& fx, const std::string& currency,
                                    const std::string& store) {
  ConvertibleQuotes out;
  for (Quote& q : quotes) {
    if (fx.Convert(1.0, q.currency, currency, q.observed).ok()) {
      out.quotes.push_back(std::move(q));
      continue;
    }
    out.skipped.push_back(TrFormat(
        "quote {} in {} skipped: its currency {} has no FX rate to {}; add one (suanli market fx add --db {} "
        "--date {} --from {} --to {} --rate R --source TEXT) or re-enter the quote in a known currency",
        q.id, store, q.currency, currency, store, FormatDate(q.observed), q.currency, currency));
  }
  return out;
}

}  // namespace suanli

namespace suanli {

namespace {

// Hours in a month of rental (365 × 24 / 12).
constexpr double kRentalHoursPerMonth = 730;

// Returns what one card of `q` costs in its own currency: per card for a
// purchase, per card-hour for a rental (a server-month over its cards and
// the month's hours).
double PerCardPrice(const Quote& q) {
  const double per_card = q.unit_price / std::max(1, q.cards_per_unit);
  if (q.unit == QuoteUnit::kGpuHour) return q.unit_price;  // per card by definition
  return q.unit == QuoteUnit::kServerMonth ? per_card / kRentalHoursPerMonth : per_card;
}

// Returns the group a quote is compared within: purchases of one SKU and
// condition, or rentals of one SKU.
std::string OutlierGroup(const Quote& q) {
  return IsRental(q.unit) ? q.sku + "|rental" : q.sku + "|" + std::string(ConditionName(q.condition));
}

}  // namespace

std::vector<std::string> PriceOutlierWarnings(const std::vector<Quote>& quotes, const std::vector<std::string>& ids,
                                              const FxTable& fx) {
  std::vector<std::string> warnings;
  for (auto& [id, warning] : PriceOutliersById(quotes, ids, fx)) warnings.push_back(std::move(warning));
  return warnings;
}

std::vector<std::pair<std::string, std::string>> PriceOutliersById(const std::vector<Quote>& quotes,
                                                                   const std::vector<std::string>& ids,
                                                                   const FxTable& fx) {
  // One pass to group the quotes, then per group and currency one sorted
  // list of per-card prices (each quote converted on its own date): n log n
  // for an import of n rows (it was a scan of every quote per imported row).
  std::unordered_map<std::string, size_t> by_id;
  std::unordered_map<std::string, std::vector<size_t>> groups;
  for (size_t i = 0; i < quotes.size(); ++i) {
    by_id.emplace(quotes[i].id, i);
    groups[OutlierGroup(quotes[i])].push_back(i);
  }
  std::map<std::pair<std::string, std::string>, std::vector<double>> sorted;  // (group, currency) -> prices
  std::vector<std::pair<std::string, std::string>> warnings;
  for (const std::string& id : ids) {
    const auto found = by_id.find(id);
    if (found == by_id.end()) continue;
    const Quote& quote = quotes[found->second];
    const double price = PerCardPrice(quote);
    const std::string group = OutlierGroup(quote);
    auto [slot, is_new] = sorted.try_emplace({group, quote.currency});
    std::vector<double>& all = slot->second;
    if (is_new) {
      for (size_t k : groups[group]) {
        const Quote& o = quotes[k];
        auto converted = fx.Convert(PerCardPrice(o), o.currency, quote.currency, o.observed);
        if (converted.ok()) all.push_back(*converted);
      }
      std::sort(all.begin(), all.end());
    }
    // The others: every price of the group but this quote's own one.
    const auto self = std::lower_bound(all.begin(), all.end(), price);
    if (self == all.end() || *self != price || all.size() < 2 || !(price > 0)) continue;
    const size_t skip = static_cast<size_t>(self - all.begin());
    const size_t n = all.size() - 1;
    const auto other = [&](size_t k) { return all[k < skip ? k : k + 1]; };
    const double median = n % 2 == 1 ? other(n / 2) : (other(n / 2 - 1) + other(n / 2)) / 2;
    if (!(median > 0)) continue;
    const double ratio = price / median;
    if (ratio <= kPriceOutlierFactor && ratio >= 1 / kPriceOutlierFactor) continue;
    if (IsRental(quote.unit)) {
      const std::string cause =
          ratio > 1 ? Tr("an instance's hourly price typed as one card's? a gpu-hour price is per card: divide by "
                         "the cards in the instance")
                    : Tr("check the price, currency and unit (server-month is per server and month)");
      warnings.emplace_back(id, TrFormat("quote {}: {:.3g} {} per card-hour is {:.2g}× the median {:.3g} {} of the {} other "
                                  "{} rentals; {}",
                                  quote.id, price, quote.currency, ratio, median, quote.currency, n, quote.sku, cause));
      continue;
    }
    const std::string cause =
        ratio > 1 ? (quote.unit == QuoteUnit::kCard
                         ? Tr("a server's price typed as a card's? give unit: server and its cards_per_unit")
                         : Tr("check cards_per_unit: the price is divided by it"))
                  : (quote.unit == QuoteUnit::kCard ? Tr("check the price and currency")
                                                    : Tr("cards_per_unit too large, or a card's price typed as a "
                                                         "server's? check unit and cards_per_unit"));
    warnings.emplace_back(id, TrFormat("quote {}: {:.0f} {} per card is {:.2g}× the median {:.0f} {} of the {} other "
                                "{} {} quotes; {}",
                                quote.id, price, quote.currency, ratio, median, quote.currency, n, quote.sku,
                                ConditionName(quote.condition), cause));
  }
  return warnings;
}

Status PricePlausibilityProblem(const Quote& quote, const FxTable& fx, const std::string& where) {
  const bool rental = IsRental(quote.unit);
  const PlausibleRange range = rental ? kPlausibleRentalPerCardHourCny : kPlausiblePurchasePerCardCny;
  auto cny = fx.Convert(PerCardPrice(quote), quote.currency, "CNY", quote.observed);
  if (!cny.ok() || (*cny >= range.min_cny && *cny <= range.max_cny)) return OkStatus();
  const std::string per = rental ? Tr("card-hour") : Tr("card");
  return MakeError(TrFormat("{:.4g} {} per {} ({:.4g} CNY) is outside the plausible range {:g} to {:g} CNY per {} "
                            "(an estimate, docs/market.md)",
                            PerCardPrice(quote), quote.currency, per, *cny, range.min_cny, range.max_cny, per),
                   At(where, "unit_price"),
                   rental ? Tr("check the price, currency and unit (gpu-hour is per card and hour, server-month per "
                               "server and month); add --force if the price is real")
                          : Tr("check the price (typed in 万?), currency, unit and cards_per_unit; add --force if "
                               "the price is real"));
}

std::map<std::string, std::string> QuotePriceFlags(const std::vector<Quote>& quotes,
                                                   const std::vector<std::string>& ids, const FxTable& fx) {
  std::map<std::string, std::string> flags;
  for (auto& [id, warning] : PriceOutliersById(quotes, ids, fx)) {
    flags[id] = TrFormat("price outlier, check it: {}", warning);
  }
  std::unordered_map<std::string, const Quote*> by_id;
  for (const Quote& q : quotes) by_id.emplace(q.id, &q);
  for (const std::string& id : ids) {
    const auto found = by_id.find(id);
    if (found == by_id.end()) continue;
    const Status plausible = PricePlausibilityProblem(*found->second, fx, "");
    if (plausible.ok()) continue;
    const std::string text = TrFormat("implausible price, check it: quote {}: {}", id, plausible.error().message);
    flags[id] = flags[id].empty() ? text : TrFormat("{}; {}", flags[id], text);
  }
  return flags;
}

}  // namespace suanli
