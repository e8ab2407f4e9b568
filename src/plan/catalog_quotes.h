// The catalog's side of the quote checks: SKU names resolved through the
// catalog, and the checks a new store row must pass (market/quote_checks.h)
// with the catalog's release years. `market add`, `market import` and the
// seed-market data test use this one definition.
#pragma once

#include <optional>

#include "catalog/catalog.h"
#include "core/date.h"
#include "market/market.h"
#include "market/quote_checks.h"

namespace suanli {

// Returns a resolver of accelerator names ("A800", "910C") to catalog ids.
SkuResolver CatalogSkuResolver(const Catalog& catalog);

// Returns the new-row checks with the catalog's release years and `today`
// (nullopt: no future check); the FX table is left to the store. `catalog`
// must outlive the returned context.
NewQuoteContext CatalogNewQuoteChecks(const Catalog& catalog, std::optional<Date> today);

}  // namespace suanli
