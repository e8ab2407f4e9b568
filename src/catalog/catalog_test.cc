// Catalog loading: schema errors with file:line:col, provenance, merging,
// lookups and the real embedded catalog.
#include "catalog/catalog.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/i18n.h"
#include "core/text.h"

namespace suanli {
namespace {

constexpr const char* kSmall = R"(accelerators:
  - id: a800-sxm-80gb
    name: NVIDIA A800 80GB SXM4
    vendor: NVIDIA
    aliases: ["A800"]
    year: 2022
    source: "datasheet"
    confidence: high
    memory: 80 GiB
    memory_bandwidth: 2039 GB/s
    peak: {bf16: 312 TFLOPS, fp32: 19.5 TFLOPS}
    scale_up: {kind: nvlink3, bandwidth_per_direction: 200 GB/s, domain: 8}
    scale_out: {bandwidth_per_direction: 25 GB/s}
    tdp: 400 W
    efficiency: {gemm: 0.8, hbm: 0.85}
    field_sources:
      efficiency.gemm: {source: "measured", confidence: medium}
  - id: bi-v100
    name: Iluvatar BI-V100
    aliases: ["天垓100"]
    source: "vendor page"
    confidence: medium
    memory: 32 GiB
    memory_bandwidth: 1.2 TB/s
    peak: {fp16: 147 TFLOPS}
systems:
  - id: hgx-a800
    name: HGX A800
    accelerator: a800-sxm-80gb
    accelerators_per_node: 8
    scale_out: {nics: 4, nic_bandwidth: 200 Gb/s, fabric: infiniband-hdr}
    power: 6.5 kW
    source: "OEM sheet"
)";

Catalog Small() {
  Catalog catalog;
  Status status = catalog.MergeText(kSmall, "small.yaml");
  EXPECT_TRUE(status.ok()) << status.error().ToString();
  return catalog;
}

Error MergeError(const std::string& text) {
  Catalog catalog = Small();
  Status status = catalog.MergeText(text, "user.yaml");
  EXPECT_FALSE(status.ok());
  return status.ok() ? Error{} : status.error();
}

TEST(Catalog, ParsesUnitsAndProvenance) {
  const Catalog catalog = Small();
  ASSERT_EQ(catalog.accelerators().size(), 2u);
  const Accelerator& a = catalog.accelerators()[0];
  EXPECT_DOUBLE_EQ(a.memory_bytes, 80.0 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(a.memory_Bps, 2039e9);
  EXPECT_DOUBLE_EQ(a.PeakFlops(Precision::kBf16), 312e12);
  EXPECT_DOUBLE_EQ(a.PeakFlops(Precision::kFp8), 0);
  EXPECT_DOUBLE_EQ(a.scale_up_Bps, 200e9);
  EXPECT_EQ(a.scale_up_domain, 8);
  EXPECT_DOUBLE_EQ(a.efficiency.gemm, 0.8);
  EXPECT_DOUBLE_EQ(a.efficiency.scale_up, Efficiency{}.scale_up);
  const FieldRecord* gemm = FindField(a.provenance, "efficiency.gemm");
  ASSERT_NE(gemm, nullptr);
  EXPECT_EQ(gemm->source, "measured");
  EXPECT_EQ(gemm->confidence, "medium");
  const FieldRecord* memory = FindField(a.provenance, "memory");
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->text, "80 GiB");
  EXPECT_EQ(memory->source, "datasheet");
  const FieldRecord* scale_up = FindField(a.provenance, "efficiency.scale_up");
  ASSERT_NE(scale_up, nullptr);
  EXPECT_EQ(scale_up->confidence, "estimate");
  EXPECT_NE(scale_up->source.find("default assumption"), std::string::npos);
  const System& s = catalog.systems()[0];
  EXPECT_DOUBLE_EQ(s.nic_Bps, 25e9);
  EXPECT_DOUBLE_EQ(s.ScaleOutBpsPerDevice(), 12.5e9);
  EXPECT_DOUBLE_EQ(s.power_w, 6500);
  EXPECT_DOUBLE_EQ(s.scale_up_Bps, 200e9);  // inherited from the accelerator
  EXPECT_EQ(catalog.DefaultSystemFor("a800-sxm-80gb"), &s);
  EXPECT_EQ(catalog.DefaultSystemFor("bi-v100"), nullptr);
}

TEST(Catalog, DefaultSourcesAreShownInTheLanguageOfTheRunAndKeptInEnglish) {
  SetLanguage(Language::kChinese);
  const size_t missing_before = MissingTranslations().size();
  const Catalog catalog = Small();
  SetLanguage(Language::kEnglish);
  EXPECT_EQ(MissingTranslations().size(), missing_before);  // every default source has a zh entry
  const Accelerator& a = catalog.accelerators()[0];
  for (const char* path : {"efficiency.scale_up", "efficiency.attention_flash2"}) {
    const FieldRecord* record = FindField(a.provenance, path);
    ASSERT_NE(record, nullptr) << path;
    EXPECT_EQ(record->source.rfind("default", 0), 0u) << record->source;  // JSON keeps the English
    EXPECT_EQ(ShownSource(*record).find("default"), std::string::npos) << path;
    EXPECT_NE(ShownSource(*record).find("docs/calibration.md"), std::string::npos) << path;
  }
  const FieldRecord* memory = FindField(a.provenance, "memory");  // a data file's source: as written
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(ShownSource(*memory), "datasheet");
  const Catalog english = Small();  // loaded in an English run: nothing besides the English
  EXPECT_TRUE(FindField(english.accelerators()[0].provenance, "efficiency.scale_up")->shown_source.empty());
}

TEST(Catalog, MissingField) {
  const Error e = MergeError("accelerators:\n  - id: x\n    name: X\n    source: s\n"
                             "    memory_bandwidth: 1 TB/s\n    peak: {bf16: 1 TFLOPS}\n");
  EXPECT_NE(e.message.find("missing"), std::string::npos) << e.ToString();
  EXPECT_NE(e.where.find("user.yaml:2:5 accelerators[0].memory"), std::string::npos)
      << e.ToString();
}

TEST(Catalog, BadUnit) {
  const Error e = MergeError("accelerators:\n  - id: x\n    name: X\n    source: s\n"
                             "    memory: 80 GHz\n    memory_bandwidth: 1 TB/s\n"
                             "    peak: {bf16: 1 TFLOPS}\n");
  EXPECT_EQ(e.where, "user.yaml:5:13 accelerators[0].memory") << e.ToString();
}

TEST(Catalog, UnknownKeySuggestsNearest) {
  const Error e = MergeError("accelerators:\n  - id: x\n    name: X\n    source: s\n"
                             "    memory: 8 GiB\n    memory_bandwith: 1 TB/s\n");
  EXPECT_EQ(e.where, "user.yaml:6:5 accelerators[0].memory_bandwith") << e.ToString();
  EXPECT_NE(e.hint.find("memory_bandwidth"), std::string::npos);
}

TEST(Catalog, DuplicateIdInOneFile) {
  const std::string one = "  - id: x\n    name: X\n    source: s\n    memory: 8 GiB\n"
                          "    memory_bandwidth: 1 TB/s\n    peak: {bf16: 1 TFLOPS}\n";
  const Error e = MergeError("accelerators:\n" + one + one);
  EXPECT_NE(e.message.find("duplicate"), std::string::npos);
  EXPECT_EQ(e.where, "user.yaml:8:9 accelerators[1].id") << e.ToString();
}

TEST(Catalog, SystemWithUnknownAccelerator) {
  const Error e = MergeError("systems:\n  - id: box\n    name: Box\n    accelerator: a8000\n"
                             "    accelerators_per_node: 8\n    source: s\n");
  EXPECT_EQ(e.where, "user.yaml:4:18 systems[0].accelerator") << e.ToString();
  EXPECT_NE(e.hint.find("a800-sxm-80gb"), std::string::npos) << e.ToString();
}

TEST(Catalog, UnknownFabricSuggestsNearest) {
  const std::string system = R"(
systems:
  - id: pigeon-box
    name: Pigeon box
    accelerator: a800-sxm-80gb
    accelerators_per_node: 8
    scale_out: {nics: 1, nic_bandwidth: 100 Gb/s, fabric: FABRIC}
    source: "test"
)";
  auto with = [&](const std::string& fabric) {
    std::string text = system;
    text.replace(text.find("FABRIC"), 6, fabric);
    return text;
  };
  const Error pigeon = MergeError(with("carrier-pigeon"));
  EXPECT_NE(pigeon.message.find("unknown fabric 'carrier-pigeon'"), std::string::npos);
  EXPECT_NE(pigeon.where.find("fabric"), std::string::npos);
  EXPECT_NE(MergeError(with("infiniband-hdx")).hint.find("infiniband-hdr"), std::string::npos);
  Catalog catalog = Small();
  EXPECT_TRUE(catalog.MergeText(with("ethernet"), "user.yaml").ok());
}

