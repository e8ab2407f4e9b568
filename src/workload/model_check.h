// Sane ranges of architecture fields and the cross-field checks every model description passes.
#pragma once

#include <cstdint>
#include <string>

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

// Checks a model for missing, contradictory or absurd values (heads not
// dividing hidden when head_dim is absent, zero layers, ...); the error's
// `where` starts with `where`.
Status ValidateModel(const ModelSpec& spec, const std::string& where);

}  // namespace suanli
