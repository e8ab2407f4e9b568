// config.json "quantization_config" → the checkpoint's weight format. Field
// names follow transformers' quantization configs (FineGrainedFP8Config,
// AwqConfig, GPTQConfig, Mxfp4Config, BitsAndBytesConfig,
// CompressedTensorsConfig) as the published checkpoints write them.
#include "workload/hf_quant.h"

#include <fmt/format.h>

#include "core/i18n.h"

namespace suanli {
namespace {

// Returns the methods read, for the note on another one.
constexpr const char* kReadMethods = "fp8, fbgemm_fp8, awq, gptq, mxfp4, bitsandbytes, compressed-tensors";

// Returns the format of a `bits`-bit integer weight (4 → int4, 8 → int8), or nullopt.
std::optional<Precision> IntFormat(int64_t bits) {
  if (bits == 4) return Precision::kInt4;
  if (bits == 8) return Precision::kInt8;
  return std::nullopt;
}

// Returns the integer `key` of `map`, or `fallback` when absent; -2 when it is not a whole number.
int64_t IntField(const JsonMap& map, std::string_view key, int64_t fallback) {
  auto value = map.IntOr(key, fallback, -1, 1 << 20);
  return value.ok() ? *value : -2;
}

// Reads FineGrainedFP8Config / FbgemmFp8Config: fmt (e4m3 unless e5m2) and weight_block_size.
void ReadFp8(const JsonMap& q, CheckpointWeights& w) {
  w.format = Precision::kFp8;
  const JsonValue* fmt_value = q.Get("fmt");
  w.detail = fmt_value != nullptr && fmt_value->kind == JsonValue::Kind::kString ? fmt_value->text : "e4m3";
  const JsonValue* block = q.Get("weight_block_size");
  if (block != nullptr && block->kind == JsonValue::Kind::kArray && block->items.size() == 2) {
    w.detail += fmt::format(", {}×{} blocks", block->items[0].text, block->items[1].text);
  }
}

// Reads AwqConfig / GPTQConfig: bits (default 4) and group_size (default 128; -1 per channel).
void ReadIntGroups(const JsonMap& q, const JsonMap& config, CheckpointWeights& w) {
  const int64_t bits = IntField(q, "bits", 4);
  const int64_t group = IntField(q, "group_size", 128);
  w.bits = static_cast<int>(bits);
  w.group_size = static_cast<int>(group);
  w.format = IntFormat(bits);
  if (!w.format) {
    w.unread = TrFormat("{}: {} {}-bit weights are not a format suanli sizes (it reads 4 and 8 bits)",
                        config.Where("quantization_config"), w.quant_method, bits);
    return;
  }
  w.detail = group == -1 ? fmt::format("{} bits, per output channel", bits)
                         : fmt::format("{} bits, groups of {}", bits, group);
}

// Reads CompressedTensorsConfig when it is simple: one config group whose
// "weights" give num_bits and type (float 8 → fp8, float 4 → fp4, int 4/8).
void ReadCompressedTensors(const JsonMap& q, const JsonMap& config, CheckpointWeights& w) {
  const JsonValue* groups = q.Get("config_groups");
  const JsonValue* weights = groups != nullptr && groups->kind == JsonValue::Kind::kObject &&
                                     groups->members.size() == 1
                                 ? groups->members.front().value.Find("weights")
                                 : nullptr;
  if (weights == nullptr || weights->kind != JsonValue::Kind::kObject) {
    w.unread = TrFormat("{}: compressed-tensors other than one config group with \"weights\" is not read",
                        config.Where("quantization_config"));
    return;
  }
  const JsonMap wm(*weights, config.file_name());
  const int64_t bits = IntField(wm, "num_bits", 0);
  const JsonValue* type = wm.Get("type");
  const bool is_float = type != nullptr && type->kind == JsonValue::Kind::kString && type->text == "float";
  if (is_float && bits == 8) w.format = Precision::kFp8;
  if (is_float && bits == 4) w.format = Precision::kFp4;
  if (!is_float) w.format = IntFormat(bits);
  if (!w.format) {
    w.unread = TrFormat("{}: compressed-tensors weights of {} bits ({}) are not a format suanli sizes",
                        config.Where("quantization_config"), bits,
                        type != nullptr ? type->text : std::string("no type"));
    return;
  }
  w.bits = static_cast<int>(bits);
  const int64_t group = IntField(wm, "group_size", 0);
  if (group > 0) w.group_size = static_cast<int>(group);
  const JsonValue* strategy = wm.Get("strategy");
  w.detail = fmt::format("{}-bit {}{}", bits, is_float ? "float" : "int",
                         strategy != nullptr && strategy->kind == JsonValue::Kind::kString
                             ? fmt::format(", {} scales", strategy->text)
                             : std::string());
}

}  // namespace

CheckpointWeights ReadQuantizationConfig(const JsonMap& config) {
  CheckpointWeights w;
  const JsonValue* q = config.Get("quantization_config");
  if (q == nullptr) return w;
  const JsonValue* method = q->kind == JsonValue::Kind::kObject ? q->Find("quant_method") : nullptr;
  if (method == nullptr || method->kind != JsonValue::Kind::kString) {
    w.quant_method = "?";
    w.unread = TrFormat("{}: quantization_config without a quant_method string is not read",
                        config.Where("quantization_config"));
    return w;
  }
  const JsonMap qm(*q, config.file_name());
  w.quant_method = method->text;
  if (w.quant_method == "fp8" || w.quant_method == "fbgemm_fp8") {
    ReadFp8(qm, w);
  } else if (w.quant_method == "awq" || w.quant_method == "gptq") {
    ReadIntGroups(qm, config, w);
  } else if (w.quant_method == "mxfp4") {
    // gpt-oss: the MoE experts' weights in MXFP4 (4-bit floats, one 8-bit
    // scale per 32); modules_to_not_convert (attention, router, embeddings) stay bf16.
    w.format = Precision::kFp4;
    w.bits = 4;
    w.group_size = 32;
    w.detail = "MXFP4, scale per 32 weights";
  } else if (w.quant_method == "bitsandbytes") {
    auto four = qm.BoolOr("load_in_4bit", false);
    auto eight = qm.BoolOr("load_in_8bit", false);
    if (four.ok() && *four) {
      w.format = Precision::kInt4;
      w.bits = 4;
      w.detail = "4-bit (nf4/fp4)";
    } else if (eight.ok() && *eight) {
      w.format = Precision::kInt8;
      w.bits = 8;
      w.detail = "LLM.int8()";
    } else {
      w.unread = TrFormat("{}: bitsandbytes without load_in_4bit or load_in_8bit is not read",
                          config.Where("quantization_config"));
    }
  } else if (w.quant_method == "compressed-tensors") {
    ReadCompressedTensors(qm, config, w);
  } else {
    w.unread = TrFormat("{}: quantization_config.quant_method '{}' is not read (suanli reads {})",
                        qm.Where("quant_method"), w.quant_method, kReadMethods);
  }
  return w;
}

Precision DefaultServingWeights(const ModelSpec& model, bool serve_formats) {
  if (!model.checkpoint.format) return Precision::kBf16;
  const Precision p = *model.checkpoint.format;
  if (!serve_formats) return p;
  if (p == Precision::kFp4) return Precision::kInt4;  // 4-bit weights, the same bytes (memory.h ServingWeightBytes)
  if (p == Precision::kBf16 || p == Precision::kFp8 || p == Precision::kInt8 || p == Precision::kInt4) return p;
  return Precision::kBf16;
}

std::string ServingWeightsFlag(const ModelSpec& model, const std::string& flag, bool serve_formats) {
  if (!flag.empty() && flag != "auto") return flag;
  return std::string(PrecisionName(DefaultServingWeights(model, serve_formats)));
}

std::vector<std::string> CheckpointNotes(const ModelSpec& model) {
  const CheckpointWeights& w = model.checkpoint;
  if (!w.unread.empty()) {
    return {TrFormat("{}: {}: its weights are sized as bf16; name the checkpoint's format with --weights (serve) or "
                     "--weight-precision (fit --infer)",
                     model.id, w.unread)};
  }
  if (!w.format) return {};
  const std::string_view stored = PrecisionName(*w.format);
  const std::string_view served = PrecisionName(DefaultServingWeights(model, true));
  std::string line = TrFormat("{}: the checkpoint stores its weights as {} (quantization_config: {}, {}): serve and "
                              "fit --infer size them so unless --weights or --weight-precision names another format; "
                              "training still trains at its precision (--precision)",
                              model.id, stored, w.quant_method, w.detail);
  if (served != stored) line += TrFormat(" (serve sizes {} weights as {}: the same bytes)", stored, served);
  return {line};
}

}  // namespace suanli
