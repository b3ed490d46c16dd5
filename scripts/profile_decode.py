"""Where a decode's time goes: torch.profiler over one warm decode of a trained checkpoint, top operators by self
CPU time, and the synthesis split into FFN / spatial operator / up-sampling by module hooks.

Usage: .venv/bin/python scripts/profile_decode.py [s2c-conv] [kodim23]
"""
import sys
import time
from collections import defaultdict
from pathlib import Path

import torch
from torch.profiler import ProfilerActivity, profile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c import compress, decompress, load_image, load_pretrained  # noqa: E402
from s2c.bench import time_runs  # noqa: E402
from s2c.codec import PAD_MULTIPLE  # noqa: E402
from s2c.evaluate import KODAK  # noqa: E402
from s2c.imageio import pad_to, to_tensor  # noqa: E402


def synthesis_split(model, y_hat: torch.Tensor, runs: int = 5) -> dict:
    """Median milliseconds of each part of g_s (blocks' FFN, spatial operator, up-sampling convolutions)."""
    spent = defaultdict(list)
    hooks = []
    for name, module in model.g_s.named_children():
        parts = [(f"{name}.spatial", b.spatial) for b in module if b.spatial is not None] if name.startswith("dec") \
            else [("up", module)]
        for part, m in parts:
            hooks.append(m.register_forward_pre_hook(lambda *_: spent["_t0"].append(time.perf_counter())))
            hooks.append(m.register_forward_hook(
                lambda *_, p=part: spent[p.split(".")[-1]].append(time.perf_counter() - spent["_t0"].pop())))

    def one_synthesis():
        spent.clear()
        spent["_t0"] = []
        t0 = time.perf_counter()
        model.synthesize(y_hat, 3.0)
        total_ms = (time.perf_counter() - t0) * 1e3
        row = {k: sum(v) * 1e3 for k, v in spent.items() if k != "_t0"}
        row["ffn and the rest"] = total_ms - sum(row.values())
        row["total"] = total_ms
        return row

    timed = time_runs(one_synthesis, runs)
    for h in hooks:
        h.remove()
    return {k: round(v["median"], 1) for k, v in timed.items()}


def main(variant: str = "s2c-conv", image: str = "kodim23") -> None:
    torch.set_num_threads(2)
    model = load_pretrained(variant, "lite")
    img = load_image(KODAK / f"{image}.png")[0]
    enc = compress(model, img, 3.0)
    for _ in range(2):
        decompress(enc.data, model)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        dec = decompress(enc.data, model)
    print(f"{variant}-lite decode of {image}: {dec.timings}")
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))
    y_hat = model.compress(pad_to(to_tensor(img), PAD_MULTIPLE)[0], 3.0)["y_hat"]
    print("synthesis split (ms, median of 5):", synthesis_split(model, y_hat))


if __name__ == "__main__":
    main(*sys.argv[1:])
