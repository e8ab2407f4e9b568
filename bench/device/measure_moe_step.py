#!/usr/bin/env python3
"""Times a training step of a small MoE model on one GPU, for comparison with
`suanli train` (bench/device/own-runs.csv).

Qwen3-30B-A3B's layer shape (h 2048, 32 query / 4 KV heads of 128, 128 experts
of 768, top-8, RMSNorm, SwiGLU) cut to a few layers, bf16 weights, fused AdamW,
eager PyTorch. Experts run as one grouped GEMM (torch._grouped_mm) with group
offsets computed on the device, so the step has no device-to-host sync; routing
is the model's own top-k. Writes JSON to argv[1].
"""

import torch
import torch.nn.functional as F

from cuda_timing import emit, new_results, record
from llama_blocks import Attention, train_step_with


class MoeLayer(torch.nn.Module):
    def __init__(s, h, heads, kv, head_dim, experts, topk, ffn):
        super().__init__()
        s.experts, s.topk, s.ffn = experts, topk, ffn
        s.attention = Attention(h, heads, kv, head_dim)
        s.norm = torch.nn.RMSNorm(h)
        s.router = torch.nn.Linear(h, experts, bias=False)
        s.w1 = torch.nn.Parameter(torch.randn(experts, h, 2 * ffn) * 0.02)
        s.w2 = torch.nn.Parameter(torch.randn(experts, ffn, h) * 0.02)

    def forward(s, x):
        b, t, h = x.shape
        x = s.attention(x)
        y = s.norm(x).view(b * t, h)
        probs = torch.softmax(s.router(y).float(), dim=-1)
        weights, idx = probs.topk(s.topk, dim=-1)
        flat = idx.flatten()
        order = flat.argsort(stable=True)
        src = order // s.topk
        xs = y.index_select(0, src)
        offs = torch.cumsum(torch.bincount(flat, minlength=s.experts), 0).to(torch.int32)
        gu = torch._grouped_mm(xs, s.w1, offs=offs)
        g, u = gu.chunk(2, dim=-1)
        out = torch._grouped_mm(F.silu(g) * u, s.w2, offs=offs)
        out = out * weights.flatten()[order].to(out.dtype).unsqueeze(-1)
        combined = torch.zeros_like(y).index_add_(0, src, out)
        return x + combined.view(b, t, h)


results = new_results()
h, heads, kv, hd, experts, topk, ffn, vocab = 2048, 32, 4, 128, 128, 8, 768, 151936
for layers, mb, seq, ga in ((4, 1, 4096, 4), (4, 4, 4096, 1)):
    record(results,
           lambda: train_step_with(lambda: MoeLayer(h, heads, kv, hd, experts, topk, ffn), layers, h, vocab,
                                   mb, seq, ga),
           {"layers": layers, "micro_batch": mb})

emit(results)
