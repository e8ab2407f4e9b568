// The verbs of `suanli market`: their shared options, the store session each
// opens, and the setup function of each verb for the verb table (cmd_market.cc).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "catalog/catalog.h"
#include "cli/common.h"
#include "core/date.h"
#include "core/result.h"
#include "market/market.h"
#include "market/store.h"

namespace suanli::cli {

// Options every market verb takes.
struct MarketOptions {
  CommonOptions common;
  std::string db;      // --db PATH (empty = DefaultStorePath())
  bool fresh = false;  // --fresh: start from a new seeded database
};

// The catalog (for SKU checks), the seed market and, when opened, the store.
struct MarketSession {
  Catalog catalog;
  Market seed;
  std::optional<QuoteStore> store;
};

// Returns the loaded catalog and seed market, and the opened store when `open_store`.
Result<MarketSession> OpenMarketSession(const MarketOptions& options, bool open_store = true);

// Returns the shipped export rules with those of `rules_file` (--rules FILE:
// a `rules:` list as data/market/export_rules.yaml) on top (AddExportRules).
Result<std::vector<ExportRule>> RulesWith(const MarketSession& session, const std::string& rules_file);
// Returns the --licence rule ids checked against `rules` (CheckLicences).
Result<std::vector<std::string>> LicenceArgs(const std::vector<ExportRule>& rules,
                                             const std::vector<std::string>& ids);

// Returns a resolver of SKU spellings to the catalog's accelerator ids.
SkuResolver CatalogResolver(const Catalog& catalog);

// Returns the checks of a new store row (market/quote_checks.h): today's
// date and the catalog's release years (`catalog` must outlive it); the FX
// table is the store's own.
NewQuoteContext NewQuoteChecks(const Catalog& catalog);

// Returns the accelerator id `text` names; errors name `flag`.
Result<std::string> ResolveSku(const Catalog& catalog, const std::string& text, std::string_view flag);

// Returns `error` with `where` set to `flag` (message and hint kept).
Error AtFlag(const Error& error, std::string_view flag);

// Prints on stderr a warning for each quote of `ids` just written to the
// session's store whose per-card price is far from its card's other quotes
// (PriceOutlierWarnings: a server price typed as a card price); `verb` names
// the command. Returns nothing: a warning never refuses the quote.
void PrintPriceOutliers(std::string_view verb, const MarketSession& session, const std::vector<std::string>& ids);

// Returns the date `text` gives (YYYY-MM-DD), or nullopt when empty; errors name `flag`.
Result<std::optional<Date>> DateArg(const std::string& text, std::string_view flag);


// Runs a verb once the command line is parsed; returns the exit code.
using MarketRun = std::function<int(const MarketOptions& options)>;

// Registers a verb's flags on its subcommand; returns what runs it.
using MarketVerbSetup = MarketRun (*)(CLI::App& verb);

// One row of the verb table.
struct MarketVerb {
  const char* name;
  const char* help;  // one line
  MarketVerbSetup setup;
};

MarketRun SetupImport(CLI::App& verb);   // market_store_io.cc
MarketRun SetupExport(CLI::App& verb);   // market_store_io.cc
MarketRun SetupCheck(CLI::App& verb);    // market_store_io.cc
MarketRun SetupRepair(CLI::App& verb);   // market_store_io.cc
MarketRun SetupAdd(CLI::App& verb);      // market_add.cc
MarketRun SetupList(CLI::App& verb);     // market_list.cc
MarketRun SetupHistory(CLI::App& verb);  // market_list.cc
MarketRun SetupRules(CLI::App& verb);    // market_rules.cc
MarketRun SetupFx(CLI::App& verb);       // market_fx.cc
MarketRun SetupRemove(CLI::App& verb);   // market_store_io.cc
MarketRun SetupInit(CLI::App& verb);     // market_store_io.cc

}  // namespace suanli::cli