TEST(Catalog, BadConfidenceAndEfficiency) {
  Error e = MergeError("accelerators:\n  - id: x\n    name: X\n    source: s\n"
                       "    confidence: sure\n    memory: 8 GiB\n    memory_bandwidth: 1 TB/s\n"
                       "    peak: {bf16: 1 TFLOPS}\n");
  EXPECT_NE(e.message.find("confidence"), std::string::npos);
  e = MergeError("accelerators:\n  - id: x\n    name: X\n    source: s\n"
                 "    memory: 8 GiB\n    memory_bandwidth: 1 TB/s\n"
                 "    peak: {bf16: 1 TFLOPS}\n    efficiency: {gemm: 1.2}\n");
  EXPECT_NE(e.where.find("efficiency.gemm"), std::string::npos) << e.ToString();
  e = MergeError("accelerators:\n  - id: x\n    name: X\n    source: s\n"
                 "    memory: 8 GiB\n    memory_bandwidth: 1 TB/s\n"
                 "    peak: {bf16: 1 TFLOPS}\n    efficiency: {gemm: 0}\n");
  EXPECT_NE(e.where.find("efficiency.gemm"), std::string::npos) << e.ToString();
}

TEST(Catalog, MergeOverridesWholesaleAndAdds) {
  Catalog catalog = Small();
  Status status = catalog.MergeText(
      "accelerators:\n  - id: a800-sxm-80gb\n    name: My A800\n    source: my test\n"
      "    memory: 40 GiB\n    memory_bandwidth: 1 TB/s\n    peak: {bf16: 100 TFLOPS}\n"
      "  - id: new-card\n    name: New\n    source: s\n    memory: 8 GiB\n"
      "    memory_bandwidth: 1 TB/s\n    peak: {fp16: 1 TFLOPS}\n"
      "models:\n  - {id: tiny, layers: 2, hidden: 64, heads: 4, ffn_hidden: 128, vocab: 100}\n",
      "user.yaml");
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  ASSERT_EQ(catalog.accelerators().size(), 3u);
  // Wholesale: the old aliases are gone with the old entry.
  EXPECT_FALSE(catalog.FindAccelerator("A800").ok());
  const Accelerator* a = *catalog.FindAccelerator("a800-sxm-80gb");
  EXPECT_DOUBLE_EQ(a->memory_bytes, 40.0 * 1024 * 1024 * 1024);
  EXPECT_EQ(a->name, "My A800");
  EXPECT_TRUE(catalog.FindModel("tiny").ok());
}

