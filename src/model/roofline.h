// Roofline times of one device: achievable FLOP and HBM rates per precision,
// GEMMs, linear layers (forward, backward) and grouped expert GEMMs.
#pragma once

#include <algorithm>
#include <cmath>

#include "catalog/accelerator.h"
#include "core/precision.h"
#include "model/perf_assumptions.h"
#include "workload/parallel.h"

namespace suanli {

// Achievable rates of one device for one precision.
struct Rates {
  double gemm_flops = 1;         // FLOP/s for large GEMMs
  double hbm_Bps = 1;            // bytes/s for streaming kernels
  double element_bytes = 2;      // bytes per GEMM operand element
  double kernel_overhead_s = 0;  // fixed cost per kernel, seconds
  double half_dim = 0;           // dimension at which a GEMM reaches half its large-size rate
  double cast_bytes = 0;         // bytes moved per element to quantise a GEMM input (fp8), else 0
};

// Achievable rates of one device for a layout's precision: `gemm` for the
// layer GEMMs (fp8 where the recipe and the part have it), `bf16` for
// attention, norms and element-wise work (16-bit under fp8 recipes too),
// `grouped` for a MoE layer's grouped expert GEMMs.
struct DeviceRates {
  Rates gemm;
  Rates bf16;
  Rates grouped;
};

// Seconds of forward and backward (input- and weight-gradient) GEMMs of one linear layer.
struct LinearTime {
  double forward_s = 0;
  double backward_s = 0;
};

// Returns the dense peak FLOP/s the GEMMs of `precision` run at on
// `accelerator` (fp8 falls back to bf16, bf16 to fp16, fp16 to fp32 when the
// part lacks the format).
double GemmPeakFlops(const Accelerator& accelerator, Precision precision);

// Returns the achievable rates of `accelerator` for the precision of `config`.
DeviceRates MakeRates(const Accelerator& accelerator, const ParallelConfig& config,
                      const PerfAssumptions& assumptions);

// GemmTime, CastTime and Linear are inline: the layout search times millions
// of layouts and each estimate calls them dozens of times.

// Returns seconds of Y[m,n] = X[m,k]·W[k,n]: the 2-norm of its FLOP time at
// the shape-scaled rate and its operand traffic time, plus the kernel overhead.
//
// Roofline (Williams et al. 2009) with a soft ridge: a kernel cannot run its
// tensor cores and stream its operands both at their full rates, so near the
// ridge point it is slower than max(FLOP time, byte time); far from it the
// larger term rules. t = √(t_flop² + t_bytes²) (+ overhead): 1.41× the max at
// the ridge, under 1.005× where one term is ten times the other. Source of the
// 2: XLA's sm_90 bf16 default-matmul table (tensorflow/tensorflow@372d578,
// xla/service/gpu/model/matmul_interpolator_data.h), n = k = 4,096 at m = 512,
// 1,024, 2,048 and 4,096 rows: this law, with the H100's HBM fraction and the
// large-m rate, is within 2.6% of every point (the max is up to 18% fast);
// exponents 1.75 and 1.5 fit those points as well (1.0% and 2.3% RMS), 2 is
// kept because it costs one square root. At m = 256 (a partial wave: 64 output
// tiles on 132 SMs) the measured GEMM is 25% slower still (than the max: 66%),
// which this law does not model. docs/perf-model.md, "GEMM time".
//
// Narrow GEMMs lose efficiency to tile quantisation and pipeline fill and
// drain: the rate is scaled by d/(d + d½) for the smaller of the output width
// and the reduction depth (n, k), a saturating form fitted by GEMM
// microbenchmarks across sizes.
inline double GemmTime(double m, double n, double k, const Rates& r) {
  const double flops = 2.0 * m * n * k;
  const double narrow = std::min(n, k);
  const double shape = narrow / (narrow + r.half_dim);
  const double bytes = (m * k + k * n + m * n) * r.element_bytes;
  const double flop_s = flops / (r.gemm_flops * shape);
  const double byte_s = bytes / r.hbm_Bps;
  return std::sqrt(flop_s * flop_s + byte_s * byte_s) + r.kernel_overhead_s;
}

// Returns seconds to quantise `elements` GEMM inputs under fp8 recipes (0 otherwise).
// Under fp8 recipes every GEMM input produced in the step (activations in
// forward, output gradients in backward) is quantised first: one
// memory-bound pass (TransformerEngine; weights are cast once per step).
inline double CastTime(double elements, const Rates& r) {
  return r.cast_bytes > 0 ? elements * r.cast_bytes / r.hbm_Bps + r.kernel_overhead_s : 0.0;
}

// Returns the forward and backward seconds of a linear layer `in` → `out` over `tokens` rows.
inline LinearTime Linear(double tokens, double in, double out, const Rates& r) {
  LinearTime t;
  t.forward_s = GemmTime(tokens, out, in, r) + CastTime(tokens * in, r);
  t.backward_s = GemmTime(tokens, in, out, r) + GemmTime(in, out, tokens, r) + CastTime(tokens * out, r);
  return t;
}

// Returns seconds of `groups` equal GEMMs issued as one grouped kernel.
double GroupedGemmTime(double groups, double m, double n, double k, const Rates& r);

// Returns the forward and backward seconds of `groups` equal linear layers
// of `rows` rows each, run as grouped GEMMs.
LinearTime GroupedLinear(double groups, double rows, double in, double out, const Rates& r);

// Adds `count` times `part` to `total`.
inline void Add(LinearTime& total, const LinearTime& part, double count = 1.0) {
  total.forward_s += part.forward_s * count;
  total.backward_s += part.backward_s * count;
}

}  // namespace suanli
