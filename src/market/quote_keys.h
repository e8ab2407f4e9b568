// The field names of a quote, in file order: the keys of a YAML quote, the
// CSV header, the store's columns.
#pragma once

#include <span>
#include <string_view>

namespace suanli {

// Returns the quote keys in file order ("id", "supplier", ... "notes").
std::span<const std::string_view> QuoteKeys();

}  // namespace suanli
