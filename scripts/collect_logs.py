"""Copies the training logs of the shipped checkpoints into checkpoints/logs/ (trunk steps, then the variant's).

Usage: .venv/bin/python scripts/collect_logs.py  (after scripts/train_lite.sh)
"""
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS, OUT = ROOT / "runs", ROOT / "checkpoints" / "logs"


def rows(path: Path, offset: int, stage: str):
    with path.open() as f:
        for r in csv.DictReader(f):
            yield {**r, "step": int(r["step"]) + offset, "stage": stage}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    trunk = list(rows(RUNS / "trunk" / "log.csv", 0, "trunk"))
    trunk_steps = max(r["step"] for r in trunk)
    for run in sorted(RUNS.glob("s2c-*-lite")):
        if not (run / "log.csv").exists():
            continue
        merged = trunk + list(rows(run / "log.csv", trunk_steps, "variant"))
        with (OUT / f"{run.name}.csv").open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(merged[0]))
            w.writeheader()
            w.writerows(merged)
        print(f"{run.name}: {len(merged)} rows")


if __name__ == "__main__":
    main()
