// Fit renderers: the reasons for a layout that does not fit, the null minimum.
#include "report/fit_report.h"

#include <gtest/gtest.h>

#include "core/units.h"

namespace suanli {
namespace {

TEST(FitReport, ReasonsNameTheStatesAndTheMissingMinimum) {
  FitResult r;
  r.model = "m";
  r.accelerator = "acc";
  r.gpus = 1;
  r.usable_bytes = 10 * kGiB;
  r.capacity_bytes = 12 * kGiB;
  r.memory.weights_bytes = 20 * kGiB;
  r.memory.total_bytes = 25 * kGiB;
  r.min.reason = "nothing fits on up to 8 devices";
  r.min.reason_text = "nothing fits on up to 8 devices";
  const std::vector<std::string> reasons = FitReasons(r);
  ASSERT_EQ(reasons.size(), 3u);
  EXPECT_EQ(reasons[1], "weights, gradients and optimizer states alone need 20.0 GiB");
  EXPECT_EQ(reasons[2], "nothing fits on up to 8 devices");
  const nlohmann::json json = FitJson(r);
  EXPECT_EQ(json["fits"], false);
  EXPECT_TRUE(json["min_gpus_to_fit"].is_null());
  const std::string text = FitText(r);
  EXPECT_NE(text.find("25.0 GiB of 10.0 GiB usable per device: does not fit"), std::string::npos);
  EXPECT_NE(text.find("fewest that fit  nothing fits on up to 8 devices"), std::string::npos);
  EXPECT_NE(text.find("- weights, gradients and optimizer states alone need 20.0 GiB"), std::string::npos);
}

TEST(FitReport, MarginShowsWhatTheRoundedFiguresHide) {
  const double gib = 1024.0 * 1024 * 1024, mib = 1024.0 * 1024;
  // 23.0 GiB of 23.0 GiB: the shortfall or the room left is spelt out.
  EXPECT_EQ(MemoryMarginNote(23 * gib + 35 * mib, 23 * gib), " (35 MiB short)");
  EXPECT_EQ(MemoryMarginNote(23 * gib - 12 * mib, 23 * gib), " (12 MiB left)");
  // Figures that differ when rounded need nothing more.
  EXPECT_EQ(MemoryMarginNote(24 * gib, 23 * gib), "");
}

TEST(FitReport, JsonNamesUsableBytesAsTrainAndMarkdownCarriesTheAnswer) {
  FitResult r;
  r.model = "m";
  r.accelerator = "acc";
  r.gpus = 8;
  r.capacity_bytes = 80 * kGiB;
  r.usable_bytes = 79 * kGiB;
  r.memory.weights_bytes = 90 * kGiB;
  r.memory.total_bytes = 90 * kGiB;
  r.min.found = true;
  r.min.devices = 16;
  const nlohmann::json json = FitJson(r);
  EXPECT_EQ(json["usable_bytes"], static_cast<int64_t>(79 * kGiB));
  EXPECT_EQ(json["device_memory_bytes"], static_cast<int64_t>(80 * kGiB));
  EXPECT_EQ(json["capacity_bytes"], json["usable_bytes"]);  // the old name, kept for one release
  const std::string md = FitMarkdown(r);
  EXPECT_NE(md.find("| fewest that fit | 16 × acc"), std::string::npos) << md;
  EXPECT_NE(md.find("does not fit"), std::string::npos) << md;
  EXPECT_NE(md.find("| total | 90.0 |"), std::string::npos) << md;
}

TEST(FitReport, OffloadNeedingMoreHostRamThanTheNodeDoesNotFit) {
  // Mixtral-sized 46.7e9 params, ZeRO-3 optimizer offload over 8 RTX 4090 of a 512 GB server:
  // 46.7e9 x 16 B x 1.5 / 8 per device, 1,121 GB per node (lab report s22 item 1).
  FitResult r;
  r.model = "m";
  r.accelerator = "acc";
  r.gpus = 8;
  r.devices_per_node = 8;
  r.usable_bytes = 23 * kGiB;
  r.capacity_bytes = 24 * kGiB;
  r.memory.total_bytes = 18 * kGiB;
  r.memory.host_bytes = 46.7e9 * 16 * 1.5 / 8;
  r.host_capacity_bytes = 512e9;
  r.min.found = true;
  EXPECT_FALSE(r.fits());
  const nlohmann::json json = FitJson(r);
  EXPECT_EQ(json["fits"], false);
  EXPECT_EQ(json["host_bytes"], static_cast<int64_t>(46.7e9 * 24));
  EXPECT_EQ(json["host_capacity_bytes"], static_cast<int64_t>(512e9));
  EXPECT_NE(FitText(r).find("host RAM per node: host RAM does not fit; CPU Adam assumes 25 GB/s"), std::string::npos)
      << FitText(r);
  EXPECT_NE(FitText(r).find("- the offloaded optimizer states need 1043.8 GiB of host RAM per node, the server has "
                            "476.8 GiB"),
            std::string::npos)
      << FitText(r);
  r.host_capacity_bytes = 2e12;  // a 2 TB host holds it
  EXPECT_TRUE(r.fits());
}

}  // namespace
}  // namespace suanli
