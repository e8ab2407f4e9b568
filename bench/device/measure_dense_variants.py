#!/usr/bin/env python3
"""Training steps of dense Llama-shaped models on one GPU that exercise the
step model's attention, recomputation and wide-GEMM terms (own-runs.csv):
a long sequence (8k), full recomputation, and a Llama-2-70B-wide layer.
Writes JSON to argv[1]."""
import llama_blocks
from cuda_timing import emit, new_results, record

results = new_results()
variants = (
    # layers, h, heads, kv, ffn, vocab, mb, seq, ga, full recompute
    (8, 4096, 32, 8, 14336, 32768, 1, 8192, 2, False),   # Llama-3-8B shape, 8k tokens
    (8, 4096, 32, 8, 14336, 32768, 2, 4096, 2, True),    # the same with full recomputation
    (4, 8192, 64, 8, 28672, 32000, 1, 4096, 4, False),   # Llama-2-70B shape, 4 layers
)
for v in variants:
    record(results, lambda: llama_blocks.train_step(*v[:9], full_recompute=v[9]), {"variant": list(v)})

emit(results)
