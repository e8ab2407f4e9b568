#!/usr/bin/env python3
"""One-shot GPU measurement for suanli's step-model calibration.

Measures, on whatever CUDA device is present: streaming HBM bandwidth,
dense bf16/fp8 GEMM throughput across shapes (the shape-efficiency curve),
flash attention forward/backward throughput, many-small-GEMM (MoE expert)
throughput, the eager launch and host-sync costs, and the step time of a
small Llama-style model trained with AdamW. Writes one JSON document
(argv[1], default stdout) and a readable log on stderr.

Usage: python3 bench/device/measure_gpu.py OUT.json
Timing: CUDA events around repeated calls after warm-up; median of trials.
"""
import math
import sys
import time

import torch
import torch.nn.functional as F

from cuda_timing import emit, timed
import llama_blocks

dev = torch.device("cuda")
results = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0),
           "sm_count": torch.cuda.get_device_properties(0).multi_processor_count}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def section(name):
    def wrap(f):
        t0 = time.time()
        try:
            results[name] = f()
        except Exception as e:  # keep going: one section failing must not lose the rest
            results[name] = {"error": repr(e)}
        log(f"[{name}] {time.time() - t0:.1f}s")
        return f
    return wrap


@section("hbm")
def hbm():
    n = 1 << 30  # 1 Gi bf16 elements = 2 GiB
    x = torch.empty(n, dtype=torch.bfloat16, device=dev).normal_()
    y = torch.empty_like(x)
    t_copy = timed(lambda: y.copy_(x))
    z = torch.empty_like(x)
    t_triad = timed(lambda: torch.add(x, y, alpha=2.0, out=z))
    h = 4096
    a = x[: (n // h) * h].view(-1, h)
    w = torch.ones(h, dtype=torch.bfloat16, device=dev)
    t_norm = timed(lambda: F.rms_norm(a, (h,), w))
    return {"copy_Bps": 2 * 2 * n / t_copy, "add_Bps": 3 * 2 * n / t_triad,
            "rms_norm_Bps": 2 * 2 * a.numel() / t_norm}


def gemm_rate(m, n, k, dtype=torch.bfloat16):
    a = torch.randn(m, k, device=dev, dtype=dtype)
    b = torch.randn(k, n, device=dev, dtype=dtype)
    t = timed(lambda: torch.mm(a, b))
    return 2.0 * m * n * k / t, t


@section("gemm_bf16_square")
def gemm_square():
    out = []
    for s in (512, 1024, 2048, 4096, 8192, 16384):
        flops, t = gemm_rate(s, s, s)
        out.append({"m": s, "n": s, "k": s, "flops": flops, "s": t})
    return out


@section("gemm_bf16_narrow")
def gemm_narrow():
    # m large (tokens), the narrow side swept: fits the shape half-dimension.
    out = []
    for m in (8192, 32768):
        for d in (64, 128, 256, 512, 1024, 2048, 4096, 8192):
            flops, t = gemm_rate(m, d, 8192)   # narrow output width n
            out.append({"m": m, "n": d, "k": 8192, "flops": flops, "s": t})
            flops, t = gemm_rate(m, 8192, d)   # narrow reduction depth k
            out.append({"m": m, "n": 8192, "k": d, "flops": flops, "s": t})
    return out


@section("gemm_bf16_transformer")
def gemm_transformer():
    # Llama-style layer GEMMs at 8k and 16k tokens per micro-batch (fwd, dgrad, wgrad shapes).
    out = []
    for hidden, ffn in ((2048, 6144), (4096, 14336), (8192, 28672)):
        for tokens in (8192, 16384):
            for (m, n, k) in ((tokens, 3 * hidden, hidden), (tokens, hidden, hidden),
                              (tokens, 2 * ffn, hidden), (tokens, hidden, ffn),
                              (hidden, ffn, tokens)):
                flops, t = gemm_rate(m, n, k)
                out.append({"m": m, "n": n, "k": k, "flops": flops, "s": t})
    return out


@section("gemm_fp8")
def gemm_fp8():
    out = []
    one = torch.tensor(1.0, device=dev)
    for (m, n, k) in ((4096, 4096, 4096), (8192, 8192, 8192), (16384, 16384, 16384),
                      (16384, 8192, 8192), (16384, 28672, 8192), (16384, 8192, 28672),
                      (16384, 1024, 4096), (16384, 4096, 1024)):
        a = torch.randn(m, k, device=dev).to(torch.float8_e4m3fn)
        w = torch.randn(n, k, device=dev).to(torch.float8_e4m3fn)
        fn = lambda: torch._scaled_mm(a, w.t(), scale_a=one, scale_b=one, out_dtype=torch.bfloat16)
        t = timed(fn)
        out.append({"m": m, "n": n, "k": k, "flops": 2.0 * m * n * k / t, "s": t})
    return out


@section("attention")
def attention():
    out = []
    for (b, heads, d, s) in ((1, 32, 128, 4096), (2, 32, 128, 4096), (1, 64, 128, 8192),
                             (1, 64, 64, 4096), (1, 16, 128, 16384)):
        q = torch.randn(b, heads, s, d, device=dev, dtype=torch.bfloat16, requires_grad=True)
        k = torch.randn_like(q, requires_grad=True)
        v = torch.randn_like(q, requires_grad=True)
        fwd = lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True)
        t_f = timed(fwd)
        o = fwd()
        g = torch.randn_like(o)

        def fwd_bwd():
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            y.backward(g)
        t_fb = timed(fwd_bwd)
        flops_fwd = 4.0 * b * heads * s * s * d * 0.5  # causal half of QK^T and PV
        out.append({"b": b, "heads": heads, "head_dim": d, "seq": s, "fwd_s": t_f, "fwd_bwd_s": t_fb,
                    "fwd_flops": flops_fwd / t_f, "bwd_over_fwd": (t_fb - t_f) / t_f})
    return out


@section("moe_experts")
def moe_experts():
    # Local experts of one MoE layer: a loop of per-expert GEMMs (gate+up, down)
    # versus one GEMM of the same total rows, to expose per-expert costs.
    out = []
    for hidden, ffn in ((2048, 768), (4096, 1536), (7168, 2048), (2880, 2880)):
        for experts, rows in ((16, 512), (16, 2048), (8, 4096), (32, 1024), (4, 8192)):
            xs = [torch.randn(rows, hidden, device=dev, dtype=torch.bfloat16) for _ in range(experts)]
            w1 = [torch.randn(hidden, 2 * ffn, device=dev, dtype=torch.bfloat16) for _ in range(experts)]
            w2 = [torch.randn(ffn, hidden, device=dev, dtype=torch.bfloat16) for _ in range(experts)]

            def loop():
                for e in range(experts):
                    u = torch.mm(xs[e], w1[e])
                    torch.mm(u[:, :ffn], w2[e])
            t_loop = timed(loop, iters=5)
            flops = experts * 2.0 * rows * hidden * 3 * ffn
            xb = torch.randn(rows * experts, hidden, device=dev, dtype=torch.bfloat16)

            def one():
                u = torch.mm(xb, w1[0])
                torch.mm(u[:, :ffn], w2[0])
            t_one = timed(one, iters=5)
            entry = {"hidden": hidden, "ffn": ffn, "experts": experts, "rows": rows,
                     "loop_s": t_loop, "loop_flops": flops / t_loop, "fused_s": t_one,
                     "fused_flops": flops / t_one}
            if hasattr(torch, "_grouped_mm"):
                try:
                    xg = torch.cat(xs)
                    wg1 = torch.stack(w1)
                    wg2 = torch.stack(w2)
                    offs = torch.arange(rows, rows * experts + 1, rows, device=dev, dtype=torch.int32)

                    def grouped():
                        u = torch._grouped_mm(xg, wg1, offs=offs)
                        torch._grouped_mm(u[:, :ffn].contiguous(), wg2, offs=offs)
                    t_g = timed(grouped, iters=5)
                    entry["grouped_s"] = t_g
                    entry["grouped_flops"] = flops / t_g
                except Exception as e:
                    entry["grouped_error"] = repr(e)[:200]
            out.append(entry)
    return out


@section("host")
def host():
    x = torch.zeros(16, device=dev)
    n = 2000

    def launches():
        for _ in range(n):
            x.add_(1.0)
    t = timed(launches, iters=1, warmup=1)
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(200):
        x.add_(1.0)
        x.sum().item()
    t_sync = (time.perf_counter() - t0) / 200
    return {"launch_s": t / n, "launch_plus_sync_s": t_sync}


@section("train_step")
def train_step():
    # A Llama-3-8B-shaped model cut to 8 layers, bf16 weights, fused AdamW, on one device.
    return [llama_blocks.train_step(8, 4096, 32, 8, 14336, 32768, mb, 4096, ga)
            for mb, ga in ((1, 4), (2, 2))]


emit(results)
