#!/usr/bin/env python3
"""GEMM throughput against the number of rows m (tokens in one serving step).

The step model's GEMM law (src/model/roofline.h) scales the FLOP rate with
the narrower of the output width n and the reduction depth k, d/(d + 128),
measured on an H200 with m = 8192 (measure_gpu.py). Serving GEMMs have few
rows: a 128-token prefill or a decode batch of 200 sequences. Whether m
enters the law, and with which half-dimension, is open (docs/validation.md,
"The rows of a serving GEMM"): this script measures it.

For bf16 (torch.mm) and fp8 (torch._scaled_mm, e4m3, per-tensor scale) it
times Y[m, n] = X[m, k] W[k, n] for m from 1 to 8192 on the weight shapes of
Llama-2-7B (tp 1), Llama-2-70B (tp 1, 2 and 4) and a square 8192, and
records the seconds, the FLOP rate and the operand-byte rate, so that both
the memory-bound rows (small m: bytes / s against the HBM copy rate) and the
compute-bound ones (FLOP / s against the large-m rate) can be read.

Usage: python3 bench/device/measure_gemm_rows.py OUT.json   (about a minute)
"""
import json
import sys

import torch

from cuda_timing import timed

dev = torch.device("cuda")
ROWS = (1, 2, 4, 8, 16, 32, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 4096, 8192)
# (name, n, k): output width and reduction depth of one weight matrix.
SHAPES = (
    ("7b-qkv", 3 * 4096, 4096), ("7b-down", 4096, 11008), ("7b-up", 2 * 11008, 4096),
    ("70b-up-tp1", 2 * 28672, 8192), ("70b-down-tp2", 8192, 14336),
    ("70b-qkv-tp4", 2560, 8192), ("70b-o-tp4", 8192, 2048), ("square-8192", 8192, 8192),
)


def measure(dtype_name, m, n, k):
    """Returns seconds per call of the GEMM in `dtype_name` (bf16 or fp8)."""
    if dtype_name == "bf16":
        a = torch.randn(m, k, device=dev, dtype=torch.bfloat16)
        w = torch.randn(k, n, device=dev, dtype=torch.bfloat16)
        return timed(lambda: torch.mm(a, w)), 2
    one = torch.tensor(1.0, device=dev)
    a = torch.randn(m, k, device=dev).to(torch.float8_e4m3fn)
    w = torch.randn(n, k, device=dev).to(torch.float8_e4m3fn)
    return timed(lambda: torch._scaled_mm(a, w.t(), scale_a=one, scale_b=one, out_dtype=torch.bfloat16)), 1


def main():
    out = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__,
           "sm_count": torch.cuda.get_device_properties(0).multi_processor_count, "runs": []}
    for dtype_name in ("bf16", "fp8"):
        for name, n, k in SHAPES:
            for m in ROWS:
                # _scaled_mm needs m, n and k in multiples of 16.
                rows = max(16, m) if dtype_name == "fp8" else m
                entry = {"dtype": dtype_name, "shape": name, "m": m, "n": n, "k": k}
                try:
                    seconds, element_bytes = measure(dtype_name, rows, n, k)
                    operand_bytes = (rows * k + n * k) * element_bytes + rows * n * 2
                    entry.update({"timed_m": rows, "s": seconds, "flops": 2.0 * m * n * k / seconds,
                                  "bytes_per_s": operand_bytes / seconds})
                except Exception as ex:  # one failing shape must not lose the rest
                    entry["error"] = repr(ex)[:300]
                out["runs"].append(entry)
                print(json.dumps(entry), file=sys.stderr, flush=True)
    text = json.dumps(out, indent=1)
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as f:
            f.write(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
