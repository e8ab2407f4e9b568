#include "validate/layout_ratio.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "catalog/catalog_test_support.h"

namespace suanli {
namespace {

TEST(SearchedLayoutRatio, ShippedRatiosAreWhatTheDevRowsGive) {
  // The shipped ratios are the dev rows' own: a model change that moves
  // them must re-measure (docs/validation.md §Searched layouts).
  const char* dev_path = SUANLI_DEV_RUNS_CSV;
  if (!std::filesystem::exists(dev_path)) GTEST_SKIP() << "no dev set at " << dev_path;
  auto file = ReadRunsCsv(dev_path);
  ASSERT_TRUE(file.ok()) << file.error().ToString();
  const SearchedLayoutMeasurement m = MeasureSearchedLayoutRatio(*file, EmbeddedCatalog(), 2);
  const SearchedLayoutRatio shipped = ShippedSearchedLayoutRatio();
  EXPECT_NEAR(m.ratio.dense, shipped.dense, 0.002) << m.dense_rows << " dense rows";
  EXPECT_NEAR(m.ratio.moe, shipped.moe, 0.002) << m.moe_rows << " MoE rows";
  EXPECT_GE(m.dense_rows, 80);
  EXPECT_GE(m.moe_rows, 10);
}

}  // namespace
}  // namespace suanli
