// Roofline times of one device (Williams et al. 2009): FLOPs or bytes at
// achievable rates (peak × the accelerator's calibrated efficiency).
#include "model/roofline.h"

#include <algorithm>

namespace suanli {

double GemmPeakFlops(const Accelerator& a, Precision precision) {
  const Precision chain[] = {precision, Precision::kBf16, Precision::kFp16, Precision::kFp32};
  for (Precision p : chain) {
    if (p == Precision::kFp8 && precision != Precision::kFp8) continue;
    const double peak = a.PeakFlops(p);
    if (peak > 0) return peak;
  }
  return 0.0;
}

DeviceRates MakeRates(const Accelerator& acc, const ParallelConfig& c, const PerfAssumptions& as) {
  DeviceRates out;
  Rates& r = out.gemm;
  const bool fp8 = c.precision == Precision::kFp8 && acc.PeakFlops(Precision::kFp8) > 0;
  r.gemm_flops = GemmPeakFlops(acc, c.precision) * acc.efficiency.gemm * (fp8 ? as.fp8_gemm_relative : 1.0);
  r.hbm_Bps = acc.memory_Bps * acc.efficiency.hbm;
  r.element_bytes = fp8 ? 1.0 : 2.0;
  r.kernel_overhead_s = as.kernel_overhead_s;
  r.half_dim = as.gemm_half_dim;
  r.cast_bytes = fp8 ? as.fp8_cast_bytes_per_element : 0.0;
  out.bf16 = r;
  out.bf16.gemm_flops = GemmPeakFlops(acc, Precision::kBf16) * acc.efficiency.gemm;
  out.bf16.element_bytes = 2.0;
  out.bf16.cast_bytes = 0.0;
  out.grouped = r;
  out.grouped.gemm_flops *= as.grouped_gemm_relative;
  return out;
}

// Achievable per-device bus bandwidths and latencies of the two fabric tiers.
// Time of Y[m,n] = X[m,k]·W[k,n]: the larger of its FLOP time and its
// operand traffic time, plus a fixed per-kernel cost (roofline, Williams et
// al. 2009). Small or skinny GEMMs become bandwidth-bound this way.
//
// Narrow GEMMs lose efficiency to tile quantisation and pipeline fill and
// drain: the rate is scaled by d/(d + d½) for the smaller of the output width
// and the reduction depth (n, k), a saturating form fitted by GEMM
// microbenchmarks across sizes.
double GemmTime(double m, double n, double k, const Rates& r) {
  const double flops = 2.0 * m * n * k;
  const double narrow = std::min(n, k);
  const double shape = narrow / (narrow + r.half_dim);
  const double bytes = (m * k + k * n + m * n) * r.element_bytes;
  return std::max(flops / (r.gemm_flops * shape), bytes / r.hbm_Bps) + r.kernel_overhead_s;
}

// Under fp8 recipes every GEMM input produced in the step (activations in
// forward, output gradients in backward) is quantised first: one
// memory-bound pass (TransformerEngine; weights are cast once per step).
double CastTime(double elements, const Rates& r) {
  return r.cast_bytes > 0 ? elements * r.cast_bytes / r.hbm_Bps + r.kernel_overhead_s : 0.0;
}

LinearTime Linear(double tokens, double in, double out, const Rates& r) {
  LinearTime t;
  t.forward_s = GemmTime(tokens, out, in, r) + CastTime(tokens * in, r);
  t.backward_s = GemmTime(tokens, in, out, r) + GemmTime(in, out, tokens, r) + CastTime(tokens * out, r);
  return t;
}

// `groups` equal GEMMs issued as one grouped kernel (the experts of one MoE
// layer): the FLOPs and bytes of all groups, each group's shape efficiency,
// the grouped kernel's rate relative to one dense GEMM, one launch.
double GroupedGemmTime(double groups, double m, double n, double k, const Rates& r) {
  Rates one = r;
  one.kernel_overhead_s = 0.0;
  return groups * GemmTime(m, n, k, one) + r.kernel_overhead_s;
}

LinearTime GroupedLinear(double groups, double rows, double in, double out, const Rates& r) {
  LinearTime t;
  t.forward_s = GroupedGemmTime(groups, rows, out, in, r) + CastTime(groups * rows * in, r);
  t.backward_s = GroupedGemmTime(groups, rows, in, out, r) + GroupedGemmTime(groups, in, out, rows, r) +
                 CastTime(groups * rows * out, r);
  return t;
}

void Add(LinearTime& total, const LinearTime& part, double count) {
  total.forward_s += part.forward_s * count;
  total.backward_s += part.backward_s * count;
}

}  // namespace suanli
