// MoE MLP time per layer; the routing assumptions are stated beside the function.
#include "model/moe_time.h"

#include "model/model_flops.h"

namespace suanli {

// The MLP of one MoE layer for one micro-batch of `tokens` per rank: routed
// experts as grouped GEMMs, shared experts, the router; and the token copies
// this rank permutes and dispatches. Zero for a dense model.
//
// Each rank computes its tokens' top-k experts on average (balanced
// routing); experts are split over ep, and each local expert GEMM sees
// tokens·ep·topk/E rows. The local experts run as one grouped GEMM. With
// experts split over tp, every tensor-parallel rank routes all of the
// micro-batch's tokens through its slice of each expert; with expert
// parallelism folded over tp (expert tp 1) each rank routes only its
// sequence shard (tokens/tp) through whole experts: the same FLOPs in
// shorter, wider GEMMs, and a tp-th of the permutation traffic.
MoeMlpTimes MoeMlpTime(const ModelSpec& m, const ParallelConfig& c, const DeviceRates& rates, double tokens) {
  MoeMlpTimes out;
  if (!m.IsMoe()) return out;
  const double t = c.tp;
  const double h = static_cast<double>(m.hidden);
  const double local_experts = static_cast<double>(m.moe.experts) / c.ep;
  const double dispatched_tokens = c.ExpertsFoldTp() ? tokens / t : tokens;
  const double rows = dispatched_tokens * c.ep * m.moe.topk / m.moe.experts;
  const double fe = ExpertWidth(m, false) / c.ExpertTp();
  Add(out.mlp, GroupedLinear(local_experts, rows, h, (m.gated_mlp ? 2.0 : 1.0) * fe, rates.grouped));
  Add(out.mlp, GroupedLinear(local_experts, rows, fe, h, rates.grouped));
  if (m.moe.shared_experts > 0) {
    const double fs = ExpertWidth(m, true) * m.moe.shared_experts / t;
    Add(out.mlp, Linear(tokens, h, (m.gated_mlp ? 2.0 : 1.0) * fs, rates.gemm));
    Add(out.mlp, Linear(tokens, fs, h, rates.gemm));
  }
  Add(out.mlp, Linear(tokens, h, m.moe.experts, rates.bf16));  // router
  out.routed_tokens = dispatched_tokens * m.moe.topk;
  // The activation reads the first GEMM's output (2 or 1 widths) and writes
  // the second's input, in 16-bit.
  out.activation_fwd_s = out.routed_tokens * ((m.gated_mlp ? 2.0 : 1.0) + 1.0) * fe * 2.0 / rates.bf16.hbm_Bps +
                         rates.bf16.kernel_overhead_s;
  return out;
}

}  // namespace suanli
