#include <gtest/gtest.h>

#include "market/market.h"
#include "market/date_test_support.h"

namespace suanli {
namespace {

class SeedRules : public ::testing::Test {
 protected:
  void SetUp() override {
    auto market = LoadSeedMarket();
    ASSERT_TRUE(market.ok()) << market.error().ToString();
    market_ = std::move(*market);
  }
  Availability Check(const std::string& sku, Date date,
                     ChannelTier channel = ChannelTier::kNationalDistributor, bool grey = false) {
    return CheckExport(market_.rules, sku, "CN", channel, date, grey);
  }
  Market market_;
};

TEST_F(SeedRules, A100AllowedBeforeAndBannedAfterOctober2022) {
  EXPECT_TRUE(Check("a100-sxm-80gb", D("2022-06-15")).allowed);
  const Availability nov = Check("a100-sxm-80gb", D("2022-11-15"));
  EXPECT_FALSE(nov.allowed);
  EXPECT_EQ(nov.rule_id, "bis-2022-10-07");
  EXPECT_EQ(nov.action, ExportAction::kBan);
  EXPECT_NE(nov.reason.find("a100-sxm-80gb: not sold to CN buyers after 2022-10-07"), std::string::npos)
      << nov.reason;
  // Between the notice (2022-08-26, 8-K of 2022-08-31) and the rule: licence required.
  EXPECT_EQ(Check("a100-sxm-80gb", D("2022-08-28")).action, ExportAction::kLicenceRequired);
  EXPECT_EQ(Check("a100-sxm-80gb", D("2022-09-15")).action, ExportAction::kLicenceRequired);
  // Other regions are not covered.
  EXPECT_TRUE(CheckExport(market_.rules, "a100-sxm-80gb", "US", ChannelTier::kReseller, D("2022-11-15")).allowed);
}

TEST_F(SeedRules, A800AllowedMid2023BannedNovember2023) {
  const Availability june = Check("a800-sxm-80gb", D("2023-06-15"));
  EXPECT_TRUE(june.allowed);
  EXPECT_EQ(june.rule_id, "nvidia-a800-launch-2022-11");
  // Announced 2023-10-17 with 30 days' grace; the USG made it immediate for
  // A100/A800/H100/H800/L40S on 2023-10-23 (NVIDIA 8-K of 2023-10-24).
  EXPECT_TRUE(Check("a800-sxm-80gb", D("2023-10-20")).allowed);
  const Availability nov = Check("a800-sxm-80gb", D("2023-11-15"));
  EXPECT_FALSE(nov.allowed);
  EXPECT_EQ(nov.rule_id, "bis-2023-10-17-immediate");
  EXPECT_NE(nov.reason.find("not sold to CN buyers after 2023-10-23"), std::string::npos) << nov.reason;
}

TEST_F(SeedRules, Rtx4090BannedFromTheRulesEffectiveDate) {
  EXPECT_TRUE(Check("rtx-4090", D("2023-11-10")).allowed);
  const Availability dec = Check("rtx-4090", D("2023-11-20"));
  EXPECT_FALSE(dec.allowed);
  EXPECT_EQ(dec.rule_id, "bis-2023-10-17");
}

// The diffusion rule changed nothing for CN buyers: the H100's reason stays
// the rule that first banned it (2022-10-07), before and after the rescission.
TEST_F(SeedRules, AiDiffusionRuleLapsesAtItsRescission) {
  EXPECT_EQ(Check("h100-sxm-80gb", D("2025-03-01")).rule_id, "bis-2022-10-07");
  const Availability june = Check("h100-sxm-80gb", D("2025-06-01"));
  EXPECT_FALSE(june.allowed);
  EXPECT_EQ(june.rule_id, "bis-2022-10-07");
}

TEST_F(SeedRules, AscendGuidanceConcernsBuyersOutsideChina) {
  EXPECT_TRUE(Check("ascend-910b", D("2025-06-01")).allowed);
  const Availability us =
      CheckExport(market_.rules, "ascend-910b", "US", ChannelTier::kNationalDistributor, D("2025-06-01"));
  EXPECT_FALSE(us.allowed);
  EXPECT_EQ(us.rule_id, "bis-ascend-gp10-guidance-2025-05-13");
  EXPECT_TRUE(
      CheckExport(market_.rules, "ascend-910b", "US", ChannelTier::kNationalDistributor, D("2025-05-01")).allowed);
}

TEST_F(SeedRules, H200CaseByCaseFromJanuary2026) {
  EXPECT_EQ(Check("h200-sxm-141gb", D("2026-01-10")).action, ExportAction::kBan);
  EXPECT_EQ(Check("h200-sxm-141gb", D("2026-01-20")).action, ExportAction::kLicenceRequired);
  // The reported Chinese import approvals do not decide; the verdict notes them.
  const Availability feb = Check("h200-sxm-141gb", D("2026-02-15"));
  EXPECT_EQ(feb.action, ExportAction::kLicenceRequired);
  EXPECT_EQ(feb.rule_id, "bis-h200-case-by-case-2026-01-15");
  EXPECT_NE(feb.reason.find("press report"), std::string::npos) << feb.reason;
}

TEST_F(SeedRules, H20AllowedThenLicenceRequired) {
  EXPECT_TRUE(Check("h20-96gb", D("2024-06-15")).allowed);
  // The USG told NVIDIA on 2025-04-09; the 8-K followed on 2025-04-15.
  EXPECT_EQ(Check("h20-96gb", D("2025-04-10")).action, ExportAction::kLicenceRequired);
  const Availability may = Check("h20-96gb", D("2025-05-15"));
  EXPECT_FALSE(may.allowed);
  EXPECT_EQ(may.action, ExportAction::kLicenceRequired);
  // A holder of a licence under the deciding rule passes, flagged; a
  // licence under another rule does not help.
  const Availability licensed = CheckExport(market_.rules, "h20-96gb", "CN", ChannelTier::kNationalDistributor,
                                            D("2025-05-15"), false, {"nvidia-8k-2025-04-15"});
  EXPECT_TRUE(licensed.allowed);
  EXPECT_TRUE(licensed.flagged);
  EXPECT_FALSE(CheckExport(market_.rules, "h20-96gb", "CN", ChannelTier::kNationalDistributor, D("2025-05-15"),
                           false, {"bis-h200-case-by-case-2026-01-15"})
                   .allowed);
}

TEST_F(SeedRules, LicencesAreCheckedAgainstTheRules) {
  auto held = CheckLicences(market_.rules, {"USG-H20-Licences-2025-08"}, "--licence");
  ASSERT_TRUE(held.ok()) << held.error().ToString();
  EXPECT_EQ(*held, std::vector<std::string>{"usg-h20-licences-2025-08"});
  auto typo = CheckLicences(market_.rules, {"usg-h20-licence-2025-08"}, "--licence");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(typo.error().where, "--licence");
  EXPECT_NE(typo.error().hint.find("usg-h20-licences-2025-08"), std::string::npos) << typo.error().ToString();
  auto ban = CheckLicences(market_.rules, {"bis-2022-10-07"}, "--licence");
  ASSERT_FALSE(ban.ok());
  EXPECT_NE(ban.error().message.find("ban"), std::string::npos) << ban.error().ToString();
}

TEST_F(SeedRules, ExtraRulesGoOnTopAndReplaceTheirId) {
  auto extra = ParseExportRules(
      "rules:\n"
      "  - {id: what-if, effective: 2027-02-01, skus: [h20-96gb], regions: [CN], action: ban, summary: s, source: t}\n"
      "  - {id: bis-2022-10-07, effective: 2022-10-07, skus: [a100-sxm-80gb], region: CN, action: allow,\n"
      "     summary: what if it never happened, source: t}\n",
      "extra.yaml", nullptr);
  ASSERT_TRUE(extra.ok()) << extra.error().ToString();
  const std::vector<ExportRule> rules = AddExportRules(market_.rules, *extra);
  EXPECT_EQ(rules.size(), market_.rules.size() + 1);
  EXPECT_FALSE(CheckExport(rules, "h20-96gb", "CN", ChannelTier::kReseller, D("2027-02-01")).allowed);
  EXPECT_TRUE(CheckExport(rules, "h20-96gb", "CN", ChannelTier::kReseller, D("2027-01-31"), false,
                          {"usg-h20-licences-2025-08"})
                  .allowed);
  EXPECT_TRUE(CheckExport(rules, "a100-sxm-80gb", "CN", ChannelTier::kReseller, D("2022-11-01")).allowed);
  // Two rules of one id in one list are an error at the second's id.
  auto twice = ParseExportRules(
      "rules:\n"
      "  - {id: x, effective: 2027-02-01, skus: [h20-96gb], region: CN, action: ban, summary: s, source: t}\n"
      "  - {id: x, effective: 2027-03-01, skus: [h20-96gb], region: CN, action: ban, summary: s, source: t}\n",
      "extra.yaml", nullptr);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().where.substr(0, 13), "extra.yaml:3:") << twice.error().ToString();
}

TEST_F(SeedRules, GreyMarketOnlyWithPolicyAndFlagged) {
  EXPECT_FALSE(Check("h100-sxm-80gb", D("2024-08-15"), ChannelTier::kGreyMarket, false).allowed);
  const Availability grey = Check("h100-sxm-80gb", D("2024-08-15"), ChannelTier::kGreyMarket, true);
  EXPECT_TRUE(grey.allowed);
  EXPECT_TRUE(grey.flagged);
  // The policy does not open the official channels.
  EXPECT_FALSE(Check("h100-sxm-80gb", D("2024-08-15"), ChannelTier::kNationalDistributor, true).allowed);
  // Cloud rental of installed cards is not covered by the rules.
  EXPECT_TRUE(Check("h100-sxm-80gb", D("2024-08-15"), ChannelTier::kCloud).allowed);
}

TEST(ExportRules, LatestRuleWinsAndUntilEnds) {
  const char* text = R"(rules:
  - {id: r1, effective: 2020-01-01, skus: [x], region: CN, action: ban, summary: s, source: s}
  - {id: r2, effective: 2021-01-01, until: 2022-01-01, skus: [x], region: CN, action: allow, summary: s, source: s}
)";
  auto rules = ParseExportRules(text, "r.yaml", nullptr);
  ASSERT_TRUE(rules.ok()) << rules.error().ToString();
  EXPECT_FALSE(CheckExport(*rules, "x", "CN", ChannelTier::kReseller, D("2020-06-01")).allowed);
  EXPECT_TRUE(CheckExport(*rules, "x", "CN", ChannelTier::kReseller, D("2021-06-01")).allowed);
  EXPECT_FALSE(CheckExport(*rules, "x", "CN", ChannelTier::kReseller, D("2022-06-01")).allowed);
  EXPECT_TRUE(CheckExport(*rules, "y", "CN", ChannelTier::kReseller, D("2022-06-01")).allowed);
}

