"""PyTorch (CPU) side of the fbt bench: times the workloads the bench sends on stdin.

Reads one JSON request from stdin (written by apps/bench/src/torch/protocol.ts: the timing policy,
the training steps' longer warm-up policy, the thread counts to try and the workloads with their shapes and float32 inputs in base64) and
prints one JSON response: per workload, the timing at the thread count with the lowest median,
the median at every thread count tried, and the outputs of the first run (base64 float32) so the
bench can compare them with its reference. Training steps also report the loss of their last run.
Nothing here knows the workload list: shapes and inputs all come from the request.
"""

import base64
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn


def floats(text, shape):
    """A float32 tensor of `shape` from base64 little-endian bytes."""
    return torch.frombuffer(bytearray(base64.b64decode(text)), dtype=torch.float32).reshape(shape)


def labels_of(text):
    """An int64 label vector from base64 little-endian int32 bytes."""
    return torch.frombuffer(bytearray(base64.b64decode(text)), dtype=torch.int32).long()


def encode(tensor):
    """Base64 of a tensor's float32 values in row-major order."""
    return base64.b64encode(tensor.detach().contiguous().float().numpy().tobytes()).decode("ascii")


def layer_of(layer):
    """The torch module of one framework-neutral layer (training.ts's LayerSpec)."""
    kind = layer["kind"]
    if kind == "linear":
        return nn.Linear(layer["in"], layer["out"])
    if kind == "conv":
        return nn.Conv2d(layer["in"], layer["out"], layer["size"], padding=layer["padding"])
    if kind == "relu":
        return nn.ReLU()
    if kind == "avgPool":
        return nn.AvgPool2d(layer["size"])
    if kind == "flatten":
        return nn.Flatten()
    raise ValueError(f"unknown layer kind {kind!r}")


def training_run(spec):
    """One SGD step (forward, mean cross-entropy, backward, update) from the spec's weights."""
    model = nn.Sequential(*[layer_of(layer) for layer in spec["layers"]])
    with torch.no_grad():
        for param, values in zip(model.parameters(), spec["params"]):
            param.copy_(floats(values, param.shape))
    x = floats(spec["x"], spec["inputShape"])
    labels = labels_of(spec["labels"])
    optimizer = torch.optim.SGD(model.parameters(), lr=spec["lr"])

    def run():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), labels)
        loss.backward()
        optimizer.step()
        return [loss.detach().reshape(1)]

    return run


def prepare(spec):
    """A function computing the workload's outputs, inputs decoded once outside the timing."""
    kind = spec["kind"]
    if kind == "matmul":
        a = floats(spec["a"], [spec["m"], spec["k"]])
        b = floats(spec["b"], [spec["k"], spec["n"]])
        return lambda: [torch.mm(a, b)]
    if kind in ("conv2dForward", "conv2dBackward"):
        x = floats(spec["x"], spec["xShape"])
        w = floats(spec["w"], spec["wShape"])
        if kind == "conv2dForward":
            return lambda: [F.conv2d(x, w)]
        dy = floats(spec["dy"], spec["yShape"])

        def backward():
            # The two gradient kernels alone, as the bench's other contenders run them.
            dx, dw, _ = torch.ops.aten.convolution_backward(
                dy, x, w, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1, [True, True, False]
            )
            return [dx, dw]

        return backward
    if kind == "trainingStep":
        return training_run(spec)
    raise ValueError(f"unknown workload kind {kind!r}")


def warmup_runs(first_run_ms, policy):
    """How many untimed runs to make, by the first run's duration (timing.ts's `timingFor`)."""
    timing = policy["timing"]
    if first_run_ms > policy["slowMs"]:
        return 0
    if first_run_ms > policy["mediumMs"]:
        return 1
    return min(policy["maxWarmup"], max(timing["warmup"], math.ceil(policy["warmupMs"] / max(first_run_ms, 1))))


def measure(spec, policy):
    """First run (its outputs are kept), warm-up, then timed runs as timing.ts's `measureInterleaved`."""
    run = prepare(spec)
    start = time.perf_counter()
    outputs = run()
    first_run_ms = (time.perf_counter() - start) * 1000
    warmups = warmup_runs(first_run_ms, policy)
    for _ in range(warmups):
        run()
    timing = policy["timing"]
    min_samples = timing["minSamples"] if first_run_ms <= policy["slowMs"] else policy["slowMinSamples"]
    times, cpu_times, last, runs = [], [], outputs, 1 + warmups
    while len(times) < min_samples or (len(times) < timing["maxSamples"] and sum(times) < timing["budgetMs"]):
        cpu0, t0 = time.process_time(), time.perf_counter()
        last = run()
        runs += 1
        times.append((time.perf_counter() - t0) * 1000)
        cpu_times.append((time.process_time() - cpu0) * 1000)
    return {
        "medianMs": statistics.median(times),
        "minMs": min(times),
        "cpuMedianMs": statistics.median(cpu_times),
        "samples": len(times),
        "outputs": outputs,
        "last": last,
        "runs": runs,
    }


def bench(spec, request):
    """The workload at every thread count; the timing of the one with the lowest median."""
    by_threads = {}
    for threads in request["threads"]:
        torch.set_num_threads(threads)
        policy = request["stepPolicy"] if spec["kind"] == "trainingStep" else request["policy"]
        by_threads[threads] = measure(spec, policy)
    best = min(by_threads, key=lambda t: by_threads[t]["medianMs"])
    result = by_threads[best]
    report = {
        "id": spec["id"],
        "threads": best,
        "medianMsByThreads": {str(t): r["medianMs"] for t, r in by_threads.items()},
        "medianMs": result["medianMs"],
        "minMs": result["minMs"],
        "cpuMedianMs": result["cpuMedianMs"],
        "samples": result["samples"],
        "outputs": [encode(t) for t in result["outputs"]],
    }
    if spec["kind"] == "trainingStep":
        loss = float(result["last"][0])
        report["lastLoss"] = loss if math.isfinite(loss) else None  # JSON has no NaN
        report["steps"] = result["runs"]
    return report


def main():
    request = json.load(sys.stdin)
    torch.manual_seed(0)
    results = [bench(workload, request) for workload in request["workloads"]]
    json.dump({"torch": torch.__version__, "python": sys.version.split()[0], "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
