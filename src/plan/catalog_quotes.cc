// The catalog's side of the quote checks (plan/catalog_quotes.h).
#include "plan/catalog_quotes.h"

namespace suanli {

SkuResolver CatalogSkuResolver(const Catalog& catalog) {
  return [&catalog](std::string_view query) -> Result<std::string> {
    SUANLI_ASSIGN_OR_RETURN(const Accelerator* accelerator, catalog.FindAccelerator(query));
    return accelerator->id;
  };
}

NewQuoteContext CatalogNewQuoteChecks(const Catalog& catalog, std::optional<Date> today) {
  NewQuoteContext context;
  context.today = today;
  context.release_year = [&catalog](std::string_view sku) -> std::optional<int> {
    auto accelerator = catalog.FindAccelerator(sku);
    if (!accelerator.ok() || (*accelerator)->year <= 0) return std::nullopt;
    return (*accelerator)->year;
  };
  return context;
}

}  // namespace suanli
