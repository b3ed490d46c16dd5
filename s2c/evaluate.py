"""`python -m s2c evaluate`: Kodak R-D of our checkpoints and classical codecs -> results/kodak.json (+ .md)."""
import argparse
import json
import time
from pathlib import Path
from typing import Dict, List

import numpy as np
import torch

from .baselines import CODECS
from .config import S2C_VARIANTS
from .host import machine
from .imageio import load_image
from .metrics import bd_rate
from .session import CodecRun, run_classical, run_learned
from .zoo import checkpoint_paths, has_pretrained, load_pretrained, model_id

ROOT = Path(__file__).resolve().parent.parent
KODAK = ROOT.parent / "shared" / "data" / "kodak"
REFERENCE = ROOT / "assets" / "reference"
REFERENCE_CODECS = {"vtm": "vtm.json", "bpg": "bpg_444_x265_ycbcr.json"}


def mean_curve(points: List[List[Dict]]) -> Dict[str, List]:
    """points[image][rate point] -> per-rate-point averages over images."""
    keys = points[0][0].keys()
    out = {}
    for k in keys:
        vals = [[p[k] for p in img] for img in points]
        arr = np.array([[np.nan if v is None else v for v in row] for row in vals], dtype=float)
        out[k] = [round(float(v), 5) for v in np.nanmean(arr, axis=0)]
    return out


def curve_point(run: CodecRun) -> Dict:
    return {"bpp": run.bpp, "psnr": run.psnr, "ms_ssim": run.ms_ssim, "enc_ms": run.enc_ms, "dec_ms": run.dec_ms}


def evaluate_learned(model, images) -> Dict:
    per_image = []
    for image in images:
        per_image.append([curve_point(run_learned(model, image, q)) for q in range(1, model.cfg.levels + 1)])
    return {"kind": "learned", "weights_sha256": model_id(model), "quality": list(range(1, model.cfg.levels + 1)),
            **mean_curve(per_image)}


def evaluate_classical(codec, images) -> Dict:
    per_image = []
    for image in images:
        per_image.append([curve_point(run_classical(codec, image, q)) for q in codec.qualities])
    return {"kind": "classical", "settings": codec.settings, "quality": list(codec.qualities),
            **mean_curve(per_image)}


def reference_curve(name: str) -> Dict:
    d = json.loads((REFERENCE / REFERENCE_CODECS[name]).read_text())
    r = d["results"]
    return {"kind": "reference", "source": f"{d['name']} (CompressAI results, BSD-3-Clause-Clear)",
            "bpp": r["bpp"], "psnr": r["psnr-rgb"], "ms_ssim": r.get("ms-ssim-rgb")}


def bd_table(codecs: Dict[str, Dict]) -> Dict[str, Dict[str, float]]:
    table = {}
    for name, c in codecs.items():
        if c["kind"] != "learned":
            continue
        table[name] = {other: bd_rate(o["bpp"], o["psnr"], c["bpp"], c["psnr"])
                       for other, o in codecs.items() if other != name}
    return table


def markdown(results: Dict) -> str:
    codecs = results["codecs"]
    others = [n for n in codecs if n not in results["bd_rate"]] + list(results["bd_rate"])
    lines = [f"BD-rate (%, PSNR, PCHIP) on Kodak ({results['images']} images), {results['machine']}, "
             f"{results['threads']} threads. Negative = the row saves bits against the column.", "",
             "| model | " + " | ".join(others) + " |", "|---" * (len(others) + 1) + "|"]
    for name, row in results["bd_rate"].items():
        cells = ["—" if other == name else ("n/a" if row.get(other) is None else f"{row[other]:+.1f}")
                 for other in others]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_cards(results: Dict) -> None:
    """Puts each shipped checkpoint's Kodak curve and BD-rates into its model card (``kodak``), where the results
    were measured on exactly that checkpoint (same weights hash)."""
    for name, curve in results["codecs"].items():
        _, path = checkpoint_paths(*name.rsplit("-", 1)) if curve["kind"] == "learned" else (None, None)
        if path is None or not path.exists():
            continue
        card = json.loads(path.read_text())
        if card.get("weights_sha256") != curve.get("weights_sha256"):
            print(f"{name}: results are for other weights than the shipped checkpoint; card left alone")
            continue
        card["kodak"] = {"images": results["images"], "machine": curve.get("machine", results["machine"]),
                         "threads": results["threads"],
                         "date": results["date"], **{k: curve[k] for k in ("quality", "bpp", "psnr", "ms_ssim")},
                         "bd_rate_psnr": results["bd_rate"][name],
                         "bd_rate_note": "null = PSNR ranges overlap too little for an honest BD-rate"}
        path.write_text(json.dumps(card, indent=2) + "\n")


def kept_codecs(path: Path) -> Dict[str, Dict]:
    """The measured codecs of an earlier results file, each with the machine its timings were taken on (files
    written before codecs carried their own: the file's)."""
    if not path.exists():
        return {}
    old = json.loads(path.read_text())
    return {name: {**c, "machine": c.get("machine") or old.get("machine")} for name, c in old["codecs"].items()
            if c["kind"] != "reference"}


def learned_variant(name: str) -> str:
    """A learned model by its variant (s2c-conv) or by its name in the results (s2c-conv-lite)."""
    variant = name.removesuffix("-lite")
    if variant not in S2C_VARIANTS:
        raise argparse.ArgumentTypeError(f"unknown model {name!r}; choose from {', '.join(S2C_VARIANTS)}")
    return variant


def parse(argv=None):
    p = argparse.ArgumentParser(prog="python -m s2c evaluate", description=__doc__)
    p.add_argument("--images", type=Path, default=KODAK)
    p.add_argument("--limit", type=int, default=0, help="first N images only (quick checks)")
    p.add_argument("--models", nargs="*", type=learned_variant, default=None,
                   help="learned models, e.g. s2c-conv or s2c-conv-lite (default: every shipped lite one)")
    p.add_argument("--classical", nargs="*", choices=list(CODECS), default=list(CODECS))
    p.add_argument("--out", type=Path, default=ROOT / "results" / "kodak.json")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--update", action="store_true", help="keep codecs already in --out that are not re-run")
    p.add_argument("--cards", action="store_true",
                   help="write the Kodak results into the cards of the checkpoints they were measured on")
    return p.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    torch.set_num_threads(args.threads)
    files = sorted(args.images.glob("*.png"))[: args.limit or None]
    if not files:
        raise SystemExit(f"no PNG images in {args.images}")
    images = [load_image(f)[0] for f in files]
    codecs = kept_codecs(args.out) if args.update else {}
    here = machine()
    models = args.models if args.models is not None else [v for v in S2C_VARIANTS if has_pretrained(v, "lite")]
    for variant in models:
        model = load_pretrained(variant, "lite")
        print(f"evaluating {model.name} on {len(images)} images ...", flush=True)
        codecs[model.name] = {**evaluate_learned(model, images), "machine": here}
    for name in args.classical:
        print(f"evaluating {name} ...", flush=True)
        codecs[name] = {**evaluate_classical(CODECS[name], images), "machine": here}
    for name in REFERENCE_CODECS:
        codecs[name] = reference_curve(name)
    results = {"image_set": args.images.name, "images": len(images), "machine": here, "threads": args.threads,
               "date": time.strftime("%Y-%m-%d"), "codecs": codecs}
    results["bd_rate"] = bd_table(codecs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(markdown(results))
    if args.cards:
        write_cards(results)
    print(markdown(results))
    return results


if __name__ == "__main__":
    main()
