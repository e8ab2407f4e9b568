"""Timing and result helpers shared by the device measurement scripts."""
import json
import statistics
import sys

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


def new_results():
    """Returns the results record of a run: the device, the torch version, no runs yet."""
    return {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "runs": []}


def record(results, measure, on_error):
    """Appends measure()'s entry to results["runs"] (and echoes it to stderr);
    if it raises, appends on_error with the error instead, so one failing
    configuration does not lose the others."""
    try:
        entry = measure()
    except Exception as ex:
        entry = {**on_error, "error": repr(ex)[:300]}
    print(json.dumps(entry), file=sys.stderr, flush=True)
    results["runs"].append(entry)


def emit(results):
    """Prints the results as JSON and writes them to the file named by argv[1], if any."""
    text = json.dumps(results, indent=1)
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as f:
            f.write(text)
    print(text)
