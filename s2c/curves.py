"""Learning curves from a checkpoint's training log: what each training stage bought at one rate level.

The log (checkpoints/logs/<model>.csv, written by training, joined across rounds by scripts/finish_round.py) has
one row per rate level every few steps, each the mean over the ``n`` batches of that level in those steps.
"""
import csv
import math
from pathlib import Path
from typing import Dict, List

METRICS = ("loss", "psnr", "bpp")


def read_log(path: Path) -> List[Dict]:
    with Path(path).open(newline="") as f:
        return [{"round": int(r.get("round") or 1), "stage": r.get("stage") or "variant", "step": int(r["step"]),
                 "level": int(r["level"]), "n": int(r["n"]), "lr": float(r.get("lr") or "nan"),
                 **{m: float(r[m]) for m in METRICS}}
                for r in csv.DictReader(f)]


def weighted_mean(rows: List[Dict], metric: str) -> float:
    return sum(r[metric] * r["n"] for r in rows) / sum(r["n"] for r in rows)


def standard_error(rows: List[Dict], metric: str) -> float:
    """Of ``weighted_mean``, with batches taken as independent draws: a log row averaging n batches varies with
    variance sigma^2 / n, so sigma^2 is estimated from the rows' spread around their mean. NaN from a single row."""
    if len(rows) < 2:
        return math.nan
    mean = weighted_mean(rows, metric)
    batch_var = sum(r["n"] * (r[metric] - mean) ** 2 for r in rows) / (len(rows) - 1)
    return math.sqrt(batch_var / sum(r["n"] for r in rows))


def level_stages(rows: List[Dict], level: int) -> Dict[tuple, List[Dict]]:
    """The rows at ``level`` that averaged any batches, per training stage (round, stage), in log order."""
    stages: Dict[tuple, List[Dict]] = {}
    for r in rows:
        if r["level"] == level and r["n"] > 0:
            stages.setdefault((r["round"], r["stage"]), []).append(r)
    return stages


def stage_progress(rows: List[Dict], level: int, window: int = 150) -> List[Dict]:
    """Per training stage (round, stage), in log order: the batch-weighted means of loss, PSNR and bpp at ``level``
    over the stage's first and last ``window`` steps, and the standard error of their difference (the two ends see
    different random crops: a change within it is batch noise, not learning)."""
    progress = []
    for (round_no, stage), logged in level_stages(rows, level).items():
        first_step, last_step = logged[0]["step"], logged[-1]["step"]
        first = [r for r in logged if r["step"] - first_step < window]
        last = [r for r in logged if last_step - r["step"] < window]
        entry = {"round": round_no, "stage": stage, "to step": last_step}
        for m in METRICS:
            entry[f"{m} first"] = round(weighted_mean(first, m), 4)
            entry[f"{m} last"] = round(weighted_mean(last, m), 4)
            entry[f"{m} change ±"] = round(math.hypot(standard_error(first, m), standard_error(last, m)), 4)
        progress.append(entry)
    return progress


def at_peak_lr(rows: List[Dict], level: int, near: float = 0.9) -> List[Dict]:
    """Per training stage: the batch-weighted means of loss, PSNR and bpp at ``level`` over the steps logged at
    (within ``near`` of) the stage's peak learning rate. Compared with the previous stage's last steps, this is
    what the peak costs before the decay earns it back."""
    peaks = []
    for (round_no, stage), logged in level_stages(rows, level).items():
        peak = max(r["lr"] for r in logged)
        at_peak = [r for r in logged if r["lr"] >= near * peak]
        peaks.append({"round": round_no, "stage": stage, "peak lr": peak,
                      "peak steps": (at_peak[0]["step"], at_peak[-1]["step"]),
                      **{f"{m} at peak": round(weighted_mean(at_peak, m), 4) for m in METRICS},
                      **{f"{m} at peak ±": round(standard_error(at_peak, m), 4) for m in METRICS}})
    return peaks
