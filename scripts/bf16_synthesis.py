"""What bf16 would buy the synthesis transform g_s on this host (a question for the team, not a shipped path): the
decoded latent of kodim23 goes through the checkpoint's g_s in fp32 and through a bf16 copy of it; prints warm-up +
median of 7 runs each (2 threads) and the PSNR of both reconstructions (8-bit, as decoded). Entropy decoding is
left out on purpose: it must stay fp32 so that every machine decodes the same symbols from a file.

Usage: .venv/bin/python scripts/bf16_synthesis.py [s2c-conv s2c-identity ...]
"""
import copy
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c import load_image, load_pretrained  # noqa: E402
from s2c.bench import stopwatch, time_runs  # noqa: E402
from s2c.codec import PAD_MULTIPLE  # noqa: E402
from s2c.evaluate import KODAK  # noqa: E402
from s2c.host import cpu_name  # noqa: E402
from s2c.imageio import pad_to, to_tensor, to_uint8  # noqa: E402
from s2c.metrics import psnr  # noqa: E402

RUNS = 7


def median_ms(synthesis) -> float:
    return time_runs(stopwatch("ms", synthesis), RUNS)["ms"]["median"]


@torch.inference_mode()
def compare(model, g_s16, original, variant: str, quality: float) -> str:
    x = to_tensor(original)
    h, w = x.shape[-2:]
    y = model.synthesis_input(model.compress(pad_to(x, PAD_MULTIPLE)[0], quality)["y_hat"], quality)

    def fp32():
        return model.g_s(y).clamp(0, 1)

    def bf16():
        return g_s16(y.to(torch.bfloat16)).float().clamp(0, 1)

    ms32, ms16 = median_ms(fp32), median_ms(bf16)
    p32, p16 = (psnr(original, to_uint8(run()[..., :h, :w])) for run in (fp32, bf16))
    return (f"| {variant}-lite | {quality:g} | {ms32:.0f} | {ms16:.0f} | {ms32 / ms16:.2f}x "
            f"| {p32:.2f} | {p16:.2f} | {p16 - p32:+.3f} |")


def main(variants=("s2c-identity", "s2c-conv", "s2c-hybrid")) -> None:
    torch.set_num_threads(2)
    original = load_image(KODAK / "kodim23.png")[0]
    print(f"kodim23, {cpu_name()}, 2 threads; g_s only, warm-up + median of {RUNS} runs (ms)\n")
    print("| model | quality | g_s fp32 | g_s bf16 | speed-up | PSNR fp32 | PSNR bf16 | dB |")
    print("|---|---|---|---|---|---|---|---|")
    for variant in variants:
        model = load_pretrained(variant, "lite")
        g_s16 = copy.deepcopy(model.g_s).to(torch.bfloat16)  # a copy: the loaded model stays fp32
        for quality in (3.0, 6.0):
            print(compare(model, g_s16, original, variant, quality))


if __name__ == "__main__":
    main(*[sys.argv[1:]] if len(sys.argv) > 1 else [])
