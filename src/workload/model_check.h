// Sane ranges of architecture fields and the cross-field checks every model description passes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "workload/model_spec.h"

namespace suanli {

// Sane ranges for architecture fields: large enough for any published model,
// small enough to reject typos and absurd values (1e30 layers).
inline constexpr int64_t kMaxLayers = 1000;  // largest published models have ~130
inline constexpr int64_t kMaxHidden = 1 << 20;
inline constexpr int64_t kMaxHeads = 1 << 16;
inline constexpr int64_t kMaxFfn = int64_t{1} << 24;
inline constexpr int64_t kMaxVocab = int64_t{1} << 26;
inline constexpr int64_t kMaxSeq = int64_t{1} << 30;
inline constexpr int64_t kMaxExperts = 1 << 16;

// How a model description names the fields of ModelSpec ("layers", "moe.topk")
// and where it writes them, so that errors use the reader's own vocabulary.
struct ModelFieldNames {
  // Returns the description's key for a field ("ffn_hidden" → "intermediate_size").
  std::function<std::string(std::string_view field)> name;
  // Returns "file:line:col key" where the field is written, or "file key" when absent.
  std::function<std::string(std::string_view field)> where;
};

// Checks a model for missing, contradictory or absurd values (heads not
// dividing hidden when head_dim is absent, zero layers, ...); errors name
// and locate the field through `names`.
Status ValidateModel(const ModelSpec& spec, const ModelFieldNames& names);
// The same with suanli's own field names; the error's `where` is "`where` field".
Status ValidateModel(const ModelSpec& spec, const std::string& where);

}  // namespace suanli
