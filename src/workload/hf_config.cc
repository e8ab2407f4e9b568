// config.json import: parse with positions, pick the family by model_type, validate.
#include "workload/hf_config.h"

#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "core/json_reader.h"
#include "core/text.h"
#include "workload/hf_config_keys.h"
#include "workload/hf_families.h"
#include "workload/hf_quant.h"
#include "workload/model_check.h"
#include "core/i18n.h"

namespace suanli {
namespace {

// Returns the model id of a config file: its stem, or the folder name for "config.json".
std::string FileStem(const std::string& file_name) {
  std::filesystem::path path(file_name);
  std::string stem = path.stem().string();
  if (stem == "config" && path.has_parent_path()) {
    const std::string parent = path.parent_path().filename().string();
    if (!parent.empty() && parent != ".") stem = parent;
  }
  return stem;
}

// Returns the hint for a config without model_type: the family its
// "architectures" names, or the supported list.
std::string MissingModelTypeHint(const JsonMap& config) {
  if (const JsonValue* classes = config.Get("architectures");
      classes != nullptr && classes->kind == JsonValue::Kind::kArray) {
    for (const JsonValue& name : classes->items) {
      if (const HfFamily* family = FindHfFamilyByArchitecture(name.text);
          family != nullptr && name.kind == JsonValue::Kind::kString) {
        return fmt::format("add \"model_type\": \"{}\" ({} is that family)", family->model_type,
                           name.text);
      }
    }
  }
  return fmt::format("supported model types: {}", SupportedHfFamilies());
}

// The config.json keys of each ModelSpec field, across the families of
// hf_families.cc; a config holds one family's spelling, the first listed is
// named when none is present.
struct ConfigKeys {
  std::string_view field;
  std::vector<std::string_view> keys;
};
const ConfigKeys kConfigKeys[] = {
    {"layers", {"num_hidden_layers", "n_layer", "n_layers"}},
    {"hidden", {"hidden_size", "n_embd", "n_embed", "d_model"}},
    {"heads", {"num_attention_heads", "n_head", "n_heads"}},
    {"kv_heads", {"num_key_value_heads"}},
    {"head_dim", {"head_dim"}},
    {"ffn_hidden", {"intermediate_size", "n_inner", "expansion_ratio"}},
    {"vocab", {"vocab_size"}},
    {"max_seq_len", {"max_position_embeddings", "n_positions", "n_ctx", "seq_length", "max_seq_len"}},
    {"sliding_window_layers", {"layer_types", "max_window_layers", "sliding_window"}},
    {"mla", {"kv_lora_rank"}},
    {"moe.experts", {"num_local_experts", "num_experts", "n_routed_experts"}},
    {"moe.topk", {"num_experts_per_tok", "experts_per_token"}},
    {"moe.expert_ffn", {"moe_intermediate_size", "intermediate_size"}},
    {"moe.layer_freq", {"moe_layer_freq", "decoder_sparse_step"}},
    {"moe.expert_groups", {"n_group"}},
    {"moe.groups_per_token", {"topk_group"}},
    {"moe.dense_layers", {"first_k_dense_replace", "mlp_only_layers"}},
};

// Returns the config.json key of ModelSpec field `field`: the first of its
// spellings the config has, else the first spelling; `field` itself when unknown.
std::string ConfigKey(const JsonMap& config, std::string_view field) {
  for (const ConfigKeys& entry : kConfigKeys) {
    if (entry.field != field) continue;
    for (std::string_view key : entry.keys) {
      if (config.Get(key) != nullptr) return std::string(key);
    }
    return std::string(entry.keys.front());
  }
  return std::string(field);
}

// A top-level key of the config that no reader reads and no ignored-key list
// holds, with the read key it nearly spells.
struct NearMiss {
  const JsonValue::Member* member;
  std::string_view known;
};

// Returns true when `key` is in `list`.
template <size_t N>
bool InList(const std::string_view (&list)[N], std::string_view key) {
  for (std::string_view k : list) {
    if (k == key) return true;
  }
  return false;
}

// Returns the config's unknown keys within a small edit distance of a read key
// (1 for keys under 8 characters, else 2), as the scenario loader's nearest known key.
std::vector<NearMiss> FindNearMisses(const JsonValue& root) {
  std::vector<NearMiss> misses;
  for (const JsonValue::Member& member : root.members) {
    if (InList(kHfReadKeys, member.key) || InList(kHfIgnoredKeys, member.key)) continue;
    const int limit = member.key.size() < 8 ? 1 : 2;
    int best = limit + 1;
    std::string_view nearest;
    for (std::string_view known : kHfReadKeys) {
      const int distance = EditDistance(member.key, known);
      if (distance < best) {
        best = distance;
        nearest = known;
      }
    }
    if (!nearest.empty()) misses.push_back({&member, nearest});
  }
  return misses;
}

// Returns "file:line:col key" of a member.
std::string MemberWhere(const std::string& file_name, const JsonValue::Member& member) {
  return fmt::format("{}:{}:{} {}", file_name, member.line, member.column, member.key);
}

}  // namespace

Result<ModelSpec> ImportHfConfig(std::string_view json_text, const std::string& file_name) {
  SUANLI_ASSIGN_OR_RETURN(const JsonValue root, ParseJson(json_text, file_name));
  if (root.kind != JsonValue::Kind::kObject) {
    return MakeError(Tr("config.json must be a JSON object"), file_name);
  }
  const JsonMap config(root, file_name);
  const JsonValue* model_type = config.Get("model_type");
  if (model_type == nullptr || model_type->kind != JsonValue::Kind::kString) {
    return MakeError(Tr("missing field 'model_type'"), file_name, MissingModelTypeHint(config));
  }
  const HfFamily* family = FindHfFamily(model_type->text);
  if (family == nullptr) {
    return MakeError(TrFormat("unsupported model_type '{}'", model_type->text),
                     config.Where("model_type"),
                     TrFormat("supported: {}; otherwise write a YAML model file (docs/models.md) and pass it to --model",
                              SupportedHfFamilies()));
  }
  ModelSpec spec;
  spec.family = model_type->text;
  spec.id = FileStem(file_name);
  spec.name = spec.id;
  spec.source = fmt::format("Hugging Face config.json: {}", file_name);
  const std::vector<NearMiss> misses = FindNearMisses(root);
  if (Status read = family->read(spec, config); !read.ok()) {
    // A required key that is missing while a near-miss of it is present.
    Error error = read.error();
    for (const NearMiss& miss : misses) {
      const bool names_it = error.where.ends_with(" " + std::string(miss.known)) ||
                            error.message.find("'" + std::string(miss.known) + "'") != std::string::npos;
      if (config.Get(miss.known) != nullptr || !names_it) continue;
      error.where = MemberWhere(file_name, *miss.member);
      const std::string did = TrFormat("did you mean '{}'? the file has '{}', which is not read", miss.known,
                                       miss.member->key);
      error.hint = error.hint.empty() ? did : did + "; " + error.hint;
      break;
    }
    return error;
  }
  for (const NearMiss& miss : misses) {
    spec.read_notes.push_back(TrFormat("{}: '{}' is not a key suanli reads, so it is ignored; the nearest known key "
                                       "is '{}' (did you mean it?)",
                                       MemberWhere(file_name, *miss.member), miss.member->key, miss.known));
  }
  spec.checkpoint = ReadQuantizationConfig(config);
  // Cross-field errors in config.json's own keys, at the line that holds them.
  const ModelFieldNames names{[&](std::string_view field) { return ConfigKey(config, field); },
                              [&](std::string_view field) { return config.Where(ConfigKey(config, field)); }};
  SUANLI_RETURN_IF_ERROR(ValidateModel(spec, names));
  return spec;
}

}  // namespace suanli
