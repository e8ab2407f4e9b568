// `suanli market list` and `suanli market history SKU`: quotes filtered by
// SKU, date and buyer, and one SKU's price over time.
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/i18n.h"
#include "cli/market_verbs.h"
#include "core/text.h"
#include "report/market_json.h"
#include "report/market_text.h"

namespace suanli::cli {
namespace {

struct ListFlags {
  std::string sku, as_of, buyer, currency = "CNY", rules_file;
  std::string tier;  // --tier; "" = startup (the options of a buyer need --buyer)
  std::vector<std::string> licences;  // --licence RULE_ID: licence-required rules the buyer holds a licence for
  bool allow_grey_market = false, show_excluded = false, show_superseded = false;
  int max_quote_age_days = kDefaultMaxQuoteAgeDays;  // with --as-of: older quotes without valid_until are stale
};

// Returns the store's quotes a reader can price in `currency`; each row
// whose currency has no FX rate is skipped with a note on stderr naming it
// and the fix (one bad row must not stop every reader of the store).
Result<std::vector<Quote>> ReadableQuotes(const MarketOptions& options, const MarketSession& session,
                                          const FxTable& fx, const std::string& currency, std::string_view verb) {
  if (auto rate = fx.RateOn("CNY", currency, std::nullopt); !rate.ok()) {
    return MakeError(TrFormat("no FX rate for the currency '{}'", currency), "--currency",
                     TrFormat("use one of: {}", Join(fx.Currencies(), ", ")));
  }
  SUANLI_ASSIGN_OR_RETURN(std::vector<Quote> quotes, session.store->AllQuotes());
  ConvertibleQuotes usable = DropUnconvertible(std::move(quotes), fx, currency, session.store->path());
  if (!options.common.quiet) {
    for (const std::string& note : usable.skipped) fmt::print(stderr, "suanli market {}: {}: {}\n", verb, Tr("note"), note);
  }
  return std::move(usable.quotes);
}

// Returns the filter the flags ask for.
Result<QuoteFilter> MakeFilter(const ListFlags& flags, const Catalog& catalog) {
  QuoteFilter filter;
  if (!flags.sku.empty()) {
    SUANLI_ASSIGN_OR_RETURN(filter.sku, ResolveSku(catalog, flags.sku, "--sku"));
  }
  SUANLI_ASSIGN_OR_RETURN(filter.as_of, DateArg(flags.as_of, "--as-of"));
  if (!flags.buyer.empty()) {
    SUANLI_ASSIGN_OR_RETURN(filter.region, RegionFlag(flags.buyer, "--buyer"));
  } else {
    // The buyer's options apply the export rules to a buyer's region: without
    // --buyer no rule is applied and they would change nothing, silently.
    const char* flag = !flags.licences.empty() ? "--licence"
                       : flags.allow_grey_market ? "--allow-grey-market"
                       : !flags.tier.empty()     ? "--tier"
                                                 : nullptr;
    if (flag != nullptr) {
      return MakeError(TrFormat("{} describes a buyer, but no --buyer is given: without one no export rule is applied "
                                "and {} would change nothing",
                                flag, flag),
                       flag, Tr("add --buyer REGION (e.g. --buyer CN)"));
    }
  }
  if (flags.tier.empty()) {
    filter.buyer.tier = "startup";
  } else {
    SUANLI_ASSIGN_OR_RETURN(filter.buyer.tier, ParseBuyerTier(flags.tier, "--tier"));
  }
  filter.buyer.allow_grey_market = flags.allow_grey_market;
  filter.max_quote_age_days = flags.max_quote_age_days;
  filter.keep_superseded = flags.show_superseded;
  return filter;
}

// Lists the quotes the filter keeps, with per-card prices in --currency.
Result<int> ListBody(const MarketOptions& options, const ListFlags& flags) {
  SUANLI_ASSIGN_OR_RETURN(MarketSession session, OpenMarketSession(options));
  SUANLI_ASSIGN_OR_RETURN(QuoteFilter filter, MakeFilter(flags, session.catalog));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<ExportRule> rules, RulesWith(session, flags.rules_file));
  SUANLI_ASSIGN_OR_RETURN(filter.buyer.licences, LicenceArgs(rules, flags.licences));
  SUANLI_ASSIGN_OR_RETURN(const FxTable fx, session.store->Fx());
  SUANLI_ASSIGN_OR_RETURN(const std::vector<Quote> quotes, ReadableQuotes(options, session, fx, flags.currency, "list"));
  const QuoteListing listing = FilterQuotes(quotes, rules, filter);
  // With --as-of, converted on that date as plan converts on the buyer's date.
  SUANLI_ASSIGN_OR_RETURN(const std::vector<ListedPrice> prices,
                          ListedPrices(listing.quotes, fx, flags.currency, filter.as_of));
  const std::vector<double> per_card = PerCardPrices(prices);
  if (options.common.json) {
    PrintJson(QuoteListingJson(listing, per_card, filter, flags.currency, prices));
  } else if (TableOnly(options.common)) {
    fmt::print("{}", QuoteListingTable(listing, prices, flags.currency).RenderAs(options.common.table_format));
  } else {
    fmt::print("{}", QuoteListingText(listing, per_card, flags.currency, flags.show_excluded,
                                      ListingFxText(listing, prices, flags.currency, filter.as_of)));
  }
  return listing.quotes.empty() ? kExitInfeasible : kExitOk;
}

// Prints the price and lead-time history of one SKU in `currency`.
Result<int> HistoryBody(const MarketOptions& options, const std::string& sku_arg, const std::string& currency) {
  SUANLI_ASSIGN_OR_RETURN(MarketSession session, OpenMarketSession(options));
  SUANLI_ASSIGN_OR_RETURN(const std::string sku, ResolveSku(session.catalog, sku_arg, "SKU"));
  SUANLI_ASSIGN_OR_RETURN(const FxTable fx, session.store->Fx());
  SUANLI_ASSIGN_OR_RETURN(const std::vector<Quote> quotes, ReadableQuotes(options, session, fx, currency, "history"));
  SUANLI_ASSIGN_OR_RETURN(const std::vector<HistoryPoint> history, PriceHistory(quotes, fx, sku, currency));
  if (options.common.json) {
    PrintJson(PriceHistoryJson(sku, currency, history));
  } else if (options.common.table_format == TableFormat::kCsv) {
    // Numbers as numbers: no separators or rounding, a server's whole price too.
    fmt::print("{}", PriceHistoryCsvTable(currency, history).RenderAs(options.common.table_format));
  } else if (TableOnly(options.common)) {
    fmt::print("{}", PriceHistoryTable(currency, history).RenderAs(options.common.table_format));
  } else {
    fmt::print("{}", PriceHistoryText(sku, currency, history));
  }
  return history.empty() ? kExitInfeasible : kExitOk;
}

}  // namespace

