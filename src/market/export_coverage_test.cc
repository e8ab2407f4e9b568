// What the export rules cover: every card above the 3A090 line (by the
// criteria), every card of a named family, press reports that never decide,
// and reasons that name the rule that first blocked a card.
#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "core/text.h"
#include "market/date_test_support.h"
#include "market/market.h"

namespace suanli {
namespace {

const std::vector<ChannelTier> kAuthorised = {ChannelTier::kManufacturerDirect, ChannelTier::kNationalDistributor,
                                              ChannelTier::kServerMaker, ChannelTier::kReseller};

bool UsDesigned(const Accelerator& a) {
  for (const char* vendor : {"NVIDIA", "AMD", "Intel", "Google"})
    if (a.vendor == vendor) return true;
  return false;
}

class Coverage : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = Catalog::LoadEmbedded();
    ASSERT_TRUE(catalog.ok()) << catalog.error().ToString();
    catalog_ = std::move(*catalog);
    auto market = LoadSeedMarket();
    ASSERT_TRUE(market.ok()) << market.error().ToString();
    rules_ = market->rules;
  }
  Availability Check(const std::string& sku, Date date, ChannelTier channel = ChannelTier::kReseller,
                     const std::vector<std::string>& licences = {}) {
    return CheckExport(rules_, sku, "CN", channel, date, false, licences);
  }
  Catalog catalog_;
  std::vector<ExportRule> rules_;
};

TEST(ExportCriteria, TppIsTheMaxOfDensePeakTimesBitLength) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  const auto tpp = [&](const char* id) { return TotalProcessingPerformance(**catalog->FindAccelerator(id)); };
  EXPECT_NEAR(tpp("a100-sxm-80gb"), 4992, 1);  // 312 TFLOPS bf16 x 16
  EXPECT_NEAR(tpp("h100-sxm-80gb"), 15832, 2);  // 1979 TFLOPS fp8 x 8
  EXPECT_NEAR(tpp("h20-96gb"), 2368, 2);        // designed under 2400
  EXPECT_LT(tpp("rtx-4090d"), 4800);
  EXPECT_GT(tpp("rtx-4090"), 4800);
  // The A800 has the A100's TPP with NVLink cut to 400 GB/s: under the 2022 I/O line.
  const AcceleratorExportFacts a800 = ExportFactsOf(**catalog->FindAccelerator("a800-sxm-80gb"));
  EXPECT_NEAR(a800.io_bidirectional_GBps, 400, 1);
  ExportCriteria rule2022;
  rule2022.tpp_at_least = 4800;
  rule2022.io_at_least_GBps = 600;
  EXPECT_FALSE(MeetsCriteria(rule2022, a800));
  EXPECT_TRUE(MeetsCriteria(rule2022, ExportFactsOf(**catalog->FindAccelerator("a100-sxm-80gb"))));
  // The 2023 density pair needs a die area; with one it decides.
  ExportCriteria density;
  density.density_tpp_at_least = 1600;
  density.density_at_least = 5.92;
  AcceleratorExportFacts chip{"c", "NVIDIA", 2000, 0, 0};
  EXPECT_FALSE(MeetsCriteria(density, chip));
  chip.die_area_mm2 = 300;  // PD 6.7
  EXPECT_TRUE(MeetsCriteria(density, chip));
  density.vendors = {"AMD"};
  EXPECT_FALSE(MeetsCriteria(density, chip));
}

