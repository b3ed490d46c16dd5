"""The machine a measurement ran on: CPU name and fp32 matrix-product speed. Hosts of one kind differ (an
S2C-Identity training step of 2 x 256x256 took 0.47 s in round 22 and 1.62 s in round 23, on two "AMD EPYC"
hosts), so every timing records them (latency tables, training stages) and is compared only within one host."""
import os
import platform
import statistics
import time
from pathlib import Path

import torch


def cpu_name() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "cpu"
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.processor() or "cpu"


def machine() -> str:
    return f"{platform.machine()} {os.cpu_count()} cores ({cpu_name()}), torch {torch.__version__}"


def matmul_gflops(n: int = 2048, runs: int = 5) -> float:
    """This host's fp32 matrix-product speed (median of ``runs``) at the current torch thread count."""
    g = torch.Generator().manual_seed(0)  # leaves the global RNG, which training seeds, untouched
    a, b = torch.randn(n, n, generator=g), torch.randn(n, n, generator=g)
    torch.mm(a, b)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        torch.mm(a, b)
        samples.append(time.perf_counter() - t0)
    return round(2 * n ** 3 / statistics.median(samples) / 1e9, 1)
