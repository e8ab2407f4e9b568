// Test support for the serving-runs reader: the embedded catalog, and the
// rows of a text with its first bad row (if any) returned as the error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "serve/serving_runs.h"

namespace suanli {

// Returns the embedded catalog, loaded once.
inline const Catalog& EmbeddedCatalog() {
  static const Catalog catalog = std::move(Catalog::LoadEmbedded()).value();
  return catalog;
}

// Returns the rows of `text` read against the embedded catalog, engines and
// datasets; an error when the file is bad or any row is (the first bad row).
inline Result<std::vector<ServingRunRow>> ParseRows(std::string_view text, const std::string& file) {
  SUANLI_ASSIGN_OR_RETURN(ServingRunsFile read, ParseServingRuns(text, file, EmbeddedCatalog()));
  if (!read.bad_rows.empty()) return MakeError(read.bad_rows.front().message, read.bad_rows.front().where);
  return std::move(read.rows);
}

}  // namespace suanli
