// The store session and flag helpers shared by the `suanli market` verbs.
#include <utility>

#include <fmt/format.h>

#include "cli/market_verbs.h"
#include "core/i18n.h"
#include "core/text_file.h"
#include "market/quote_checks.h"
#include "plan/catalog_quotes.h"

namespace suanli::cli {

SkuResolver CatalogResolver(const Catalog& catalog) { return CatalogSkuResolver(catalog); }

NewQuoteContext NewQuoteChecks(const Catalog& catalog) { return CatalogNewQuoteChecks(catalog, TodayUtc()); }

Error AtFlag(const Error& error, std::string_view flag) {
  return MakeError(error.message, std::string(flag), error.hint);
}

Result<std::string> ResolveSku(const Catalog& catalog, const std::string& text, std::string_view flag) {
  auto sku = CatalogResolver(catalog)(text);
  if (!sku.ok()) return AtFlag(sku.error(), flag);
  return *sku;
}

Result<std::optional<Date>> DateArg(const std::string& text, std::string_view flag) {
  if (text.empty()) return std::optional<Date>();
  auto date = ParseMarketDate(text);
  if (!date.ok()) return AtFlag(date.error(), flag);
  return std::optional<Date>(*date);
}

Result<std::vector<ExportRule>> RulesWith(const MarketSession& session, const std::string& rules_file) {
  if (rules_file.empty()) return session.seed.rules;
  SUANLI_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(rules_file));
  // The rules cover the session's catalog (a --catalog file's cards too).
  const std::vector<AcceleratorExportFacts> facts = ExportFactsOf(session.catalog.accelerators());
  SUANLI_ASSIGN_OR_RETURN(const std::vector<ExportRule> extra,
                          ParseExportRules(text, rules_file, CatalogResolver(session.catalog), &facts));
  return AddExportRules(session.seed.rules, extra);
}

Result<std::vector<std::string>> LicenceArgs(const std::vector<ExportRule>& rules,
                                             const std::vector<std::string>& ids) {
  return CheckLicences(rules, ids, "--licence");
}

Result<MarketSession> OpenMarketSession(const MarketOptions& options, bool open_store) {
  MarketSession session;
  SUANLI_ASSIGN_OR_RETURN(session.catalog, LoadCatalog(options.common));
  const std::vector<AcceleratorExportFacts> facts = ExportFactsOf(session.catalog.accelerators());
  SUANLI_ASSIGN_OR_RETURN(session.seed, LoadSeedMarket(CatalogResolver(session.catalog), &facts));
  if (open_store) {
    StoreOptions store_options;
    store_options.fresh = options.fresh;
    store_options.seed = &session.seed;
    // Only `init` (or the default store on first use) creates a store: a
    // mistyped --db must not answer from a new seeded one.
    store_options.create_missing = options.db.empty();
    store_options.create_directories = options.db.empty();
    const std::string path = options.db.empty() ? DefaultStorePath() : options.db;
    SUANLI_ASSIGN_OR_RETURN(QuoteStore store, QuoteStore::Open(path, store_options));
    session.store.emplace(std::move(store));
  }
  return session;
}


void PrintPriceOutliers(std::string_view verb, const MarketSession& session, const std::vector<std::string>& ids) {
  if (ids.empty() || !session.store) return;
  auto quotes = session.store->AllQuotes();
  auto fx = session.store->Fx();
  if (!quotes.ok() || !fx.ok()) return;
  for (const std::string& warning : PriceOutlierWarnings(*quotes, ids, *fx)) {
    fmt::print(stderr, "suanli market {}: {}: {}\n", verb, Tr("warning"), warning);
  }
}

}  // namespace suanli::cli