// Every catalog card whose own notes say banned for China, and every
// US-designed card whose TPP is over 4800, is blocked for a CN buyer on
// 2025-06-01 through every authorised channel. (Chinese designs sold in China
// are not US exports: the criteria name the vendors they reach.)
TEST_F(Coverage, EveryCardAboveTheLineOrNotedBannedIsBlockedInChina) {
  int checked = 0;
  for (const Accelerator& a : catalog_.accelerators()) {
    const bool noted = ToLower(a.export_control).find("banned") != std::string::npos;
    const bool over = UsDesigned(a) && TotalProcessingPerformance(a) >= 4800;
    if (!noted && !over) continue;
    ++checked;
    for (ChannelTier channel : kAuthorised) {
      const Availability v = Check(a.id, D("2025-06-01"), channel);
      EXPECT_FALSE(v.allowed) << a.id << " via " << ChannelTierName(channel) << ": " << v.reason;
    }
  }
  EXPECT_GE(checked, 25);
  for (const char* id : {"h100-nvl-94gb", "h200-nvl-141gb", "b300-sxm-270gb", "a100-pcie-40gb", "rtx-6000-ada",
                         "mi325x", "mi355x", "tpu7x"})
    EXPECT_FALSE(Check(id, D("2025-06-01")).allowed) << id;
  // The H200 NVL is under the H200 licence policy of 2026, not free.
  const Availability nvl = Check("h200-nvl-141gb", D("2026-03-01"));
  EXPECT_FALSE(nvl.allowed);
  EXPECT_EQ(nvl.rule_id, "bis-h200-case-by-case-2026-01-15");
  // Domestic designs stay on sale; cards under the line too.
  for (const char* id : {"ascend-910b", "rtx-4090d", "rtx-3090"}) EXPECT_TRUE(Check(id, D("2025-06-01")).allowed) << id;
}

TEST_F(Coverage, ChinaDesignsFollowTheRulesOfTheirDate) {
  // A800/H800: under the 2022 I/O line, banned from 2023-10-23.
  for (const char* id : {"a800-sxm-80gb", "a800-pcie-80gb", "h800-sxm-80gb", "h800-pcie-80gb"}) {
    EXPECT_TRUE(Check(id, D("2023-06-01")).allowed) << id;
    const Availability v = Check(id, D("2025-06-01"));
    EXPECT_FALSE(v.allowed) << id;
    EXPECT_EQ(v.rule_id, "bis-2023-10-17-immediate") << id;
  }
  // H20: under the 2023 line, sold from 2024, licence required from 2025-04-09.
  EXPECT_TRUE(Check("h20-96gb", D("2024-06-01")).allowed);
  const Availability h20 = Check("h20-96gb", D("2025-06-01"));
  EXPECT_FALSE(h20.allowed);
  EXPECT_EQ(h20.action, ExportAction::kLicenceRequired);
  EXPECT_TRUE(Check("h20-96gb", D("2025-06-01"), ChannelTier::kReseller, {"nvidia-8k-2025-04-15"}).allowed);
}

TEST(ExportCoverage, NewCatalogCardAboveTheLineIsCoveredWithoutEditingTheRules) {
  auto catalog = Catalog::LoadEmbedded();
  ASSERT_TRUE(catalog.ok());
  Accelerator next;
  next.id = "nv-next-pcie";
  next.vendor = "NVIDIA";
  next.peak_flops[static_cast<int>(Precision::kBf16)] = 400e12;  // TPP 6400
  std::vector<AcceleratorExportFacts> facts = ExportFactsOf(catalog->accelerators());
  facts.push_back(ExportFactsOf(next));
  auto market = LoadSeedMarket(nullptr, &facts);
  ASSERT_TRUE(market.ok()) << market.error().ToString();
  const Availability v = CheckExport(market->rules, "nv-next-pcie", "CN", ChannelTier::kReseller, D("2025-06-01"));
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.rule_id, "bis-2023-10-17");
  EXPECT_TRUE(CheckExport(market->rules, "nv-next-pcie", "CN", ChannelTier::kReseller, D("2023-11-01")).allowed);
}

