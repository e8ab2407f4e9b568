// Checks of a new store row and the tolerant reading of a store (market/quote_checks.h).
#include "market/quote_checks.h"


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

Status CheckQuoteCurrency(const Quote& quote, const FxTable& fx, const std::string& where) {
  for (const std::string& to : ReportCurrencies()) {
    if (fx.Convert(1.0, quote.currency, to, quote.observed).ok()) continue;
    std::vector<std::string> known = fx.Currencies();
    if (known.empty()) known = ReportCurrencies();
    return MakeError(TrFormat("currency '{}' has no FX rate to {}, so no plan could price this quote", quote.currency,
                              to),
                     At(where, "currency"),
                     TrFormat("quote in one of the known currencies ({}), or first add a rate: suanli market fx add "
                              "--date {} --from {} --to {} --rate R --source TEXT",
                              Join(known, ", "), FormatDate(quote.observed), quote.currency, to));
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
  if (context.fx != nullptr) SUANLI_RETURN_IF_ERROR(CheckQuoteCurrency(quote, *context.fx, where));
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