TEST(Catalog, FailedMergeLeavesCatalogUnchanged) {
  Catalog catalog = Small();
  Status status = catalog.MergeText("accelerators:\n  - id: q\n    name: Q\n", "bad.yaml");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(catalog.accelerators().size(), 2u);
}

TEST(Catalog, LookupsAndSuggestions) {
  const Catalog catalog = Small();
  EXPECT_EQ((*catalog.FindAccelerator("A800"))->id, "a800-sxm-80gb");
  EXPECT_EQ((*catalog.FindAccelerator("A800_SXM_80GB"))->id, "a800-sxm-80gb");
  EXPECT_EQ((*catalog.FindAccelerator("天垓100"))->id, "bi-v100");
  EXPECT_EQ((*catalog.FindAccelerator("NVIDIA A800 80GB SXM4"))->id, "a800-sxm-80gb");
  auto missing = catalog.FindAccelerator("a8000");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().hint.find("did you mean a800-sxm-80gb"), std::string::npos)
      << missing.error().ToString();
  EXPECT_NE(missing.error().hint.find("suanli catalog accelerators"), std::string::npos);
  EXPECT_TRUE(catalog.FindSystem("HGX A800").ok());
}

class EmbeddedCatalog : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Catalog::LoadEmbedded();
    ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
    catalog_ = new Catalog(std::move(loaded).value());
  }
  static void TearDownTestSuite() { delete catalog_; }
  static Catalog* catalog_;
};
Catalog* EmbeddedCatalog::catalog_ = nullptr;

