// Accelerator names that match several catalog variants, and the Chinese texts
// every accelerator's export-control and notes must have.
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "catalog/catalog_test_support.h"
#include "core/i18n.h"

namespace suanli {
namespace {

// A bare family name resolves as before (scripts rely on it) and the note names
// the variant used, the others and their memory.
TEST(AcceleratorNames, FamilyNameResolvesWithANoteNamingTheVariants) {
  const Catalog& catalog = EmbeddedCatalog();
  auto a100 = catalog.FindAccelerator("a100");
  ASSERT_TRUE(a100.ok());
  EXPECT_EQ((*a100)->id, "a100-sxm-80gb");
  const std::string note = catalog.AmbiguousAcceleratorNote("a100");
  EXPECT_NE(note.find("using a100-sxm-80gb (80"), std::string::npos) << note;
  for (const char* other : {"a100-sxm-40gb (40", "a100-pcie-40gb (40", "a100-pcie-80gb (80"}) {
    EXPECT_NE(note.find(other), std::string::npos) << other << " in " << note;
  }
  EXPECT_NE(catalog.AmbiguousAcceleratorNote("A100 PCIe").find("a100-pcie-40gb"), std::string::npos);
  const std::string h100 = catalog.AmbiguousAcceleratorNote("H100");
  EXPECT_NE(h100.find("h100-pcie-80gb"), std::string::npos) << h100;
  EXPECT_NE(h100.find("h100-nvl-94gb"), std::string::npos) << h100;
  // An id, or a name only one card has, is not ambiguous.
  EXPECT_EQ(catalog.AmbiguousAcceleratorNote("a100-sxm-80gb"), "");
  EXPECT_EQ(catalog.AmbiguousAcceleratorNote("910B"), "");
  EXPECT_EQ(catalog.AmbiguousAcceleratorNote("4090"), "");  // rtx-4090d is another card, not a variant
  EXPECT_EQ(catalog.AmbiguousAcceleratorNote("H20"), "");
  EXPECT_EQ(catalog.AmbiguousAcceleratorNote("no-such-card"), "");
}

// `show ACCEL --lang zh` prints the data's zh texts: every accelerator that has
// export-control text or notes has them in Chinese too.
TEST(AcceleratorNames, EveryExportControlAndNoteHasItsChineseText) {
  for (const Accelerator& a : EmbeddedCatalog().accelerators()) {
    EXPECT_EQ(a.export_control.empty(), a.export_control_zh.empty()) << a.id << ": add zh.export_control";
    EXPECT_EQ(a.notes.empty(), a.notes_zh.empty()) << a.id << ": add zh.notes";
  }
}

}  // namespace
}  // namespace suanli
