// Disaggregated prefill/decode serving (xPyD): a prefill pool and a decode
// pool sized separately, each request's KV cache moved between them over the
// link it would use; compared with aggregated serving by the capacity search.
#pragma once

#include <string>

#include "serve/capacity.h"
#include "serve/iteration.h"
#include "serve/replica.h"
#include "serve/simulator.h"

namespace suanli {

// The cheapest disaggregated fleet meeting the SLOs (or why none does).
struct DisaggregatedAnswer {
  bool feasible = false;
  std::string reason;       // when infeasible: the bound (English, for JSON)
  std::string reason_text;  // the reason in the current language
  ServingLayout prefill_layout;
  ServingLayout decode_layout;
  int prefill_replicas = 0;
  int decode_replicas = 0;
  int devices = 0;                   // prefill_replicas x its tp*pp + decode_replicas x its tp*pp
  ReplicaMemory prefill_memory;      // per device of one prefill replica
  ReplicaMemory decode_memory;       // per device of one decode replica
  SimulationResult prefill_service;  // one prefill replica's share: TTFT before the transfer
  SimulationResult decode_service;   // one decode replica's share: TPOT of decode-only batches
  double kv_bytes_per_request = 0;   // KV bytes of the mean prompt, whole model (each layer's KV once)
  double transfer_prompt_tokens = 0; // the SLO-percentile prompt whose transfer is timed, tokens
  double transfer_kv_bytes = 0;      // that prompt's KV bytes, whole model (each layer's KV once)
  double transfer_share_bytes = 0;   // of them, what one prefill device sends (the largest stage's share)
  double transfer_s = 0;             // transfer_share_bytes / link_Bps: every device sends at once, seconds
  bool scale_up_link = true;         // true: within a node (NVLink class); false: the scale-out NIC
  double link_Bps = 0;               // per device, per direction, peak
  double ttft_at_slo_s = 0;          // prefill TTFT at the percentile + transfer_s
  int simulations = 0;               // simulator runs
};

// Returns the KV transfer of one request of `input_tokens` prompt tokens:
//   seconds = kv_bytes_per_token_per_device x Keys(input_tokens) / link_Bps
// (a sliding-window layer sends only the window: KvWindow::Keys),
// every device of the prefill replica sending its own shard over its own
// link at once (tp*pp shards in parallel). The link is the scale-up fabric
// when one prefill and one decode replica fit in a scale-up domain, else the
// scale-out NIC (the catalog's peak per-direction bandwidths).
double KvTransferSeconds(const ReplicaMemory& prefill_memory, double input_tokens, double link_Bps);

// Returns the KV bytes of one request of `input_tokens` prompt tokens for the
// whole model, each layer's cache counted once (not per tensor-parallel
// copy): LayerKvBytesPerToken(tp 1) x the model's layer-tokens (a sliding
// window layer holds only the window), e.g. DeepSeek-V3 3,000 tokens bf16:
// 3,000 x 61 x 576 x 2 B = 210.8 MB.
double RequestKvBytes(const ModelSpec& model, Precision kv, double input_tokens);

// Returns the KV bytes one device of the prefill replica sends for a prompt
// of `input_tokens`: its stage's layers at its tp share (the most loaded stage).
double DeviceKvShareBytes(const ReplicaMemory& prefill_memory, double input_tokens);

// Searches the prefill and decode pools separately over CandidateLayouts:
// the prefill pool simulated on prompts alone (one output token) against the
// TTFT target less the transfer, the decode pool on decode-only iterations
// (prefill chunks cost nothing there: their KV arrives over the link)
// against the TPOT target. Fewest devices in all; infeasible is an answer.
DisaggregatedAnswer SearchDisaggregated(const CapacityQuery& query);

}  // namespace suanli
