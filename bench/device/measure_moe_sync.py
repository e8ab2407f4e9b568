#!/usr/bin/env python3
"""Measures the device idle time that a dropless MoE dispatcher's host
synchronisation costs, per MoE layer per micro-batch (suanli's
PerfAssumptions::moe_host_sync_s).

A stack of MoE layers (RMSNorm, router GEMM + softmax + top-k, permutation,
per-expert SwiGLU GEMMs split by host-side token counts, weighted
un-permutation) is trained forward+backward twice with identical kernels:
once reading the per-expert counts from the device with .tolist() (the
device-to-host sync real dispatchers make), once with the same counts known
on the host in advance. Routing is forced-balanced, as in the published
Megatron-Bridge MoE benchmarks, so both variants launch the same work.
The difference per layer is the sync's cost.

Usage: python3 bench/device/measure_moe_sync.py OUT.json
"""
import json
import sys

import torch
import torch.nn.functional as F

from cuda_timing import emit, new_results, timed

dev = torch.device("cuda")


class MoE(torch.nn.Module):
    def __init__(s, h, experts, topk, ffn):
        super().__init__()
        s.experts, s.topk, s.ffn = experts, topk, ffn
        s.norm = torch.nn.RMSNorm(h)
        s.router = torch.nn.Linear(h, experts, bias=False)
        s.w1 = torch.nn.Parameter(torch.randn(experts, h, 2 * ffn) * 0.02)
        s.w2 = torch.nn.Parameter(torch.randn(experts, ffn, h) * 0.02)

    def forward(s, x, sync):
        t = x.shape[0]
        y = s.norm(x)
        probs = torch.softmax(s.router(y).float(), dim=-1)
        # Forced-balanced routing: token i goes to experts (i*k + j) mod E.
        idx = (torch.arange(t * s.topk, device=x.device) % s.experts).view(t, s.topk)
        weights = probs.gather(1, idx).to(x.dtype)
        flat = idx.flatten()
        order = flat.argsort(stable=True)
        xs = y.index_select(0, order // s.topk)
        if sync:
            counts = torch.bincount(flat, minlength=s.experts).tolist()
        else:
            counts = [t * s.topk // s.experts] * s.experts
        outs = []
        for e, part in enumerate(torch.split(xs, counts)):
            g, u = (part @ s.w1[e]).chunk(2, dim=-1)
            outs.append((F.silu(g) * u) @ s.w2[e])
        out = torch.cat(outs) * weights.flatten()[order].unsqueeze(-1)
        combined = torch.zeros_like(y).index_add_(0, order // s.topk, out)
        return x + combined


def step_time(layers, x, sync):
    def run():
        h = x
        for layer in layers:
            h = layer(h, sync)
        h.float().pow(2).mean().backward()
    return timed(run, iters=5, warmup=2)


results = new_results()
# Local expert shapes of published MoE runs: Qwen3-30B-A3B with ep 8 (16 local
# experts of 768), Qwen3-235B-A22B with ep 8 (16 of 1536), gpt-oss-120b with ep 8
# (16 of 2880); rows per expert = tokens * topk / local experts.
for name, h, experts, topk, ffn in (("qwen3-30b-a3b/ep8", 2048, 16, 8, 768),
                                     ("qwen3-235b-a22b/ep8", 4096, 16, 8, 1536),
                                     ("gpt-oss-120b/ep8", 2880, 16, 4, 2880)):
    for tokens in (4096, 16384):
        torch.manual_seed(0)
        n_layers = 8
        layers = [MoE(h, experts, topk, ffn).to(dev, torch.bfloat16) for _ in range(n_layers)]
        x = torch.randn(tokens, h, device=dev, dtype=torch.bfloat16, requires_grad=True)
        t_sync = step_time(layers, x, True)
        t_free = step_time(layers, x, False)
        entry = {"model": name, "hidden": h, "local_experts": experts, "topk": topk, "expert_ffn": ffn,
                 "tokens": tokens, "layers": n_layers, "step_sync_s": t_sync, "step_nosync_s": t_free,
                 "sync_cost_per_layer_s": (t_sync - t_free) / n_layers,
                 "layer_fwd_bwd_nosync_s": t_free / n_layers}
        print(json.dumps(entry), file=sys.stderr, flush=True)
        results["runs"].append(entry)
        del layers, x
        torch.cuda.empty_cache()

emit(results)
