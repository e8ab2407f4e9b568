// Data-parallel and ZeRO exposure: hierarchical collectives less overlap.
#include "model/data_parallel_time.h"

#include <algorithm>

#include "model/memory.h"

namespace suanli {

double ReducedGradientBytes(const ParallelConfig& c, const PerfAssumptions& as) {
  if (as.grad_bytes_per_param > 0) return as.grad_bytes_per_param;
  // DeepSpeed: with ZeRO 1-3 the gradients and communication_data_type are
  // the model dtype (engine.get_data_types(), communication_data_type()).
  return GradientBytes(c.precision, as.bf16_gradients_with_zero && c.zero >= 1);
}

double DataParallelExposedTime(const ParallelConfig& c, const PerfAssumptions& as, const StageParams& params,
                               const Fabric& fabric, int domain, int stage_layers, int micro_batches,
                               double fwd_s, double backward_window_s) {
  const int dp_ranks = c.dp * c.cp;
  // Expert data parallelism: the ranks holding the same experts, over dp·cp
  // (stride tp·ep), or over tp·dp·cp when folded (stride ep).
  const int edp = c.ExpertDataRanks();
  if (dp_ranks <= 1 && (params.expert <= 0 || edp <= 1)) return 0.0;
  const GroupPlacement dp_group = Place(dp_ranks, c.tp, domain);
  const double grad_bytes = ReducedGradientBytes(c, as);
  const GroupPlacement edp_group = Place(edp, c.ExpertsFoldTp() ? c.ep : c.tp * c.ep, domain);
  // One reduce-scatter or all-gather phase over the dense parameters (DP
  // group) and the routed experts (expert-DP group) at `bytes` per element.
  auto phase = [&](double bytes) {
    return HierarchicalPhase(params.dense * bytes, dp_group, fabric) +
           (params.expert > 0 ? HierarchicalPhase(params.expert * bytes, edp_group, fabric) : 0.0);
  };
  // Parameters are gathered in their 16-bit training copy (fp8 recipes keep
  // bf16 parameters), in fp32 for fp32/tf32 training.
  const double param_bytes =
      c.precision == Precision::kFp32 || c.precision == Precision::kTf32 ? 4.0 : 2.0;
  const double reduce_s = phase(grad_bytes);
  // Exposure (Megatron overlap-grad-reduce / overlap-param-gather, FSDP
  // prefetch): gradient buckets reduce while the last micro-batch's
  // backward proceeds, and updated parameters are gathered while the next
  // step's first forward proceeds; the last bucket (one layer) is always
  // exposed. ZeRO 0 all-reduces (reduce-scatter + all-gather of gradients);
  // ZeRO 1/2 reduce-scatter gradients and all-gather parameters; ZeRO 3
  // re-gathers parameters for the forward and the backward of every
  // micro-batch (FSDP) and reduce-scatters gradients once at the end; the
  // gathers and the reduce-scatter share the same links, so the last
  // micro-batch's backward must hide both.
  const double overlap = c.dp_overlap ? as.dp_overlap : 0.0;
  const int buckets = c.dp_overlap ? std::max(1, stage_layers) : 1;
  auto exposed = [&](double comm_s, double window_s) {
    return OverlappedTime(comm_s, overlap * window_s, as.overlap_contention, comm_s / buckets);
  };
  // Interleaved schedule (vp > 1): Megatron launches a model chunk's
  // gradient reduction as soon as that chunk's last micro-batch backward is
  // done (pipeline_parallel/schedules.py, backward_step_helper_postprocess
  // → grad_sync_func) and a chunk's parameter gather during the forwards of
  // the chunk before it (forward_step_helper_preprocess → param_sync_func).
  // The last group of g = min(pp, micro-batches) micro-batches runs its
  // backwards chunk by chunk, g of them per chunk, so the window is the last
  // chunk's own pass plus the (vp − 1)·g chunk passes after the first chunk
  // is done: (1 + (vp − 1)·g)/vp of a whole micro-batch's pass (1 at vp = 1).
  const int group = std::max(1, std::min(c.pp, micro_batches));
  const double chunk_window = c.vp > 1 ? (1.0 + (c.vp - 1.0) * group) / c.vp : 1.0;
  const double bwd_window_s = chunk_window * backward_window_s, fwd_window_s = chunk_window * fwd_s;
  if (c.zero == 0) return exposed(2.0 * reduce_s, bwd_window_s);
  // Stacks that reduce-scatter sharded gradients in every micro-batch's
  // backward (DeepSpeed ZeRO >= 2: engine.allreduce_gradients(); FSDP/FSDP2
  // without no_sync / set_requires_gradient_sync(False)) pay the reduction
  // M times, each behind its own micro-batch's backward; Megatron's
  // distributed optimizer reduces once, after the last.
  const int early_reduces = as.reduce_every_micro_batch && c.zero >= 2 ? micro_batches - 1 : 0;
  if (c.zero <= 2) {
    return early_reduces * exposed(reduce_s, backward_window_s) + exposed(reduce_s, bwd_window_s) +
           exposed(phase(param_bytes), fwd_window_s);
  }
  const double gather_s = phase(param_bytes);
  return micro_batches * exposed(gather_s, fwd_s) +
         early_reduces * exposed(gather_s + reduce_s, backward_window_s) +
         (micro_batches - 1 - early_reduces) * exposed(gather_s, backward_window_s) +
         exposed(gather_s + reduce_s, backward_window_s);
}

}  // namespace suanli