TEST_F(EmbeddedCatalog, DesignIdsPresent) {
  const char* ids[] = {
      "a100-sxm-40gb", "a100-sxm-80gb", "a100-pcie-80gb", "a800-sxm-80gb", "a800-pcie-80gb",
      "h100-sxm-80gb", "h100-pcie-80gb", "h800-sxm-80gb", "h800-pcie-80gb", "h20-96gb",
      "l20-48gb", "l40s-48gb", "h200-sxm-141gb", "b200-sxm-180gb", "gb200", "gb300",
      "rtx-4090", "rtx-4090d", "v100-sxm-32gb", "ascend-910b", "ascend-910c", "hygon-z100l",
      "hygon-k100", "hygon-k100-ai", "iluvatar-bi-v100", "iluvatar-bi-v150", "mtt-s3000",
      "mtt-s4000", "mlu370-x8", "mlu590", "biren-br100", "biren-br104", "metax-c500",
      "enflame-t20", "kunlunxin-p800", "mi250x", "mi300x", "gaudi2", "gaudi3", "tpu-v4",
      "tpu-v5p", "xeon-x5680", "gtx-580"};
  for (const char* id : ids) {
    auto found = catalog_->FindAccelerator(id);
    ASSERT_TRUE(found.ok()) << id;
    EXPECT_EQ((*found)->id, id);
  }
  const char* models[] = {"gpt3-1.7b", "gpt3-175b", "llama-2-7b", "llama-2-13b", "llama-2-70b",
                          "llama-3-8b", "llama-3-70b", "llama-3.1-405b", "aquila-7b",
                          "qwen2.5-72b", "mixtral-8x7b", "deepseek-v3", "qwen3-30b-a3b",
                          "qwen3-235b-a22b", "gpt-oss-120b"};
  for (const char* id : models) EXPECT_TRUE(catalog_->FindModel(id).ok()) << id;
}

TEST_F(EmbeddedCatalog, VendorSpellings) {
  EXPECT_EQ((*catalog_->FindAccelerator("A800"))->id, "a800-sxm-80gb");
  EXPECT_EQ((*catalog_->FindAccelerator("天垓100"))->id, "iluvatar-bi-v100");
  auto missing = catalog_->FindAccelerator("a8000");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().hint.rfind("did you mean a800-sxm-80gb", 0), 0u)
      << missing.error().hint;
}

TEST_F(EmbeddedCatalog, EveryNumberHasSourceAndConfidence) {
  auto check = [](const std::string& id, const Provenance& provenance) {
    EXPECT_FALSE(provenance.empty()) << id;
    for (const FieldRecord& r : provenance) {
      EXPECT_FALSE(r.source.empty()) << id << " " << r.path;
      EXPECT_TRUE(r.confidence == "high" || r.confidence == "medium" || r.confidence == "low" ||
                  r.confidence == "estimate")
          << id << " " << r.path;
    }
  };
  for (const Accelerator& a : catalog_->accelerators()) {
    check(a.id, a.provenance);
    EXPECT_NE(FindField(a.provenance, "memory"), nullptr) << a.id;
    EXPECT_NE(FindField(a.provenance, "efficiency.gemm"), nullptr) << a.id;
    EXPECT_GT(a.memory_bytes, 0) << a.id;
  }
  for (const System& s : catalog_->systems()) {
    check(s.id, s.provenance);
    EXPECT_TRUE(catalog_->FindAccelerator(s.accelerator_id).ok()) << s.id;
  }
  EXPECT_EQ(catalog_->accelerators().size(), 54u);  // + rtx-3090, rtx-6000-ada, a100-pcie-40gb (session 20)
}

}  // namespace
}  // namespace suanli

namespace suanli {
namespace {

TEST(ParseLists, StandaloneParsers) {
  auto accelerators = ParseAccelerators(kSmall, "small.yaml");
  ASSERT_TRUE(accelerators.ok()) << accelerators.error().ToString();
  EXPECT_EQ(accelerators->size(), 2u);
  auto systems = ParseSystems(kSmall, "small.yaml");
  ASSERT_TRUE(systems.ok()) << systems.error().ToString();
  EXPECT_EQ((*systems)[0].nics, 4);
  auto none = ParseSystems("accelerators: []\n", "a.yaml");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("missing"), std::string::npos);
  Catalog catalog;
  Status bad_top = catalog.MergeText("acelerators: []\n", "u.yaml");
  ASSERT_FALSE(bad_top.ok());
  EXPECT_NE(bad_top.error().hint.find("accelerators"), std::string::npos);
  Status bad_yaml = catalog.MergeText("accelerators: [\n", "u.yaml");
  ASSERT_FALSE(bad_yaml.ok());
  EXPECT_EQ(bad_yaml.error().where.rfind("u.yaml:", 0), 0u);
}

TEST(ParseLists, FieldSourcesMustNameAKnownField) {
  Catalog catalog;
  Status status = catalog.MergeText(
      "accelerators:\n  - id: x\n    name: X\n    source: s\n    memory: 8 GiB\n"
      "    memory_bandwidth: 1 TB/s\n    peak: {bf16: 1 TFLOPS}\n"
      "    field_sources:\n      peak.bf61: {source: t}\n",
      "u.yaml");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().where, "u.yaml:9:7 accelerators[0].field_sources.peak.bf61")
      << status.error().ToString();
  EXPECT_NE(status.error().hint.find("peak.bf16"), std::string::npos);
}

