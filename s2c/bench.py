"""`python -m s2c bench`: encode/decode latency, transforms and entropy coding timed apart -> results/bench.json.

Warm-up run, then median (min, max) of --runs runs, on one image, with a fixed number of threads.
Untrained models are timing only: their cost does not depend on the weight values.
"""
import argparse
import json
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Callable, Dict, List

import torch

from .api import compress, decompress
from .complexity import count_params, kmac_per_pixel
from .config import S2C_VARIANTS
from .evaluate import KODAK, ROOT
from .host import machine, matmul_gflops
from .imageio import load_image
from .zoo import create_model, has_pretrained, load_pretrained, model_id

COMPRESSAI_REFERENCES = {"mbt2018-mean": ("mbt2018-mean", 3), "cheng2020-anchor": ("cheng2020-anchor", 3),
                         "elic2022": ("elic2022-official", None)}


def summarize(samples: List[float]) -> Dict[str, float]:
    return {"median": round(statistics.median(samples), 2), "min": round(min(samples), 2),
            "max": round(max(samples), 2)}


def time_runs(fn: Callable[[], Dict[str, float]], runs: int) -> Dict[str, Dict[str, float]]:
    fn()  # warm-up
    records = [fn() for _ in range(runs)]
    return {k: summarize([r[k] for r in records]) for k in records[0]}


def median_row(timed: Dict[str, Dict[str, float]]) -> Dict:
    """A bench row from ``time_runs`` results: the median of each key, and its min-max under "spread"."""
    return {**{k: v["median"] for k, v in timed.items()},
            "spread": {k: [v["min"], v["max"]] for k, v in timed.items()}}


def stopwatch(key: str, fn: Callable[[], object]) -> Callable[[], Dict[str, float]]:
    """``fn`` as ``time_runs`` takes it: each call returns its wall time in ms under ``key``."""
    def timed():
        t0 = time.perf_counter()
        fn()
        return {key: (time.perf_counter() - t0) * 1e3}
    return timed


def bench_s2c(model, image, runs: int, quality: float = 3.0) -> Dict:
    model.update()
    enc = compress(model, image, quality)

    def encode():
        t = compress(model, image, quality).timings
        return {"enc_ms": t["total_ms"], "enc_transform_ms": t["transform_ms"], "enc_entropy_ms": t["entropy_ms"]}

    def decode():
        t = decompress(enc.data, model).timings
        return {"dec_ms": t["total_ms"], "dec_transform_ms": t["transform_ms"], "dec_entropy_ms": t["entropy_ms"]}

    row = median_row({**time_runs(encode, runs), **time_runs(decode, runs)})
    row["bytes"] = len(enc.data)
    return row


def bench_compressai(name: str, quality, image, runs: int) -> Dict:
    """compressai's own architectures (untrained, timing only); only whole encode/decode can be timed."""
    from compressai.zoo.image import model_architectures
    from compressai.models import Elic2022Official
    from .codec import PAD_MULTIPLE
    from .imageio import pad_to, to_tensor
    net = Elic2022Official() if quality is None else model_architectures[name](*_cfg(name))
    net = net.eval()
    net.update(force=True)
    x, _ = pad_to(to_tensor(image), PAD_MULTIPLE)
    with torch.inference_mode():
        out = net.compress(x)
        encode = stopwatch("enc_ms", lambda: net.compress(x))
        decode = stopwatch("dec_ms", lambda: net.decompress(out["strings"], out["shape"]))
        row = median_row({**time_runs(encode, runs), **time_runs(decode, runs)})
    row["params"] = count_params(net)
    return row


def _cfg(name: str):
    from compressai.zoo.image import cfgs
    return cfgs[name][3]


def parse(argv=None):
    p = argparse.ArgumentParser(prog="python -m s2c bench", description=__doc__)
    p.add_argument("--image", type=Path, default=KODAK / "kodim23.png")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--models", nargs="*", type=bench_model,
                   help="subset, e.g. s2c-conv (its lite checkpoint), s2c-conv-lite, swin-paper, mbt2018-mean")
    p.add_argument("--out", type=Path, default=ROOT / "results" / "bench.json")
    return p.parse_args(argv)


def candidates() -> List[str]:
    lite = [f"{v}-lite" for v in S2C_VARIANTS]
    paper = [f"{v}-paper" for v in S2C_VARIANTS] + ["swin-paper"]
    return lite + paper + list(COMPRESSAI_REFERENCES)


def bench_model(name: str) -> str:
    """A model to time by its name in the results (s2c-conv-lite, swin-paper, mbt2018-mean), or a variant by its
    name alone (s2c-conv: its lite model), as `evaluate --models` takes it; unknown names fail before any timing."""
    full = f"{name}-lite" if name in S2C_VARIANTS else name
    if full not in candidates():
        raise argparse.ArgumentTypeError(f"unknown model {name!r}; choose from {', '.join(candidates())}")
    return full


def run_one(name: str, image, runs: int) -> Dict:
    if name in COMPRESSAI_REFERENCES:
        return {**bench_compressai(*COMPRESSAI_REFERENCES[name], image, runs), "trained": False,
                "note": "compressai architecture, untrained: timing only"}
    variant, preset = name.rsplit("-", 1)
    trained = has_pretrained(variant, preset)
    torch.manual_seed(0)
    model = load_pretrained(variant, preset) if trained else create_model(variant, preset).channels_last().eval()
    row = bench_s2c(model, image, runs)
    row.update(params=count_params(model), kmac_per_px=round(kmac_per_pixel(model)["total"], 1), trained=trained)
    if trained:
        row["weights_sha256"] = model_id(model)[:16]  # which checkpoint was timed
    else:
        row["note"] = "untrained weights: timing only"
    return row


def markdown(results: Dict) -> str:
    lines = [f"Latency on {results['image']} ({results['machine']}, {results['threads']} threads, "
             f"{results.get('date', 'undated')}, host fp32 matmul {results.get('matmul_gflops', '?')} GFLOP/s; "
             f"warm-up + median of {results['runs']} runs, ms).", "",
             "| model | trained | params | kMAC/px | enc | dec | dec transform | dec entropy |",
             "|---|---|---|---|---|---|---|---|"]
    for name, r in results["models"].items():
        lines.append(f"| {name} | {'yes' if r['trained'] else 'timing only'} | {r['params'] / 1e6:.2f}M | "
                     f"{r.get('kmac_per_px', '—')} | {r['enc_ms']:.0f} | {r['dec_ms']:.0f} | "
                     f"{r.get('dec_transform_ms', float('nan')):.0f} | {r.get('dec_entropy_ms', float('nan')):.0f} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    args = parse(argv)
    torch.set_num_threads(args.threads)
    image = load_image(args.image)[0]
    results = {"machine": machine(), "threads": args.threads, "date": date.today().isoformat(),
               "matmul_gflops": matmul_gflops(), "image": args.image.name, "runs": args.runs, "models": {}}
    for name in args.models or candidates():
        print(f"bench {name} ...", flush=True)
        results["models"][name] = run_one(name, image, args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(markdown(results))
    print(markdown(results))
    return results


if __name__ == "__main__":
    main()