TEST(ExportRules, ParseErrorsNameTheLine) {
  auto bad = ParseExportRules(
      "rules:\n  - {id: r, effective: 2023-10-17, skus: [x], region: CN, action: forbid, summary: s, source: s}\n",
      "r.yaml", nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().where.find("r.yaml:2"), std::string::npos);
  auto unknown = ParseExportRules(
      "rules:\n  - {id: r, effective: 2023-10-17, skus: [a800], region: CN, action: ban, summary: s, source: s}\n",
      "r.yaml", MakeListResolver({"a800-sxm-80gb"}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown accelerator"), std::string::npos);
}

// The China rules cover Hong Kong and Macau, and the D:5 rules Russia: no
// channel sells an H100 to a buyer in HK, MO or RU in June 2024, as none
// sells it to one in CN; a US buyer is not covered.
TEST_F(SeedRules, ChinaRulesCoverHongKongMacauAndRussia) {
  for (const char* region : {"CN", "HK", "MO", "RU", "hk"}) {
    for (ChannelTier channel : AllChannelTiers()) {
      if (channel == ChannelTier::kCloud) continue;  // renting installed cards is not an export
      const Availability a = CheckExport(market_.rules, "h100-sxm-80gb", region, channel, D("2024-06-01"));
      EXPECT_FALSE(a.allowed) << region << " " << ChannelTierName(channel);
    }
  }
  EXPECT_TRUE(CheckExport(market_.rules, "h100-sxm-80gb", "US", ChannelTier::kReseller, D("2024-06-01")).allowed);
  // Macau joined the October-2022 controls on 2023-01-17 (88 FR 2821).
  EXPECT_TRUE(CheckExport(market_.rules, "a100-sxm-80gb", "MO", ChannelTier::kReseller, D("2022-12-01")).allowed);
  const Availability macau = CheckExport(market_.rules, "a100-sxm-80gb", "MO", ChannelTier::kReseller, D("2023-02-01"));
  EXPECT_FALSE(macau.allowed);
  EXPECT_EQ(macau.rule_id, "bis-2022-10-07-macau");
  // Russia: denied since 2022-02-24 (87 FR 12226), before the China rules.
  const Availability russia = CheckExport(market_.rules, "a100-sxm-80gb", "RU", ChannelTier::kReseller, D("2022-03-15"));
  EXPECT_FALSE(russia.allowed);
  EXPECT_EQ(russia.rule_id, "bis-russia-2022-02-24");
  EXPECT_TRUE(CheckExport(market_.rules, "a100-sxm-80gb", "CN", ChannelTier::kReseller, D("2022-03-15")).allowed);
  // The RTX 4090 falls under the D:5 rule of 2023-11-17 in Russia too.
  EXPECT_FALSE(CheckExport(market_.rules, "rtx-4090", "RU", ChannelTier::kReseller, D("2024-06-01")).allowed);
}

TEST(ExportRules, RegionsListOrOneRegion) {
  auto rules = ParseExportRules(
      "rules:\n  - {id: r, effective: 2020-01-01, skus: [x], regions: [CN, Hong Kong, mo], action: ban, summary: s, "
      "source: s}\n",
      "r.yaml", nullptr);
  ASSERT_TRUE(rules.ok()) << rules.error().ToString();
  EXPECT_EQ(rules->at(0).regions, (std::vector<std::string>{"CN", "HK", "MO"}));
  EXPECT_FALSE(CheckExport(*rules, "x", "HK", ChannelTier::kReseller, D("2020-06-01")).allowed);
  EXPECT_TRUE(CheckExport(*rules, "x", "US", ChannelTier::kReseller, D("2020-06-01")).allowed);
  for (const char* regions : {"region: CN, regions: [HK]", "regions: []", "regions: [Atlantis]"}) {
    auto bad = ParseExportRules(std::string("rules:\n  - {id: r, effective: 2020-01-01, skus: [x], ") + regions +
                                    ", action: ban, summary: s, source: s}\n",
                                "r.yaml", nullptr);
    ASSERT_FALSE(bad.ok()) << regions;
    EXPECT_NE(bad.error().where.find("r.yaml:2"), std::string::npos) << bad.error().ToString();
  }
}

}  // namespace
}  // namespace suanli
