"""A Llama-style decoder layer and a timed training step, shared by the
device measurement scripts (eager PyTorch, bf16 weights, fused AdamW)."""
import torch
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

from cuda_timing import timed


class Attention(torch.nn.Module):
    """Pre-norm causal GQA self-attention with its residual: x + o(sdpa(qkv(norm(x))))."""

    def __init__(s, h, heads, kv, head_dim):
        super().__init__()
        s.heads, s.kv, s.d = heads, kv, head_dim
        s.norm = torch.nn.RMSNorm(h)
        s.qkv = torch.nn.Linear(h, (heads + 2 * kv) * head_dim, bias=False)
        s.o = torch.nn.Linear(heads * head_dim, h, bias=False)

    def forward(s, x):
        b, t, _ = x.shape
        q, k, v = s.qkv(s.norm(x)).split([s.heads * s.d, s.kv * s.d, s.kv * s.d], dim=-1)
        q = q.view(b, t, s.heads, s.d).transpose(1, 2)
        k = k.view(b, t, s.kv, s.d).transpose(1, 2)
        v = v.view(b, t, s.kv, s.d).transpose(1, 2)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        return x + s.o(a.transpose(1, 2).reshape(b, t, -1))


class Layer(torch.nn.Module):
    """Llama decoder layer: attention, then a pre-norm SwiGLU MLP, each with its residual."""

    def __init__(s, h, heads, kv, ffn):
        super().__init__()
        s.attention = Attention(h, heads, kv, h // heads)
        s.up = torch.nn.Linear(h, 2 * ffn, bias=False)
        s.down = torch.nn.Linear(ffn, h, bias=False)
        s.norm = torch.nn.RMSNorm(h)

    def forward(s, x):
        x = s.attention(x)
        g, u = s.up(s.norm(x)).chunk(2, dim=-1)
        return x + s.down(F.silu(g) * u)


def train_step_with(make_layer, layers, h, vocab, mb, seq, ga, full_recompute=False):
    """Times one optimizer step of a model of `layers` layers made by
    make_layer(), between an embedding and an output head: `ga`
    micro-batches of `mb` x `seq` tokens, bf16 weights, fused AdamW; with
    full_recompute every layer's forward is repeated in backward
    (torch.utils.checkpoint). Returns a dict of the setup and the timing."""
    dev = torch.device("cuda")
    torch.manual_seed(0)
    emb = torch.nn.Embedding(vocab, h)
    body = torch.nn.ModuleList([make_layer() for _ in range(layers)])
    norm = torch.nn.RMSNorm(h)
    head = torch.nn.Linear(h, vocab, bias=False)
    model = torch.nn.ModuleList([emb, body, norm, head]).to(dev, torch.bfloat16)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, fused=True)
    tokens = torch.randint(0, vocab, (mb, seq), device=dev)

    def forward():
        x = emb(tokens)
        for layer in body:
            x = checkpoint(layer, x, use_reentrant=False) if full_recompute else layer(x)
        return head(norm(x))

    def step():
        for _ in range(ga):
            y = forward()
            F.cross_entropy(y.view(-1, vocab).float(), tokens.view(-1)).backward()
        opt.step()
        opt.zero_grad(set_to_none=True)

    t = timed(step, iters=3, warmup=2, trials=3)
    out = {"layers": layers, "hidden": h, "vocab": vocab, "micro_batch": mb, "seq": seq, "grad_accum": ga,
           "full_recompute": full_recompute, "params": sum(p.numel() for p in model.parameters()),
           "step_s": t, "tokens_per_s": mb * seq * ga / t, "peak_mem_bytes": torch.cuda.max_memory_allocated()}
    del model, opt
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    return out


def train_step(layers, h, heads, kv, ffn, vocab, mb, seq, ga, full_recompute=False):
    """train_step_with() for Llama layers of width h, heads/kv heads and MLP width ffn."""
    out = train_step_with(lambda: Layer(h, heads, kv, ffn), layers, h, vocab, mb, seq, ga, full_recompute)
    out.update({"heads": heads, "kv_heads": kv, "ffn": ffn})
    return out
