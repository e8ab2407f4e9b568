"""Timing helper shared by the device measurement scripts."""
import statistics

import torch


def timed(fn, iters=10, warmup=3, trials=3):
    """Returns the median seconds per call of fn over `trials` runs of `iters`
    calls, timed with CUDA events after `warmup` calls."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    samples = []
    for _ in range(trials):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(iters):
            fn()
        end.record()
        torch.cuda.synchronize()
        samples.append(start.elapsed_time(end) / 1e3 / iters)
    return statistics.median(samples)
