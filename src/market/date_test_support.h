// Test support for the market tests: a date from its text.
#pragma once

#include <string_view>

#include <gtest/gtest.h>

#include "market/market.h"

namespace suanli {

// Returns the date written YYYY-MM-DD or YYYY-MM (and fails the test if it does not parse).
inline Date D(std::string_view text) {
  auto date = ParseMarketDate(text);
  EXPECT_TRUE(date.ok()) << text;
  return date.ok() ? *date : Date{};
}

}  // namespace suanli
