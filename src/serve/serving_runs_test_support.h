// Test support for the serving-runs reader: the embedded catalog, and the
// rows of a text with its first bad row (if any) returned as the error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog_test_support.h"
#include "serve/serving_runs.h"

namespace suanli {

// The header of a serving-runs CSV (SERVING.md), with its line end.
constexpr const char* kHeader =
    "id,run_id,source,ref,confidence,model,layers,hidden,heads,kv_heads,head_dim,ffn_hidden,vocab,gated_mlp,"
    "moe_experts,moe_topk,moe_expert_ffn,moe_shared_experts,moe_dense_layers,mla_kv_lora_rank,accelerator,gpus,"
    "tp,pp,ep,dp,weight_precision,kv_precision,engine,input_len,output_len,batch,concurrency,request_rate,"
    "speculative,metric,value,notes\n";

// Returns the rows of `text` read against the embedded catalog, engines and
// datasets; an error when the file is bad or any row is (the first bad row).
inline Result<std::vector<ServingRunRow>> ParseRows(std::string_view text, const std::string& file) {
  SUANLI_ASSIGN_OR_RETURN(ServingRunsFile read, ParseServingRuns(text, file, EmbeddedCatalog()));
  if (!read.bad_rows.empty()) return MakeError(read.bad_rows.front().message, read.bad_rows.front().where);
  return std::move(read.rows);
}

}  // namespace suanli
