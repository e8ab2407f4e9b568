// Terminal text of the quote store's answers; see market_text.h.
#include "report/market_text.h"

#include <cmath>

#include <fmt/format.h>

#include "core/text.h"
#include "report/table.h"

namespace suanli {
namespace {

// Returns a price: whole units from 100 up, else two decimals.
std::string Money(double value) {
  if (value >= 100) return fmt::format("{:.0f}", value);
  return fmt::format("{:.2f}", value);
}

// Returns weeks rounded to one decimal, without trailing zeros.
std::string Weeks(double value) { return fmt::format("{:g}", std::round(value * 10) / 10); }

// Returns the note column of a listed quote: estimate, flagged, cash, ...
std::string ListingNote(const ListedQuote& listed) {
  const Quote& q = listed.quote;
  std::vector<std::string> notes;
  if (q.estimate) notes.push_back("estimate");
  if (listed.availability.flagged) notes.push_back("flagged");
  if (q.payment.cash_up_front) notes.push_back("cash");
  if (q.warranty_months == 0 && q.condition != Condition::kNew) notes.push_back("no warranty");
  if (!q.buyers.empty()) notes.push_back(Join(q.buyers, "/") + " only");
  return Join(notes, ", ");
}

}  // namespace

std::string ImportedText(const std::string& file, const ImportReport& report, const std::string& store_path) {
  std::string text = fmt::format("imported {} quotes from {} into {}\n", report.imported, file, store_path);
  if (report.skipped > 0) {
    text += fmt::format("skipped {} rows identical to the store's seed quotes\n", report.skipped);
  }
  return text;
}

std::string StoreCheckText(const StoreCheck& check) {
  std::string text = fmt::format("market check: {} {}\n", check.path, check.ok ? "ok" : "DAMAGED");
  const auto count = [](int n) { return n < 0 ? std::string("unreadable") : std::to_string(n); };
  text += fmt::format("schema version {}; {} quotes; {} FX rates\n", check.schema_version, count(check.quotes),
                      count(check.fx_rates));
  for (const std::string& problem : check.problems) text += fmt::format("  problem: {}\n", problem);
  if (!check.ok) text += "repair: suanli market repair --from EXPORT (a `suanli market export` file)\n";
  return text;
}

std::string RepairText(const RepairReport& report) {
  std::string text = fmt::format("rebuilt {}: {} quotes imported, {} identical seed rows skipped, {} FX rates "
                                 "salvaged\n",
                                 report.path, report.quotes_imported, report.seed_skipped, report.fx_rates_salvaged);
  if (!report.backup_path.empty()) text += fmt::format("the damaged file is kept as {}\n", report.backup_path);
  return text;
}

std::string AddedQuoteText(const Quote& quote, const std::string& store_path) {
  return fmt::format("added quote {} ({} {} {} per {}) to {}\n", quote.id, quote.sku, Money(quote.unit_price),
                     quote.currency, QuoteUnitName(quote.unit), store_path);
}

std::string AddedFxText(const FxRate& rate, const std::string& store_path) {
  return fmt::format("added 1 {} = {:g} {} on {} to {}\n", rate.from, rate.rate, rate.to, FormatDate(rate.date),
                     store_path);
}

std::string QuoteListingText(const QuoteListing& listing, const std::vector<double>& per_card,
                             const std::string& currency, bool show_excluded) {
  TextTable table({"id", "sku", "channel", "cond", "unit", "price", "cur", "per card " + currency, "lead wk",
                   "observed", "note"});
  for (size_t c : {5u, 7u}) table.AlignColumn(c, TextTable::Align::kRight);
  for (size_t i = 0; i < listing.quotes.size(); ++i) {
    const Quote& q = listing.quotes[i].quote;
    table.AddRow({q.id, q.sku, std::string(ChannelTierName(q.channel)), std::string(ConditionName(q.condition)),
                  std::string(QuoteUnitName(q.unit)), Money(q.unit_price), q.currency, Money(per_card[i]),
                  fmt::format("{}/{}/{}", Weeks(q.lead_weeks_min), Weeks(q.lead_weeks_likely), Weeks(q.lead_weeks_max)),
                  FormatDate(q.observed), ListingNote(listing.quotes[i])});
  }
  std::string out = table.Render();
  out += fmt::format("{} quotes", listing.quotes.size());
  if (!listing.excluded.empty()) out += fmt::format(", {} excluded", listing.excluded.size());
  out += "\n";
  if (show_excluded) {
    for (const ListedQuote& listed : listing.excluded) {
      out += fmt::format("  excluded {}: {}\n", listed.quote.id, listed.availability.reason);
    }
  } else if (!listing.excluded.empty()) {
    out += "(--show-excluded lists the reasons)\n";
  }
  return out;
}

std::string PriceHistoryText(const std::string& sku, const std::string& currency,
                             const std::vector<HistoryPoint>& history) {
  TextTable table({"observed", "id", "channel", "cond", "unit", "per card " + currency, "lead wk", "supplier"});
  table.AlignColumn(5, TextTable::Align::kRight);
  table.AlignColumn(6, TextTable::Align::kRight);
  for (const HistoryPoint& p : history) {
    table.AddRow({FormatDate(p.observed), p.quote_id, std::string(ChannelTierName(p.channel)),
                  std::string(ConditionName(p.condition)), std::string(QuoteUnitName(p.unit)),
                  Money(p.price_per_card) + (p.estimate ? "*" : ""), Weeks(p.lead_weeks_likely), p.supplier});
  }
  std::string out = fmt::format(
      "{} price history ({}; prices converted at each observation date; * = estimate)\n", sku, currency);
  out += table.Render();
  if (history.empty()) out += fmt::format("no quotes for {}\n", sku);
  return out;
}

std::string FxRatesText(const std::vector<FxRate>& rates) {
  TextTable table({"from", "to", "date", "rate", "source"});
  table.AlignColumn(3, TextTable::Align::kRight);
  for (const FxRate& r : rates) table.AddRow({r.from, r.to, FormatDate(r.date), fmt::format("{:g}", r.rate), r.source});
  return table.Render() +
         fmt::format("{} rates; a conversion uses the latest rate on or before its date (docs/market.md)\n",
                     rates.size());
}

std::string ChannelChecksText(const std::string& sku, const std::string& region, const Date& date,
                              const std::vector<ChannelCheck>& checks) {
  TextTable table({"channel", "allowed", "action", "rule", "reason"});
  for (const auto& [channel, a] : checks) {
    table.AddRow({std::string(ChannelTierName(channel)), a.allowed ? (a.flagged ? "yes (flagged)" : "yes") : "no",
                  a.rule_id.empty() ? "-" : std::string(ExportActionName(a.action)),
                  a.rule_id.empty() ? "-" : a.rule_id, a.reason.empty() ? "no rule covers it" : a.reason});
  }
  return fmt::format("{} for {} buyers on {}:\n", sku, region, FormatDate(date)) + table.Render();
}

std::string RulesText(const std::vector<const ExportRule*>& rules) {
  TextTable table({"effective", "id", "region", "action", "skus", "summary"});
  for (const ExportRule* rule : rules) {
    std::string skus = Join(rule->skus, " ");
    if (skus.size() > 48) skus = skus.substr(0, 45) + "...";
    table.AddRow({FormatDate(rule->effective), rule->id, rule->region, std::string(ExportActionName(rule->action)),
                  skus, rule->summary});
  }
  return table.Render() +
         fmt::format("{} rules (sources: suanli market rules --json; data/market/export_rules.yaml)\n", rules.size());
}

}  // namespace suanli
