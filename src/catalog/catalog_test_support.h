// Test support shared by the libraries' tests: the embedded catalog, loaded once.
#pragma once

#include <gtest/gtest.h>

#include "catalog/catalog.h"

namespace suanli {

// Returns the embedded catalog, loaded once (a load error fails the test that
// asked first, and the rest see an empty catalog).
inline const Catalog& EmbeddedCatalog() {
  static const Catalog catalog = [] {
    auto loaded = Catalog::LoadEmbedded();
    EXPECT_TRUE(loaded.ok()) << loaded.error().ToString();
    return loaded.ok() ? *loaded : Catalog();
  }();
  return catalog;
}

}  // namespace suanli