MarketRun SetupList(CLI::App& verb) {
  auto list = std::make_shared<ListFlags>();
  verb.add_option("--sku", list->sku, Tr("accelerator id or name"));
  verb.add_option("--as-of", list->as_of, Tr("quotes observed on or before this date and still valid"));
  verb.add_option("--buyer", list->buyer, Tr("buyer region (e.g. CN): applies the export rules"));
  verb.add_option("--tier", list->tier, Tr("buyer tier: startup|enterprise|hyperscaler (with --buyer)"));
  verb.add_flag("--allow-grey-market", list->allow_grey_market, Tr("accept grey-market quotes of banned SKUs"));
  verb.add_option("--licence,--license", list->licences,
                  Tr("RULE_ID of a licence-required export rule the buyer holds a licence under (repeatable; "
                     "`suanli market rules` lists the ids)"));
  verb.add_option("--rules", list->rules_file,
                  Tr("YAML file of extra export rules (a rules: list as data/market/export_rules.yaml), applied "
                     "on top of the shipped ones"));
  verb.add_option("--currency", list->currency, Tr("currency of the per-card price column (default CNY)"))
      ->transform(CurrencyCode);
  verb.add_option("--max-quote-age", list->max_quote_age_days,
                  Tr("with --as-of: a quote without valid_until observed more than DAYS before it is stale "
                     "(default 92, as the planner's market.max_quote_age_days)"))
      ->check(CLI::Range(1, 36500));
  verb.add_flag("--show-excluded", list->show_excluded, Tr("print why each excluded quote was excluded"));
  verb.add_flag("--show-superseded", list->show_superseded,
                Tr("also list quotes superseded by the same supplier's newer quote for the SKU, unit and condition "
                   "(the planner uses only the newest; by default they are excluded)"));
  return [list](const MarketOptions& options) { return ExitCode("market list", ListBody(options, *list)); };
}

MarketRun SetupHistory(CLI::App& verb) {
  auto sku = std::make_shared<std::string>();
  auto currency = std::make_shared<std::string>("CNY");
  verb.add_option("sku", *sku, Tr("accelerator id or name"))->required();
  verb.add_option("--currency", *currency, Tr("currency (default CNY)"))->transform(CurrencyCode);
  return [sku, currency](const MarketOptions& options) {
    return ExitCode("market history", HistoryBody(options, *sku, *currency));
  };
}

}  // namespace suanli::cli
