// `suanli market import|add|list|history|export|rules|fx|check|repair`: the SQLite quote
// store (docs/market.md). Every verb takes --db PATH and --json; each verb
// lives in its own market_*.cc and is dispatched through kVerbs.
#include <vector>

#include "cli/commands.h"
#include "core/i18n.h"
#include "cli/common.h"
#include "cli/market_verbs.h"

namespace suanli::cli {
namespace {

constexpr MarketVerb kVerbs[] = {
    {"import", "import quotes from FILE.csv or FILE.yaml (all or nothing)", SetupImport},
    {"add", "add one quote", SetupAdd},
    {"list", "list quotes, filtered by SKU, date and buyer", SetupList},
    {"history", "price and lead time of one SKU over time", SetupHistory},
    {"export", "write every quote as CSV or YAML", SetupExport},
    {"rules", "export-control rules; with --sku and --date, which one decides", SetupRules},
    {"fx", "exchange rates in the store: list them, or add one", SetupFx},
    {"check", "check the store file: integrity of every page and every quote row", SetupCheck},
    {"repair", "rebuild a damaged store from an export (--from FILE; the old file kept as PATH.damaged)",
     SetupRepair},
    {"remove", "delete quotes from the store by id (a mistyped or withdrawn quote)", SetupRemove},
    {"init", "create the store; --no-seed: without the shipped seed quotes (your own book only)", SetupInit},
};

constexpr const char* kMarketExamples = R"(examples:
  suanli market list --sku a800 --as-of 2023-07-01 --buyer CN
  suanli market history a800-sxm-80gb --currency USD
  suanli market import my_quotes.csv            # all rows or none; every bad row is reported
  suanli market add --sku a800 --price 88000 --currency CNY --lead-weeks 2:3:6 \
      --supplier "Hangzhou reseller" --observed 2023-07-10 --source "phone quote"
  suanli market export --format csv > quotes.csv
  suanli market rules --sku h20 --region CN --date 2025-05-01
  suanli market fx add --date 2023-07-03 --from USD --to CNY --rate 7.24 --source "PBOC central parity"
  suanli market check                           # exit 2 when the store is damaged
  suanli market repair --from quotes.csv        # rebuild from an export; the old file kept as PATH.damaged
A missing database is created and seeded with data/market/quotes.yaml on first use; an empty
(0-byte) or foreign file is an error, never re-seeded.)";

}  // namespace

int RunMarket(int argc, char** argv) {
  CLI::App app{Tr("The quote store: import, add, list and export supplier quotes; price history; export rules."),
               "suanli market"};
  MarketOptions options;
  AddCommonOptions(app, options.common);
  app.add_option("--db", options.db,
                 Tr("SQLite quote store (default $XDG_DATA_HOME/suanli/quotes.db or "
                 "~/.local/share/suanli/quotes.db; ':memory:' = a throwaway seeded store)"));
  app.add_flag("--fresh", options.fresh,
               Tr("start from a new seeded database (deletes PATH first; only a suanli database is ever deleted)"));
  app.require_subcommand(1);
  app.fallthrough();
  app.footer(Tr(kMarketExamples));
  std::vector<std::pair<CLI::App*, MarketRun>> verbs;
  for (const MarketVerb& verb : kVerbs) {
    CLI::App* sub = app.add_subcommand(verb.name, Tr(verb.help));
    verbs.emplace_back(sub, verb.setup(*sub));
    sub->fallthrough();
  }
  if (auto code = ParseArgs(app, argc, argv)) return *code;
  for (const auto& [sub, run] : verbs) {
    if (*sub) return run(options);
  }
  return kExitBadInput;  // unreachable: require_subcommand(1)
}

}  // namespace suanli::cli
