"""What each training stage bought, per shipped checkpoint (s2c/curves.py on checkpoints/logs/*.csv), as markdown.

Usage: .venv/bin/python scripts/learning_curves.py [--level 4] [--window 150] [--last 2]
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c.cards import recipe_text, round_recipe  # noqa: E402
from s2c.config import S2C_VARIANTS  # noqa: E402
from s2c.curves import METRICS, at_peak_lr, read_log, stage_progress  # noqa: E402
from s2c.zoo import read_card  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--level", type=int, default=4)
    ap.add_argument("--window", type=int, default=150, help="steps averaged at each end of a stage")
    ap.add_argument("--last", type=int, default=2, help="show the last N stages of each checkpoint")
    args = ap.parse_args(argv)
    print(f"Level {args.level}, means over the first / last {args.window} steps of each stage (training batches; "
          "± the standard error of the change), and over the steps logged at the stage's peak learning rate "
          "(± the standard error of the mean). Batches of other crop sizes give other PSNR and bpp: compare rows "
          "of one batch x crop only\n")
    print("| model | round | stage | batch x crop | to step | loss | PSNR (dB) | bpp "
          "| at peak lr: loss / PSNR (± SE) |\n|---|---|---|---|---|---|---|---|---|")
    for v in S2C_VARIANTS:
        log = ROOT / "checkpoints" / "logs" / f"{v}-lite.csv"
        if not log.exists():
            continue
        rows, card = read_log(log), read_card(v)
        peaks = {(p["round"], p["stage"]): p for p in at_peak_lr(rows, args.level)}
        for s in stage_progress(rows, args.level, args.window)[-args.last:]:
            cells = [f"{s[m + ' first']:.3f} -> {s[m + ' last']:.3f} (±{s[m + ' change ±']:.3f})"
                     for m in METRICS]
            p = peaks[(s["round"], s["stage"])]
            cells.append(f"{p['loss at peak']:.3f} (±{p['loss at peak ±']:.3f}) / {p['psnr at peak']:.2f} "
                         f"(±{p['psnr at peak ±']:.2f}) (lr {p['peak lr']:g}, steps "
                         f"{p['peak steps'][0]}-{p['peak steps'][1]})")
            crop = recipe_text([round_recipe(card, s["round"], s["stage"])])
            print(f"| {v}-lite | {s['round']} | {s['stage']} | {crop} | {s['to step']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
