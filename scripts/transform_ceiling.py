"""How close each shipped checkpoint's top rate point is to its transforms' own limit (s2c/ceiling.py), on Kodak.

For every image: PSNR of g_s(g_a(x)) with nothing rounded (the ceiling), and of the real .s2c round trip at the
given quality. A small gap at the top level means more bits cannot help: training the transforms is what lifts
the high-rate end. Writes results/ceiling.json.
Usage: .venv/bin/python scripts/transform_ceiling.py [--quality 6] [--images 24] [--out results/ceiling.json]
"""
import argparse
import json
import statistics
import sys
from datetime import date
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c.ceiling import ceiling_point  # noqa: E402
from s2c.config import S2C_VARIANTS  # noqa: E402
from s2c.evaluate import KODAK  # noqa: E402
from s2c.host import machine  # noqa: E402
from s2c.imageio import load_image  # noqa: E402
from s2c.zoo import has_pretrained, load_pretrained, read_card  # noqa: E402


def measure(variant: str, images, quality: float) -> dict:
    model = load_pretrained(variant)
    points = {name: ceiling_point(model, image, quality) for name, image in images.items()}
    mean = lambda key: round(statistics.fmean(getattr(p, key) for p in points.values()), 3)  # noqa: E731
    card = read_card(variant)
    return {"total_steps": card["training"].get("total_steps"), "weights_sha256": card["weights_sha256"],
            "ceiling_psnr": mean("ceiling_psnr"), "decoded_psnr": mean("decoded_psnr"), "bpp": mean("bpp"),
            "gap_db": mean("gap_db"),
            "images": {n: {"ceiling_psnr": round(p.ceiling_psnr, 3), "decoded_psnr": round(p.decoded_psnr, 3),
                           "bpp": round(p.bpp, 4)} for n, p in points.items()}}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", type=float, default=6.0)
    ap.add_argument("--images", type=int, default=24, help="the first N Kodak images")
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "ceiling.json")
    args = ap.parse_args(argv)
    images = {p.stem: load_image(p)[0] for p in sorted(KODAK.glob("*.png"))[:args.images]}
    result = {"what": "PSNR (RGB) of the unquantized reconstruction g_s(g_a(x)) vs the real .s2c round trip, "
                      "means over the images", "image_set": "kodak", "images": len(images), "quality": args.quality,
              "machine": machine(), "threads": torch.get_num_threads(), "date": date.today().isoformat(),
              "models": {}}
    for v in (v for v in S2C_VARIANTS if has_pretrained(v)):
        result["models"][f"{v}-lite"] = r = measure(v, images, args.quality)
        print(f"{v}-lite q{args.quality:g}: ceiling {r['ceiling_psnr']:.2f} dB, decoded {r['decoded_psnr']:.2f} dB "
              f"@ {r['bpp']:.3f} bpp (gap {r['gap_db']:.2f} dB)")
    args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