// A press report never decides and cannot be licensed.
TEST_F(Coverage, ReportedItemsAreNotesNotRules) {
  for (ChannelTier channel : kAuthorised) {
    const Availability held = Check("h200-sxm-141gb", D("2026-02-15"), channel, {"bis-h200-case-by-case-2026-01-15"});
    EXPECT_TRUE(held.allowed) << ChannelTierName(channel);
    EXPECT_TRUE(held.flagged);
    EXPECT_EQ(held.rule_id, "bis-h200-case-by-case-2026-01-15");
    EXPECT_NE(held.reason.find("press report, not a rule (not applied): cn-h200-imports-reported-2026-01-28"),
              std::string::npos)
        << held.reason;
    const Availability none = Check("h200-sxm-141gb", D("2026-02-15"), channel);
    EXPECT_FALSE(none.allowed);
    EXPECT_EQ(none.rule_id, "bis-h200-case-by-case-2026-01-15");
  }
  auto reported = CheckLicences(rules_, {"cn-h200-imports-reported-2026-01-28"}, "--licence");
  ASSERT_FALSE(reported.ok());
  EXPECT_NE(reported.error().message.find("press report"), std::string::npos) << reported.error().ToString();
  EXPECT_EQ(reported.error().where, "--licence");
  // A reported rule alone leaves the card as it was.
  auto only = ParseExportRules(
      "rules:\n  - {id: rumour, effective: 2020-01-01, skus: [x], region: CN, action: ban, confidence: reported,\n"
      "     summary: s, source: t}\n",
      "r.yaml", nullptr, nullptr);
  ASSERT_TRUE(only.ok()) << only.error().ToString();
  const Availability x = CheckExport(*only, "x", "CN", ChannelTier::kReseller, D("2021-01-01"));
  EXPECT_TRUE(x.allowed);
  EXPECT_NE(x.reason.find("rumour"), std::string::npos);
  auto bad = ParseExportRules(
      "rules:\n  - {id: r, effective: 2020-01-01, skus: [x], region: CN, action: ban, confidence: maybe,\n"
      "     summary: s, source: t}\n",
      "r.yaml", nullptr, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().where.find("confidence"), std::string::npos) << bad.error().ToString();
}

// The reason names the rule that first blocked the card and is in force;
// a rescinded rule is never the reason after its rescission.
TEST_F(Coverage, ReasonNamesTheFirstRuleInForce) {
  for (const char* date : {"2022-11-01", "2024-01-01", "2025-03-01", "2025-06-01", "2026-03-01"}) {
    for (const char* id : {"a100-sxm-80gb", "a100-pcie-40gb", "h100-sxm-80gb", "h100-nvl-94gb"}) {
      const Availability v = Check(id, D(date));
      EXPECT_FALSE(v.allowed) << id << " " << date;
      EXPECT_EQ(v.rule_id, "bis-2022-10-07") << id << " " << date;
      EXPECT_NE(v.reason.find("not sold to CN buyers after 2022-10-07 (bis-2022-10-07"), std::string::npos)
          << v.reason;
      EXPECT_EQ(v.reason.find("ai-diffusion"), std::string::npos) << v.reason;
    }
  }
  // After its rescission the diffusion rule is never a reason, for any card.
  for (const ExportRule& rule : rules_)
    for (const std::string& sku : rule.skus)
      EXPECT_EQ(Check(sku, D("2025-06-01")).reason.find("ai-diffusion"), std::string::npos) << sku;
}

// A rule's SKU name covers its family, with a note listing the cards.
TEST(ExportCoverage, SkuNameCoversItsFamily) {
  auto rules = ParseExportRules(
      "rules:\n  - {id: what-if, effective: 2027-01-01, skus: [H200], region: CN, action: ban, summary: s, "
      "source: t}\n",
      "w.yaml", nullptr);
  ASSERT_TRUE(rules.ok()) << rules.error().ToString();
  EXPECT_EQ(rules->at(0).skus, (std::vector<std::string>{"h200-sxm-141gb", "h200-nvl-141gb"}));
  ASSERT_EQ(rules->at(0).sku_notes.size(), 1u);
  EXPECT_EQ(rules->at(0).sku_notes[0], "H200 covers h200-sxm-141gb, h200-nvl-141gb");
  EXPECT_FALSE(CheckExport(*rules, "h200-nvl-141gb", "CN", ChannelTier::kReseller, D("2027-02-01")).allowed);
  // An exact id is that card alone; a name's words must all match.
  const std::vector<AcceleratorExportFacts>& facts = EmbeddedExportFacts();
  EXPECT_EQ(SkuFamily("h200-sxm-141gb", facts), std::vector<std::string>{"h200-sxm-141gb"});
  EXPECT_EQ(SkuFamily("RTX 4090", facts), std::vector<std::string>{"rtx-4090"});
  EXPECT_EQ(SkuFamily("H20", facts), std::vector<std::string>{"h20-96gb"});
  EXPECT_EQ(SkuFamily("A100 80GB", facts), (std::vector<std::string>{"a100-sxm-80gb", "a100-pcie-80gb"}));
}

}  // namespace
}  // namespace suanli