TEST_F(EmbeddedCatalog, FindSystemForRefusesAServerBuiltAroundAnotherAccelerator) {
  const Accelerator* h100 = *catalog_->FindAccelerator("h100-sxm-80gb");
  const System* own = catalog_->DefaultSystemFor(h100->id);
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(*catalog_->FindSystemFor(own->id, *h100), own);
  const System* a100_server = catalog_->DefaultSystemFor("a100-sxm-80gb");
  ASSERT_NE(a100_server, nullptr);
  auto wrong = catalog_->FindSystemFor(a100_server->id, *h100);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().where, "--system");
  EXPECT_NE(wrong.error().message.find("a100-sxm-80gb"), std::string::npos) << wrong.error().ToString();
  EXPECT_NE(wrong.error().hint.find(own->id), std::string::npos) << wrong.error().ToString();
  EXPECT_FALSE(catalog_->FindSystemFor("no-such-server", *h100).ok());
}

TEST_F(EmbeddedCatalog, ResolveModelArgTakesARepoIdAliasBeforeAPath) {
  // "meta-llama/Llama-2-7b-hf" has a slash, like a path, but names a preset.
  auto by_repo = ResolveModelArg(*catalog_, "meta-llama/Llama-2-7b-hf");
  ASSERT_TRUE(by_repo.ok()) << by_repo.error().ToString();
  EXPECT_EQ(by_repo->id, "llama-2-7b");
  auto missing = ResolveModelArg(*catalog_, "no-such-dir/config.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().where, "no-such-dir/config.json");
}

TEST_F(EmbeddedCatalog, ResolveModelArgReadsAModelFolderAndNamesWhatIsNotAFile) {
  // A downloaded Hugging Face folder is read through its config.json; a
  // folder without one is named as a folder that lacks a config.json (as
  // docs/models.md says), not as missing.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "suanli-model-folder-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "empty");
  std::ofstream(dir / "config.json") << R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100})";
  auto folder = ResolveModelArg(*catalog_, dir.string());
  ASSERT_TRUE(folder.ok()) << folder.error().ToString();
  EXPECT_EQ(folder->layers, 2);
  auto empty = ResolveModelArg(*catalog_, (dir / "empty").string());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "the folder has no config.json, so it is no model") << empty.error().ToString();
  EXPECT_EQ(empty.error().where, (dir / "empty").string());
  std::filesystem::remove_all(dir);
}

TEST_F(EmbeddedCatalog, ResolveModelArgPrefersWhatIsOnDiskToAPresetOfTheSameName) {
  // `huggingface-cli download --local-dir Llama-3-8B` names a folder like a
  // preset's alias: the folder wins, with a note; a folder without a
  // config.json is no model, so the preset is used, with a note too.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "suanli-shadow-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "Llama-3-8B");
  std::filesystem::create_directories(dir / "llama-2-7b");
  std::ofstream(dir / "Llama-3-8B" / "config.json") << R"({"model_type": "llama", "hidden_size": 64,
    "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100})";
  const std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  std::vector<std::string> notes;
  auto folder = ResolveModelArg(*catalog_, "Llama-3-8B", &notes);
  auto preset = ResolveModelArg(*catalog_, "llama-2-7b", &notes);
  std::filesystem::current_path(cwd);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(folder.ok()) << folder.error().ToString();
  EXPECT_EQ(folder->layers, 2);
  ASSERT_TRUE(preset.ok()) << preset.error().ToString();
  EXPECT_EQ(preset->id, "llama-2-7b");
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find("preset llama-3-8b"), std::string::npos) << notes[0];
  EXPECT_NE(notes[0].find("write llama-3-8b for the preset"), std::string::npos) << notes[0];
  EXPECT_NE(notes[1].find("without a config.json"), std::string::npos) << notes[1];
}

}  // namespace
}  // namespace suanli

