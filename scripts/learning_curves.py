"""What each training stage bought, per shipped checkpoint (s2c/curves.py on checkpoints/logs/*.csv), as markdown.

Usage: .venv/bin/python scripts/learning_curves.py [--level 4] [--window 150] [--last 2]
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from s2c.config import S2C_VARIANTS  # noqa: E402
from s2c.curves import METRICS, read_log, stage_progress  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--level", type=int, default=4)
    ap.add_argument("--window", type=int, default=150, help="steps averaged at each end of a stage")
    ap.add_argument("--last", type=int, default=2, help="show the last N stages of each checkpoint")
    args = ap.parse_args(argv)
    print(f"Level {args.level}, means over the first / last {args.window} steps of each stage (training batches; "
          "± the standard error of the change)\n")
    print("| model | round | stage | to step | loss | PSNR (dB) | bpp |\n|---|---|---|---|---|---|---|")
    for v in S2C_VARIANTS:
        log = ROOT / "checkpoints" / "logs" / f"{v}-lite.csv"
        if not log.exists():
            continue
        for s in stage_progress(read_log(log), args.level, args.window)[-args.last:]:
            cells = [f"{s[m + ' first']:.3f} -> {s[m + ' last']:.3f} (±{s[m + ' change ±']:.3f})"
                     for m in METRICS]
            print(f"| {v}-lite | {s['round']} | {s['stage']} | {s['to step']} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
