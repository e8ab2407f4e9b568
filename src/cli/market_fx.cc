// `suanli market fx list|add`: the exchange rates in the quote store.
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/commands.h"
#include "core/i18n.h"
#include "cli/market_verbs.h"
#include "report/market_json.h"
#include "report/market_text.h"

namespace suanli::cli {
namespace {

// Prints the stored rates by pair and date.
Result<int> FxListBody(const MarketOptions& options) {
  SUANLI_ASSIGN_OR_RETURN(const MarketSession session, OpenMarketSession(options));
  SUANLI_ASSIGN_OR_RETURN(const FxTable fx, session.store->Fx());
  if (options.common.json) {
    PrintJson(FxRatesJson(fx.rates()));  // FxTable keeps them by pair, then date
  } else if (TableOnly(options.common)) {
    fmt::print("{}", FxRatesTable(fx.rates()).RenderAs(options.common.table_format));
  } else {
    fmt::print("{}", FxRatesText(fx.rates()));
  }
  return kExitOk;
}

// Adds one rate on the date --date gives.
Result<int> FxAddBody(const MarketOptions& options, FxRate rate, const std::string& date_text, FxAddOptions add) {
  SUANLI_ASSIGN_OR_RETURN(const std::optional<Date> date, DateArg(date_text, "--date"));
  rate.date = date.value_or(Date{});
  SUANLI_ASSIGN_OR_RETURN(MarketSession session, OpenMarketSession(options));
  // Not after today (quotes may not be either) and not far from the stored
  // rates of the pair without --force; --replace corrects a stored rate.
  add.today = TodayUtc();
  add.sanity_check = true;
  SUANLI_ASSIGN_OR_RETURN(const FxRate added, session.store->AddFx(rate, add));
  fmt::print("{}", AddedFxText(added, session.store->path()));
  return kExitOk;
}

struct FxAddFlags {
  FxRate rate;
  std::string date;
  FxAddOptions options;  // --replace, --force
};

}  // namespace

MarketRun SetupFx(CLI::App& verb) {
  verb.require_subcommand(1);
  CLI::App* list = verb.add_subcommand("list", Tr("list the stored rates by pair and date"));
  CLI::App* add = verb.add_subcommand("add", Tr("add one rate: 1 FROM = RATE TO on DATE"));
  auto flags = std::make_shared<FxAddFlags>();
  add->add_option("--date", flags->date, Tr("date of the rate, YYYY-MM-DD"))->required();
  add->add_option("--from", flags->rate.from, Tr("currency converted from, e.g. USD"))->required()->transform(CurrencyCode);
  add->add_option("--to", flags->rate.to, Tr("currency converted to, e.g. CNY"))->required()->transform(CurrencyCode);
  add->add_option("--rate", flags->rate.rate, Tr("units of --to per unit of --from"))->required();
  add->add_option("--source", flags->rate.source, Tr("where the rate comes from"))->required();
  add->add_flag("--replace", flags->options.replace,
                Tr("replace the stored rate of this pair and date (to correct a mistyped rate)"));
  add->add_flag("--force", flags->options.force,
                Tr("accept a rate more than 3x from the nearest stored rate of the pair"));
  list->fallthrough();
  add->fallthrough();
  return [flags, add](const MarketOptions& options) {
    if (*add) return ExitCode("market fx add", FxAddBody(options, flags->rate, flags->date, flags->options));
    return ExitCode("market fx list", FxListBody(options));
  };
}

}  // namespace suanli::cli
