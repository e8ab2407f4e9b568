// Test helpers of the validate tests: the runs CSV header and row templating.
#pragma once

#include <string>

namespace suanli::testing {

// The 36-column header of a runs CSV, with its line end.
inline const char* kRunsHeader =
    "id,source,ref,confidence,model,layers,hidden,heads,kv_heads,ffn_hidden,vocab,seq_len,gated_mlp,"
    "moe_experts,moe_topk,moe_expert_ffn,moe_shared_experts,moe_dense_layers,accelerator,gpus,"
    "gpus_per_node,precision,tp,pp,dp,cp,ep,vp,zero,micro_batch,global_batch,recompute,metric,value,"
    "train_tokens,notes\n";

// Returns the CSV line `id` + `tail` with the placeholder "@" replaced by `text`.
inline std::string RowWith(const std::string& id, const std::string& tail, const std::string& text) {
  std::string line = id + tail;
  line.replace(line.find('@'), 1, text);
  return line;
}

}  // namespace suanli::testing
