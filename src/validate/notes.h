// Facts a runs CSV states in free text (the `notes` and `ref` columns): head dim, sliding window, MLA, years.
#pragma once

#include <optional>
#include <string_view>

#include "workload/model_spec.h"

namespace suanli {

// Returns the first year (1990-2099) written in a reference text such as
// "Narayanan et al. 2021 (SC'21)", or 0 when it names none.
int ReferenceYear(std::string_view ref);
// Returns the head dim the notes state as "head_dim N (heads*head_dim=", or 0.
int NotedHeadDim(std::string_view notes);
// Returns the window, in tokens, of "alternating full / N-token
// sliding-window" attention (every second layer), or 0.
int NotedSlidingWindow(std::string_view notes);
// Returns the multi-head latent attention the notes describe as "MLA attention
// (q_lora_rank A, kv_lora_rank B, qk_nope C + qk_rope D head dim, v_head_dim E)".
std::optional<MlaSpec> NotedMla(std::string_view notes);
// Returns true when one clause (between ';') of the notes says a collector
// filled the zero stage by default: "not stated ... -> zero".
bool NotesDefaultedZero(std::string_view notes);

}  // namespace suanli
