"""What bf16 would buy the synthesis transform g_s on this host (a question for the team, not a shipped path): the
decoded latent of kodim23 goes through the checkpoint's g_s in fp32 and through a bf16 copy of it; prints warm-up +
median of 7 runs each (2 threads) and the PSNR of both reconstructions (8-bit, as decoded). Entropy decoding is left out on purpose: it
must stay fp32 so that every machine decodes the same symbols from a file.

Usage: .venv/bin/python scripts/bf16_synthesis.py [s2c-conv s2c-identity ...]
"""
import copy
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c import load_image, load_pretrained  # noqa: E402
from s2c.codec import CHANNELS_LAST, PAD_MULTIPLE  # noqa: E402
from s2c.evaluate import KODAK  # noqa: E402
from s2c.host import cpu_name  # noqa: E402
from s2c.imageio import pad_to, to_tensor, to_uint8  # noqa: E402
from s2c.metrics import psnr  # noqa: E402


def median_ms(fn, runs: int = 7):
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3, out


@torch.inference_mode()
def compare(variant: str, quality: float, image: str = "kodim23") -> str:
    model = load_pretrained(variant, "lite")
    original = load_image(KODAK / f"{image}.png")[0]
    x = to_tensor(original)
    h, w = x.shape[-2:]
    y_hat = model.compress(pad_to(x, PAD_MULTIPLE)[0], quality)["y_hat"]
    y = (y_hat * model.gain.inv_gain(quality)).contiguous(memory_format=CHANNELS_LAST)
    g_s16 = copy.deepcopy(model.g_s).to(torch.bfloat16)  # a copy: the loaded model stays fp32
    ms32, r32 = median_ms(lambda: model.g_s(y).clamp(0, 1))
    ms16, r16 = median_ms(lambda: g_s16(y.to(torch.bfloat16)).float().clamp(0, 1))
    p32, p16 = (psnr(original, to_uint8(r[..., :h, :w])) for r in (r32, r16))
    return (f"| {variant}-lite | {quality:g} | {ms32:.0f} | {ms16:.0f} | {ms32 / ms16:.2f}x | {p32:.2f} | {p16:.2f} | "
            f"{p16 - p32:+.3f} |")


def main(variants=("s2c-identity", "s2c-conv", "s2c-hybrid")) -> None:
    torch.set_num_threads(2)
    print(f"kodim23, {cpu_name()}, 2 threads; g_s only, warm-up + median of 7 runs (ms)\n")
    print("| model | quality | g_s fp32 | g_s bf16 | speed-up | PSNR fp32 | PSNR bf16 | dB |")
    print("|---|---|---|---|---|---|---|---|")
    for variant in variants:
        for quality in (3.0, 6.0):
            print(compare(variant, quality))


if __name__ == "__main__":
    main(*[sys.argv[1:]] if len(sys.argv) > 1 else [])
