#!/usr/bin/env python3
"""Times a training step of a small MoE model on one GPU, for comparison with
`suanli train` (bench/device/own-runs.csv).

Qwen3-30B-A3B's layer shape (h 2048, 32 query / 4 KV heads of 128, 128 experts
of 768, top-8, RMSNorm, SwiGLU) cut to a few layers, bf16 weights, fused AdamW,
eager PyTorch. Experts run as one grouped GEMM (torch._grouped_mm) with group
offsets computed on the device, so the step has no device-to-host sync; routing
is the model's own top-k. Writes JSON to argv[1].
"""
import json
import sys

import torch
import torch.nn.functional as F

from cuda_timing import timed

dev = torch.device("cuda")


class MoeLayer(torch.nn.Module):
    def __init__(s, h, heads, kv, head_dim, experts, topk, ffn):
        super().__init__()
        s.heads, s.kv, s.d, s.experts, s.topk, s.ffn = heads, kv, head_dim, experts, topk, ffn
        s.n1 = torch.nn.RMSNorm(h)
        s.n2 = torch.nn.RMSNorm(h)
        s.qkv = torch.nn.Linear(h, (heads + 2 * kv) * head_dim, bias=False)
        s.o = torch.nn.Linear(heads * head_dim, h, bias=False)
        s.router = torch.nn.Linear(h, experts, bias=False)
        s.w1 = torch.nn.Parameter(torch.randn(experts, h, 2 * ffn) * 0.02)
        s.w2 = torch.nn.Parameter(torch.randn(experts, ffn, h) * 0.02)

    def forward(s, x):
        b, t, h = x.shape
        q, k, v = s.qkv(s.n1(x)).split([s.heads * s.d, s.kv * s.d, s.kv * s.d], dim=-1)
        q = q.view(b, t, s.heads, s.d).transpose(1, 2)
        k = k.view(b, t, s.kv, s.d).transpose(1, 2)
        v = v.view(b, t, s.kv, s.d).transpose(1, 2)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        x = x + s.o(a.transpose(1, 2).reshape(b, t, -1))
        y = s.n2(x).view(b * t, h)
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


results = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "runs": []}
h, heads, kv, hd, experts, topk, ffn, vocab = 2048, 32, 4, 128, 128, 8, 768, 151936
for layers, mb, seq, ga in ((4, 1, 4096, 4), (4, 4, 4096, 1)):
    torch.manual_seed(0)
    emb = torch.nn.Embedding(vocab, h)
    body = torch.nn.Sequential(*[MoeLayer(h, heads, kv, hd, experts, topk, ffn) for _ in range(layers)])
    norm = torch.nn.RMSNorm(h)
    head = torch.nn.Linear(h, vocab, bias=False)
    model = torch.nn.ModuleList([emb, body, norm, head]).to(dev, torch.bfloat16)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)
    tokens = torch.randint(0, vocab, (mb, seq), device=dev)

    def step():
        for _ in range(ga):
            logits = head(norm(body(emb(tokens))))
            F.cross_entropy(logits.view(-1, vocab).float(), tokens.view(-1)).backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    try:
        t = timed(step, iters=3, warmup=2)
        entry = {"layers": layers, "micro_batch": mb, "seq": seq, "grad_accum": ga, "step_s": t,
                 "tokens_per_s": mb * seq * ga / t, "params": sum(p.numel() for p in model.parameters()),
                 "peak_mem_bytes": torch.cuda.max_memory_allocated()}
    except Exception as ex:  # keep the other configuration
        entry = {"layers": layers, "micro_batch": mb, "error": repr(ex)[:300]}
    print(json.dumps(entry), file=sys.stderr, flush=True)
    results["runs"].append(entry)
    del model, opt, emb, body, norm, head
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()

text = json.dumps(results, indent=1)
if len(sys.argv) > 1:
    open(sys.argv[1], "w").write(text)
print(text)
