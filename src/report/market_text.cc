// Terminal text of the quote store's answers; see market_text.h.
#include "report/market_text.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/i18n.h"
#include "core/text.h"
#include "market/quote_keys.h"
#include "report/output.h"
#include "report/table.h"

namespace suanli {
namespace {

// Returns a price: whole units with thousands separators from 100 up, else two decimals.
std::string Money(double value) {
  if (value >= 100) return FormatCount(value);
  return fmt::format("{:.2f}", value);
}

// Returns `text` wrapped to the output width, every line after the first
// indented by `indent` spaces, with a trailing newline.
std::string Wrapped(const std::string& text, size_t indent) {
  const size_t width = std::max<size_t>(40, CurrentOutput().width);
  std::string out;
  for (const std::string& line : WrapToWidth(text, width - indent)) {
    out += (out.empty() ? "" : std::string(indent, ' ')) + line + "\n";
  }
  return out.empty() ? "\n" : out;
}

// Returns weeks rounded to one decimal, without trailing zeros.
std::string Weeks(double value) { return fmt::format("{:g}", std::round(value * 10) / 10); }

// Returns the note column of a listed quote: estimate, flagged, cash, ...
std::string ListingNote(const ListedQuote& listed) {
  const Quote& q = listed.quote;
  std::vector<std::string> notes;
  if (q.estimate) notes.push_back(Tr("estimate"));
  if (listed.availability.flagged) notes.push_back(Tr("flagged"));
  if (q.payment.cash_up_front) notes.push_back(Tr("cash"));
  if (q.warranty_months == 0 && q.condition != Condition::kNew) notes.push_back(Tr("no warranty"));
  if (!q.buyers.empty()) notes.push_back(TrFormat("{} only", Join(q.buyers, " / ")));
  if (!listed.superseded_by.empty()) notes.push_back(TrFormat("superseded by {}", listed.superseded_by));
  return Join(notes, Tr(", "));
}

// Returns a condition other than new in the current language ("used-pulled", "refurbished").
std::string ConditionText(Condition condition) {
  switch (condition) {
    case Condition::kUsedPulled: return Tr("used-pulled");
    case Condition::kRefurbished: return Tr("refurbished");
    case Condition::kNew: break;
  }
  return Tr("new");
}

// Returns what the quote's price is per, as a whole phrase in the current
// language: "quoted 45,000 CNY per server-month" (the word order differs between languages).
std::string QuotedText(const Quote& q) {
  const std::string price = Money(q.unit_price);
  switch (q.unit) {
    case QuoteUnit::kServer: return TrFormat("quoted {} {} per server", price, q.currency);
    case QuoteUnit::kGpuHour: return TrFormat("quoted {} {} per gpu-hour", price, q.currency);
    case QuoteUnit::kServerMonth: return TrFormat("quoted {} {} per server-month", price, q.currency);
    case QuoteUnit::kCard: break;
  }
  return TrFormat("quoted {} {} per card", price, q.currency);
}

// Returns the note of a listed quote in the terminal listing: its condition
// when not new, the quoted price when not per card in `currency`, then ListingNote.
std::string TerminalNote(const ListedQuote& listed, const std::string& currency) {
  const Quote& q = listed.quote;
  std::vector<std::string> notes;
  if (q.condition != Condition::kNew) notes.push_back(ConditionText(q.condition));
  if (q.unit != QuoteUnit::kCard || q.currency != currency) notes.push_back(QuotedText(q));
  const std::string rest = ListingNote(listed);
  if (!rest.empty()) notes.push_back(rest);
  return Join(notes, Tr(", "));
}

}  // namespace

std::string ImportedText(const std::string& file, const ImportReport& report, const std::string& store_path) {
  std::string text = TrFormat("imported {} quotes from {} into {}", report.imported, file, store_path) + "\n";
  if (report.skipped > 0) {
    text += TrFormat("skipped {} rows identical to the store's seed quotes", report.skipped) + "\n";
  }
  return text;
}

std::string StoreCheckText(const StoreCheck& check) {
  std::string text = TrFormat("market check: {} {}", check.path, check.ok ? Tr("ok") : Alarm(Tr("DAMAGED"))) + "\n";
  const auto count = [](int n) { return n < 0 ? Tr("unreadable") : FormatCount(n); };
  text += TrFormat("schema version {}; {} quotes; {} FX rates", check.schema_version, count(check.quotes),
                   count(check.fx_rates)) +
          "\n";
  for (const std::string& problem : check.problems) text += "  " + TrFormat("problem: {}", problem) + "\n";
  if (!check.ok) text += Tr("repair: suanli market repair --from EXPORT (a `suanli market export` file)") + "\n";
  return text;
}

std::string RepairText(const RepairReport& report) {
  std::string text = TrFormat("rebuilt {}: {} quotes imported, {} identical seed rows skipped, {} FX rates "
                              "salvaged",
                              report.path, report.quotes_imported, report.seed_skipped, report.fx_rates_salvaged) +
                     "\n";
  if (!report.backup_path.empty()) text += TrFormat("the damaged file is kept as {}", report.backup_path) + "\n";
  return text;
}

std::string AddedQuoteText(const Quote& quote, const std::string& store_path) {
  if (quote.cards_per_unit > 1 && quote.unit != QuoteUnit::kGpuHour) {
    // What list and plan read: the unit's price over its cards (adversary report item 8).
    const bool rent = quote.unit == QuoteUnit::kServerMonth;
    return TrFormat("added quote {} ({} {} {} per {} of {} cards = {} {} per {}) to {}", quote.id, quote.sku,
                    Money(quote.unit_price), quote.currency, QuoteUnitName(quote.unit), quote.cards_per_unit,
                    Money(quote.unit_price / quote.cards_per_unit), quote.currency,
                    rent ? Tr("card-month") : Tr("card"), store_path) +
           "\n";
  }
  return TrFormat("added quote {} ({} {} {} per {}) to {}", quote.id, quote.sku, Money(quote.unit_price),
                  quote.currency, QuoteUnitName(quote.unit), store_path) +
         "\n";
}

std::string AddedFxText(const FxRate& rate, const std::string& store_path) {
  return TrFormat("added 1 {} = {:g} {} on {} to {}", rate.from, rate.rate, rate.to, FormatDate(rate.date),
                  store_path) +
         "\n";
}

namespace {

// Returns what a history price is per: a card (bought loose or in a server),
// a card-hour or a card-month (rentals, divided by the cards per unit).
std::string PricePer(QuoteUnit unit) {
  switch (unit) {
    case QuoteUnit::kGpuHour: return Tr("card-hour");
    case QuoteUnit::kServerMonth: return Tr("card-month");
    case QuoteUnit::kCard:
    case QuoteUnit::kServer: break;
  }
  return Tr("card");
}

}  // namespace

TextTable QuoteListingTable(const QuoteListing& listing, const std::vector<ListedPrice>& prices,
                            const std::string& currency) {
  // The quote files' own columns (plain, one per field), then the listing's.
  std::vector<std::string> header(QuoteKeys().begin(), QuoteKeys().end());
  const size_t fields = header.size();
  for (const std::string column : {fmt::format("price_per_card_{}", currency), std::string("per"),
                                   fmt::format("fx_rate_to_{}", currency), std::string("fx_date"),
                                   std::string("fx_source"), std::string("note")}) {
    header.push_back(column);
  }
  TextTable table(header);
  for (size_t i = 0; i < listing.quotes.size(); ++i) {
    const Quote& q = listing.quotes[i].quote;
    std::vector<std::string> row = QuoteCells(q);
    row.resize(fields);
    const ListedPrice& p = prices[i];
    row.push_back(fmt::format("{:.2f}", p.per_card));
    row.push_back(std::string(IsRental(q.unit) ? QuoteUnitName(q.unit) : "card"));
    // No conversion: rate 1, no date or source.
    const bool converted = q.currency != currency;
    row.push_back(fmt::format("{}", p.fx.rate));
    row.push_back(converted ? FormatDate(p.fx.date) : "");
    row.push_back(converted ? p.fx.source : "");
    row.push_back(ListingNote(listing.quotes[i]));
    table.AddRow(std::move(row));
  }
  return table;
}

std::string ListingFxText(const QuoteListing& listing, const std::vector<ListedPrice>& prices,
                          const std::string& currency, std::optional<Date> as_of) {
  std::vector<std::string> rates;  // "1 USD = 7.1 CNY (rate of 2025-08-01)", once each
  for (size_t i = 0; i < listing.quotes.size() && i < prices.size(); ++i) {
    if (listing.quotes[i].quote.currency == currency) continue;
    const FxRate& fx = prices[i].fx;
    const std::string rate = TrFormat("1 {} = {:.4f} {} (rate of {})", listing.quotes[i].quote.currency, fx.rate,
                                      currency, FormatDate(fx.date));
    if (std::find(rates.begin(), rates.end(), rate) == rates.end()) rates.push_back(rate);
  }
  if (rates.empty()) return "";
  if (as_of) {
    return TrFormat("prices in {} at the FX rates on {}, as plan converts on the buyer's date: {}", currency,
                    FormatDate(*as_of), Join(rates, "; "));
  }
  return TrFormat("prices in {} at each quote's observation-date FX rate ({} rates; `--format csv` lists each "
                  "quote's); plan converts on the buyer's date: --as-of DATE lists those prices",
                  currency, rates.size());
}

std::string QuoteListingText(const QuoteListing& listing, const std::vector<double>& per_card,
                             const std::string& currency, bool show_excluded, const std::string& fx_note) {
  // One table per SKU (the SKU is the heading), narrow enough for 100 columns.
  std::vector<std::string> skus;
  for (const ListedQuote& listed : listing.quotes) {
    if (std::find(skus.begin(), skus.end(), listed.quote.sku) == skus.end()) skus.push_back(listed.quote.sku);
  }
  std::string out;
  for (const std::string& sku : skus) {
    TextTable table({"id", Tr("channel"), TrFormat("price {}", currency), Tr("per"), Tr("stock, cards"),
                     Tr("lead wk"), Tr("observed"), Tr("note")});
    table.AlignColumn(2, TextTable::Align::kRight).AlignColumn(4, TextTable::Align::kRight);
    table.AlignColumn(5, TextTable::Align::kRight);
    for (size_t i = 0; i < listing.quotes.size(); ++i) {
      const ListedQuote& listed = listing.quotes[i];
      const Quote& q = listed.quote;
      if (q.sku != sku) continue;
      table.AddRow({q.id, std::string(ChannelTierName(q.channel)), Money(per_card[i]), PricePer(q.unit),
                    q.quantity_available > 0 ? FormatCount(q.quantity_available) : "-",
                    fmt::format("{}/{}/{}", Weeks(q.lead_weeks_min), Weeks(q.lead_weeks_likely),
                                Weeks(q.lead_weeks_max)),
                    FormatDate(q.observed), TerminalNote(listed, currency)});
    }
    out += (out.empty() ? "" : "\n") + sku + "\n" + table.Render();
  }
  if (!skus.empty()) out += "\n";
  out += TrFormat("{} quotes", listing.quotes.size());
  if (!listing.excluded.empty()) out += TrFormat(", {} excluded", listing.excluded.size());
  out += "\n";
  if (show_excluded) {
    for (const ListedQuote& listed : listing.excluded) {
      out += "  " + Wrapped(TrFormat("excluded {}: {}", listed.quote.id, listed.availability.reason_text), 4);
    }
  } else if (!listing.excluded.empty()) {
    out += Tr("(--show-excluded lists the reasons)") + "\n";
  }
  if (!fx_note.empty()) out += Wrapped(fx_note, 0);
  if (!listing.quotes.empty()) {
    out += Dim(Tr("stock: cards available (quantity_available; - = not stated); lead wk: weeks to delivery, "
                  "min/likely/max; `--format csv` prints every field")) +
           "\n";
  }
  return out;
}


TextTable PriceHistoryTable(const std::string& currency, const std::vector<HistoryPoint>& history, bool all_fields) {
  std::vector<std::string> header = {Tr("observed"), "id", Tr("channel"), Tr("cond")};
  if (all_fields) header.push_back(Tr("unit"));
  header.push_back(TrFormat("price {}", currency));
  header.push_back(Tr("per"));
  header.push_back(Tr("lead wk"));
  if (all_fields) header.push_back(Tr("supplier"));
  TextTable table(header);
  table.AlignColumn(all_fields ? 5 : 4, TextTable::Align::kRight);
  table.AlignColumn(all_fields ? 7 : 6, TextTable::Align::kRight);
  for (const HistoryPoint& p : history) {
    std::vector<std::string> row = {FormatDate(p.observed), p.quote_id, std::string(ChannelTierName(p.channel)),
                                    std::string(ConditionName(p.condition))};
    if (all_fields) row.push_back(std::string(QuoteUnitName(p.unit)));
    row.push_back(Money(p.price_per_card) + (p.estimate ? "*" : ""));
    row.push_back(PricePer(p.unit));
    row.push_back(Weeks(p.lead_weeks_likely));
    if (all_fields) row.push_back(p.supplier);
    table.AddRow(std::move(row));
  }
  return table;
}

TextTable PriceHistoryCsvTable(const std::string& currency, const std::vector<HistoryPoint>& history) {
  TextTable table({"observed", "id", "channel", "condition", "unit", "cards_per_unit", "price_" + currency,
                   "price_per_card_" + currency, "per", "lead_weeks_likely", "estimate", "supplier"});
  for (const HistoryPoint& p : history) {
    table.AddRow({FormatDate(p.observed), p.quote_id, std::string(ChannelTierName(p.channel)),
                  std::string(ConditionName(p.condition)), std::string(QuoteUnitName(p.unit)),
                  fmt::format("{}", p.cards_per_unit), fmt::format("{}", p.price), fmt::format("{}", p.price_per_card),
                  p.unit == QuoteUnit::kGpuHour       ? "card-hour"
                  : p.unit == QuoteUnit::kServerMonth ? "card-month"
                                                      : "card",
                  fmt::format("{}", p.lead_weeks_likely), p.estimate ? "true" : "false",
                  p.supplier});
  }
  return table;
}

std::string PriceHistoryText(const std::string& sku, const std::string& currency,
                             const std::vector<HistoryPoint>& history) {
  std::string out =
      Wrapped(TrFormat("{} price history ({}; prices converted at each observation date; * = estimate)", sku,
                       currency),
              0);
  // Purchases and rentals are different prices: say so when both are listed.
  const bool rentals = std::any_of(history.begin(), history.end(), [](const HistoryPoint& p) { return IsRental(p.unit); });
  const bool purchases =
      std::any_of(history.begin(), history.end(), [](const HistoryPoint& p) { return !IsRental(p.unit); });
  if (rentals && purchases)
    out += Wrapped(Tr("per: what the price buys (a card to own, or one card rented for an hour or a month; server "
                      "prices divided by their cards): compare prices only within one kind"),
                   0);
  out += PriceHistoryTable(currency, history, false).Render();
  if (history.empty()) return out + TrFormat("no quotes for {}", sku) + "\n";
  out += '\n';
  out += Tr("suppliers:") + "\n";
  for (const HistoryPoint& p : history) out += "  " + Wrapped(fmt::format("{}: {}", p.quote_id, p.supplier), 4);
  return out;
}

TextTable FxRatesTable(const std::vector<FxRate>& rates) {
  TextTable table({Tr("from"), Tr("to"), Tr("date"), Tr("rate"), Tr("source")});
  table.AlignColumn(3, TextTable::Align::kRight);
  for (const FxRate& r : rates) table.AddRow({r.from, r.to, FormatDate(r.date), fmt::format("{:g}", r.rate), r.source});
  return table;
}

std::string FxRatesText(const std::vector<FxRate>& rates) {
  return FxRatesTable(rates).Render() +
         Wrapped(TrFormat("{} rates; a conversion uses the latest rate on or before its date (docs/market.md)",
                          rates.size()),
                 0);
}

TextTable ChannelChecksTable(const std::vector<ChannelCheck>& checks) {
  TextTable table({"channel", "allowed", "flagged", "action", "rule", "reason"});
  for (const auto& [channel, a] : checks) {
    table.AddRow({std::string(ChannelTierName(channel)), a.allowed ? "yes" : "no", a.flagged ? "yes" : "no",
                  a.rule_id.empty() ? "" : std::string(ExportActionName(a.action)), a.rule_id, a.reason_text});
  }
  return table;
}

std::string ChannelChecksText(const std::string& sku, const std::string& region, const Date& date,
                              const std::vector<ChannelCheck>& checks) {
  TextTable table({Tr("channel"), Tr("allowed"), Tr("action"), Tr("rule")});
  std::string reasons;
  for (const auto& [channel, a] : checks) {
    table.AddRow({std::string(ChannelTierName(channel)),
                  a.allowed ? (a.flagged ? Tr("yes (flagged)") : Tr("yes")) : Alarm(Tr("no")),
                  a.rule_id.empty() ? "-" : std::string(ExportActionName(a.action)),
                  a.rule_id.empty() ? "-" : a.rule_id});
    reasons += Wrapped(TrFormat("{}: {}", ChannelTierName(channel),
                                a.reason_text.empty() ? Tr("no rule covers it") : a.reason_text),
                       2);
  }
  return TrFormat("{} for {} buyers on {}:", sku, region, FormatDate(date)) + "\n" + table.Render() + "\n" +
         reasons;
}

std::string RulesCountLine(size_t shown, const RulesScope& scope) {
  std::vector<std::string> parts;
  if (!scope.region.empty()) parts.push_back(TrFormat("apply to buyers in {}", scope.region));
  if (scope.date) parts.push_back(TrFormat("are in force on {}", FormatDate(*scope.date)));
  if (!scope.sku.empty()) parts.push_back(TrFormat("name {}", scope.sku));
  if (parts.empty()) {
    return TrFormat("{} rules, for buyers in every region (--region CN lists those that apply to buyers in CN)",
                    scope.total);
  }
  std::string line = TrFormat("{} of {} rules {}", shown, scope.total, Join(parts, Tr(" and ")));
  if (scope.region.empty()) line += Tr(" (every buyer region; --region to choose one)");
  return line;
}

TextTable RulesTable(const std::vector<const ExportRule*>& rules) {
  TextTable table({"id", "effective", "until", "regions", "action", "channels", "skus", "summary", "source"});
  for (const ExportRule* rule : rules) {
    std::vector<std::string> channels;
    for (ChannelTier c : rule->channels) channels.emplace_back(ChannelTierName(c));
    table.AddRow({rule->id, FormatDate(rule->effective), FormatDate(rule->until), Join(rule->regions, ";"),
                  std::string(ExportActionName(rule->action)), Join(channels, ";"), Join(rule->skus, ";"),
                  rule->summary, rule->source});
  }
  return table;
}

std::string RulesText(const std::vector<const ExportRule*>& rules, const RulesScope& scope) {
  TextTable table({Tr("effective"), "id", Tr("regions"), Tr("action"), Tr("SKUs")});
  table.AlignColumn(4, TextTable::Align::kRight);
  std::string notes;
  for (const ExportRule* rule : rules) {
    table.AddRow({FormatDate(rule->effective), rule->id, Join(rule->regions, ","), std::string(ExportActionName(rule->action)),
                  FormatCount(static_cast<double>(rule->skus.size()))});
    std::string skus = Join(rule->skus, " ");
    if (skus.size() > 60) skus = skus.substr(0, skus.rfind(' ', 57)) + " ...";
    notes += Wrapped(TrFormat("{}: {}", rule->id, rule->summary) + (skus.empty() ? "" : " [" + skus + "]"), 2);
  }
  return Wrapped(RulesCountLine(rules.size(), scope), 0) + "\n" + table.Render() + "\n" + notes +
         Wrapped(Tr("sources: suanli market rules --json or --format csv (every field); data/market/export_rules.yaml"),
                 0);
}

}  // namespace suanli
