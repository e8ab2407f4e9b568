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

}  // namespace suanli
